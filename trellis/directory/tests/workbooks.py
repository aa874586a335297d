"""Small workbooks cut from the real 2023 ones at test time, and damaged ones on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from trellis.directory.tests.xlsx import write_xlsx

DATA = Path(__file__).resolve().parents[3] / "data" / "samhsa"
WORKBOOKS = {
    "su": DATA / "national-directory-su-facilities-2023.xlsx",
    "mh": DATA / "national-directory-mh-facilities-2023.xlsx",
}
STATE = "RI"


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def cut_state(
    published: dict[str, dict[str, list[list[Any]]]], kind: str, state: str = STATE
) -> tuple[list[Any], list[list[Any]], list[list[Any]]]:
    sheets = published[kind]
    facilities = sheets["Facilities List"]
    header = facilities[0]
    state_at = [str(h).lower() for h in header].index("state")
    rows = [row for row in facilities[1:] if row[state_at] == state]
    return header, rows, sheets["Service Code Reference"]


def write_workbook(
    tmp: Path, name: str, header: list[Any], rows: list[list[Any]], codebook: Any
) -> Path:
    return write_xlsx(
        tmp / name, {"Facilities List": [header, *rows], "Service Code Reference": codebook}
    )


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
