"""Production refuses the public development encryption key, as it refuses the development
SECRET_KEY (trellis/settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DEBUG"))}
    return subprocess.run(  # fixed command, our own interpreter
        [sys.executable, "-c", "import trellis.settings"],
        cwd=ROOT,
        env=clean | {"SECRET_KEY": "a-real-secret-for-this-test", "DEBUG": "0"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_encryption_key() -> None:
    result = load_settings()
    assert result.returncode != 0
    assert "TRELLIS_ENCRYPTION_KEYS uses the development key" in result.stderr


def test_production_starts_with_its_own_key() -> None:
    result = load_settings(TRELLIS_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode == 0, result.stderr
