"""A throwaway copy of the project's modules, for proving that each check fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.architecture.graph import ROOT


def _python_only(directory: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if (not name.endswith(".py") and not (Path(directory) / name).is_dir())
        or name in {"__pycache__", "templates", "static"}
    }


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of trellis/ (Python files only) under tmp_path: plant violations here."""
    shutil.copytree(ROOT / "trellis", tmp_path / "trellis", ignore=_python_only)
    return tmp_path
