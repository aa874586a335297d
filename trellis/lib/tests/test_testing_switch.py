"""Test settings (MD5 hashing, no Secure cookies or HSTS, development keys) follow from the
test runner only; TRELLIS_TESTING in the environment is refused (issue #10, item 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import trellis.settings as s; "
    "print(s.TESTING, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], "
    "getattr(s, 'SESSION_COOKIE_SECURE', False))"
)


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DEBUG"))}
    production = {
        "SECRET_KEY": "a-real-secret-for-this-test",
        "TRELLIS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DEBUG": "0",
    }
    return subprocess.run(  # noqa: S603  # our own interpreter running our own code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | production | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_with_trellis_testing_set() -> None:
    result = run_settings(PRINT, TRELLIS_TESTING="1")
    assert result.returncode != 0
    assert "TRELLIS_TESTING is set" in result.stderr


def test_debug_without_the_test_runner_refuses_trellis_testing_too() -> None:
    result = run_settings(PRINT, TRELLIS_TESTING="1", DEBUG="1")
    assert result.returncode != 0
    assert "TRELLIS_TESTING is set" in result.stderr


def test_production_settings_keep_strong_hashing_and_secure_cookies() -> None:
    result = run_settings(PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "Argon2PasswordHasher", "True"]


def test_the_test_runner_gets_test_settings_without_any_variable() -> None:
    result = run_settings("import pytest; " + PRINT, SECRET_KEY="", TRELLIS_ENCRYPTION_KEYS="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "MD5PasswordHasher", "False"]
