"""Reading the national directory's files (docs/finder.md, "The directory import").

Two shapes are read, both into the same `DirectoryFile`:

- **Directory workbooks** (SAMHSA's National Directory of Substance Use / Mental Health
  Treatment Facilities, `.xlsx`): a "Facilities List" sheet with one row per facility and a
  `service_code_info` string of codes, and a "Service Code Reference" sheet, the codebook. The
  codebook is read from the workbook itself, so a new year's codes need no code change.
- **Locator exports** (FindTreatment.gov, `.csv` or `.xlsx` with a single sheet): the address
  columns and one column per service code, marked with 1/Y/Yes/X. They carry no codebook: the
  codes are decoded with the codebook already imported from a workbook.

Headers are matched without regard to case, spaces or underscores (the 2023 workbooks say
`Name1`, later years `name1`). Anything that is not a directory file is refused with a
`DirectoryFileError` whose message says what is wrong; nothing here touches the database.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from python_calamine import CalamineError, CalamineWorkbook

Kind = Literal["su", "mh"]

FACILITY_SHEET = "facilities list"
CODEBOOK_SHEET = "service code reference"

# Columns of a facility row. The first group must be present; intake numbers are optional.
REQUIRED_COLUMNS = ("name1", "name2", "street1", "street2", "city", "state", "zip", "phone")
OPTIONAL_COLUMNS = ("intake1", "intake2", "intake1a", "intake2a")
CODES_COLUMN = "service_code_info"
CODEBOOK_COLUMNS = (
    "category_code",
    "category_name",
    "service_code",
    "service_name",
    "service_description",
)
# Columns of a locator export that are neither an address field nor a service code.
LOCATOR_OTHER_COLUMNS = frozenset(
    {
        "latitude",
        "longitude",
        "website",
        "websiteurl",
        "county",
        "zip4",
        "type_facility",
        "typefacility",
        "frid",
        "_irow",
        "distance",
        "dist_miles",
        "distmiles",
    }
)
TRUE_CELLS = frozenset({"1", "y", "yes", "x", "true", "1.0"})

MAX_FILE_BYTES = 100 * 1024 * 1024


class DirectoryFileError(ValueError):
    """The file is not a directory file Trellis can read; the message says why."""


@dataclass(frozen=True)
class CodebookEntry:
    code: str
    category_code: str
    category_name: str
    name: str
    description: str


@dataclass
class Facility:
    """One row of the facility list, cleaned: text trimmed, ZIP cut to five digits."""

    row: int
    name1: str
    name2: str
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    phone: str
    intake1: str = ""
    intake2: str = ""
    intake1a: str = ""
    intake2a: str = ""
    codes: tuple[str, ...] = ()
    code_text: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class DirectoryFile:
    path: Path
    sha256: str
    kind: Kind
    directory_year: int
    survey_year: int | None
    source_format: Literal["workbook", "locator"]
    codebook: dict[str, CodebookEntry] | None
    facilities: list[Facility] = field(default_factory=list)
    # Only these states' rows were read (`--state`); empty: the whole file.
    states: frozenset[str] = frozenset()


def header_key(value: Any) -> str:
    """`Service_code_info`, `service code info` and ` SERVICE_CODE_INFO ` are one column."""
    return re.sub(r"[\s_]+", "_", str(value).strip().lower())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def zip5(value: Any) -> str:
    """The five-digit ZIP: `2903` (a number that lost its zero) is 02903, 02903-1234 is 02903."""
    text = cell_text(value)
    digits = re.match(r"\d+", text)
    if not digits:
        return ""
    number = digits.group(0)
    if len(number) in (4, 5):
        return number.zfill(5)
    if len(number) in (8, 9):  # ZIP+4 written without its hyphen
        return number.zfill(9)[:5]
    return ""


def split_codes(text: str) -> tuple[str, ...]:
    """The codes of a `service_code_info` string, in order, each once (`*` separates groups)."""
    seen: dict[str, None] = {}
    for code in text.replace("*", " ").split():
        seen.setdefault(code.strip().upper(), None)
    return tuple(seen)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def guess_year(path: Path) -> int | None:
    years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return int(years[-1]) if years else None


def guess_kind(path: Path, codebook: dict[str, CodebookEntry] | None) -> Kind | None:
    """From the file name (`-su-`, `substance`, `-mh-`, `mental`), else from the codebook: only
    the substance use codebook has detoxification services, only the mental health one has
    facility types and emergency mental health services."""
    name = path.name.lower()
    if re.search(r"(^|[^a-z])(su|sud|substance)([^a-z]|$)", name):
        return "su"
    if re.search(r"(^|[^a-z])(mh|mental)([^a-z]|$)", name):
        return "mh"
    if codebook:
        categories = {entry.category_code for entry in codebook.values()}
        if "DETOX" in categories:
            return "su"
        if categories & {"FT", "EMS"}:
            return "mh"
    return None


def _columns(header: Sequence[Any], sheet: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        key = header_key(value)
        if key and key not in columns:
            columns[key] = index
    if not columns:
        raise DirectoryFileError(f'The sheet "{sheet}" has no header row.')
    return columns


def _require(columns: dict[str, int], wanted: Iterable[str], sheet: str) -> None:
    missing = [name for name in wanted if name not in columns]
    if missing:
        raise DirectoryFileError(
            f'The sheet "{sheet}" has no column {", ".join(missing)} '
            f"(its columns are: {', '.join(columns)})."
        )


def read_codebook(rows: Sequence[Sequence[Any]], sheet: str) -> dict[str, CodebookEntry]:
    """The codebook as code → entry. A code listed under two categories is refused: the
    finder would not know which filter it belongs to."""
    if not rows:
        raise DirectoryFileError(f'The sheet "{sheet}" is empty.')
    columns = _columns(rows[0], sheet)
    _require(columns, CODEBOOK_COLUMNS, sheet)
    codebook: dict[str, CodebookEntry] = {}
    for number, row in enumerate(rows[1:], start=2):

        def value(name: str, row: Sequence[Any] = row) -> str:
            index = columns[name]
            return cell_text(row[index]) if index < len(row) else ""

        code = value("service_code").upper()
        if not code:
            continue
        entry = CodebookEntry(
            code=code,
            category_code=value("category_code").upper(),
            category_name=value("category_name"),
            name=value("service_name"),
            description=value("service_description"),
        )
        if not entry.category_code:
            raise DirectoryFileError(f'"{sheet}" row {number}: code {code} has no category.')
        known = codebook.get(code)
        if known and known.category_code != entry.category_code:
            raise DirectoryFileError(
                f'"{sheet}" row {number}: code {code} is listed under two categories, '
                f'"{known.category_name}" and "{entry.category_name}". '
                "A code must belong to one category."
            )
        codebook.setdefault(code, entry)
    if not codebook:
        raise DirectoryFileError(f'The sheet "{sheet}" lists no service codes.')
    return codebook


def _facility(row: Sequence[Any], columns: dict[str, int], number: int) -> Facility:
    def value(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        return cell_text(row[index])

    return Facility(
        row=number,
        name1=value("name1"),
        name2=value("name2"),
        street1=value("street1"),
        street2=value("street2"),
        city=value("city"),
        state=value("state").upper(),
        zip=zip5(row[columns["zip"]]) if columns["zip"] < len(row) else "",
        phone=value("phone"),
        intake1=value("intake1"),
        intake2=value("intake2"),
        intake1a=value("intake1a"),
        intake2a=value("intake2a"),
    )


def read_facilities(rows: Sequence[Sequence[Any]], sheet: str) -> list[Facility]:
    if not rows:
        raise DirectoryFileError(f'The sheet "{sheet}" is empty.')
    columns = _columns(rows[0], sheet)
    _require(columns, (*REQUIRED_COLUMNS, CODES_COLUMN), sheet)
    facilities = []
    for number, row in enumerate(rows[1:], start=2):
        facility = _facility(row, columns, number)
        if not facility.name1 and not facility.street1:
            continue  # a blank row
        index = columns[CODES_COLUMN]
        facility.code_text = cell_text(row[index]) if index < len(row) else ""
        facility.codes = split_codes(facility.code_text)
        facilities.append(facility)
    if not facilities:
        raise DirectoryFileError(f'The sheet "{sheet}" lists no facilities.')
    return facilities


def read_locator_rows(rows: Sequence[Sequence[Any]], sheet: str) -> list[Facility]:
    """A locator export: every column that is not an address, contact or location field is a
    service code, offered where its cell says 1, Y, Yes, X or true."""
    if not rows:
        raise DirectoryFileError(f'The sheet "{sheet}" is empty.')
    columns = _columns(rows[0], sheet)
    _require(columns, REQUIRED_COLUMNS, sheet)
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, CODES_COLUMN, *LOCATOR_OTHER_COLUMNS}
    code_columns = [(name.upper(), index) for name, index in columns.items() if name not in known]
    if not code_columns:
        raise DirectoryFileError(
            f'The sheet "{sheet}" has the address columns but no service-code columns: '
            "it is not a locator export."
        )
    facilities = []
    for number, row in enumerate(rows[1:], start=2):
        facility = _facility(row, columns, number)
        if not facility.name1 and not facility.street1:
            continue
        codes = [
            code
            for code, index in code_columns
            if index < len(row) and cell_text(row[index]).lower() in TRUE_CELLS
        ]
        facility.codes = tuple(dict.fromkeys(codes))
        facility.code_text = " ".join(facility.codes)
        facility.latitude = _coordinate(row, columns.get("latitude"), -90, 90)
        facility.longitude = _coordinate(row, columns.get("longitude"), -180, 180)
        if facility.latitude is None or facility.longitude is None:
            facility.latitude = facility.longitude = None
        facilities.append(facility)
    if not facilities:
        raise DirectoryFileError(f'The sheet "{sheet}" lists no facilities.')
    return facilities


def _coordinate(row: Sequence[Any], index: int | None, low: float, high: float) -> float | None:
    if index is None or index >= len(row):
        return None
    try:
        number = float(cell_text(row[index]))
    except ValueError:
        return None
    return number if low <= number <= high else None


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook by its lower-cased name, or the rows of a CSV as one sheet."""
    if path.suffix.lower() == ".csv":
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                return {"csv": [list(row) for row in csv.reader(handle)]}
        except (UnicodeDecodeError, csv.Error) as error:
            raise DirectoryFileError(f"{path.name} is not a readable CSV file: {error}") from error
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return {
            name.strip().lower(): workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except (CalamineError, ValueError, OSError) as error:
        raise DirectoryFileError(
            f"{path.name} is not a spreadsheet Trellis can read ({type(error).__name__}): "
            "expected an .xlsx workbook or a .csv locator export."
        ) from error


def read_directory_file(
    path: Path,
    *,
    kind: Kind | None = None,
    year: int | None = None,
    survey_year: int | None = None,
    states: Iterable[str] = (),
) -> DirectoryFile:
    """Read and check one file; raise `DirectoryFileError` with a message a person can act on.
    `states` keeps only those states' rows (the demo loads one region).

    The directory year comes from `year` or the file name; a workbook's survey year is the year
    before its directory year (the 2023 directory reports the 2022 survey) unless given. A
    locator export's survey year is unknown unless given.
    """
    if not path.is_file():
        raise DirectoryFileError(f"{path} does not exist or is not a file.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DirectoryFileError(f"{path.name} is larger than 100 MB: not a directory file.")
    sheets = _sheets(path)
    directory_year = year or guess_year(path)
    if directory_year is None:
        raise DirectoryFileError(
            f"{path.name}: the directory year is not in the file name; give it with --year."
        )
    if FACILITY_SHEET in sheets or CODEBOOK_SHEET in sheets:
        for wanted in (FACILITY_SHEET, CODEBOOK_SHEET):
            if wanted not in sheets:
                raise DirectoryFileError(
                    f'{path.name} has no "{wanted.title()}" sheet: a directory workbook has '
                    'both "Facilities List" and "Service Code Reference".'
                )
        codebook = read_codebook(sheets[CODEBOOK_SHEET], "Service Code Reference")
        facilities = read_facilities(sheets[FACILITY_SHEET], "Facilities List")
        source_format: Literal["workbook", "locator"] = "workbook"
        if survey_year is None:
            survey_year = directory_year - 1
    elif len(sheets) == 1:
        ((sheet_name, rows),) = sheets.items()
        facilities = read_locator_rows(rows, sheet_name)
        codebook = None
        source_format = "locator"
    else:
        raise DirectoryFileError(
            f'{path.name} is not a directory workbook (no "Facilities List" and "Service Code '
            'Reference" sheets) and not a locator export (one sheet).'
        )
    region = frozenset(state.strip().upper() for state in states if state.strip())
    if region:
        facilities = [f for f in facilities if f.state in region]
        if not facilities:
            raise DirectoryFileError(
                f"{path.name} lists no facilities in {', '.join(sorted(region))}."
            )
    found_kind = kind or guess_kind(path, codebook)
    if found_kind is None:
        raise DirectoryFileError(
            f"{path.name}: cannot tell whether this is the substance use or the mental health "
            "directory; give it with --kind su or --kind mh."
        )
    return DirectoryFile(
        path=path,
        sha256=file_digest(path),
        kind=found_kind,
        directory_year=directory_year,
        survey_year=survey_year,
        source_format=source_format,
        codebook=codebook,
        facilities=facilities,
        states=region,
    )
