"""Fixtures of the directory tests: the real workbooks, read once, and Rhode Island cut out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from trellis.directory.tests.workbooks import WORKBOOKS, cut_state, read_sheets, write_workbook


@pytest.fixture(scope="session")
def published() -> dict[str, dict[str, list[list[Any]]]]:
    """Both real workbooks, every sheet, read once per test run."""
    return {kind: read_sheets(path) for kind, path in WORKBOOKS.items()}


@pytest.fixture
def cut(tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]) -> dict[str, Path]:
    paths = {}
    for kind in ("su", "mh"):
        header, rows, codebook = cut_state(published, kind)
        paths[kind] = write_workbook(
            tmp_path, f"national-directory-{kind}-facilities-2023.xlsx", header, rows, codebook
        )
    return paths
