"""The directory import against small workbooks cut from the real 2023 ones at test time.

Every expected number is computed straight from the workbook cells here, not from the code
under test: the rows of one small state (Rhode Island) and both codebooks, as published.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from trellis.directory.importing import import_directory, listing_key
from trellis.directory.models import (
    DirectoryImport,
    Listing,
    ListingCode,
    ListingSource,
    LocationSource,
    ServiceCode,
)
from trellis.directory.reading import DirectoryFileError, read_directory_file, split_codes
from trellis.directory.tests.workbooks import cut_state, write_workbook
from trellis.directory.tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


def _run(path: Path, **options: Any) -> DirectoryImport:
    return import_directory(read_directory_file(path, **options))


def _codes_from_cells(rows: list[list[Any]]) -> Counter[str]:
    """Per code, how many distinct facilities (by name and address) list it: from the cells."""
    per_facility: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        identity = tuple(str(v).strip().lower() for v in row[:7])
        per_facility.setdefault(identity, set()).update(split_codes(str(row[12])))
    return Counter(code for codes in per_facility.values() for code in codes)


def test_counts_per_service_code_equal_the_workbook_cells(
    cut: dict[str, Path], published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    for kind in ("su", "mh"):
        run = _run(cut[kind])
        _, rows, codebook = cut_state(published, kind)
        expected = _codes_from_cells(rows)
        stored = Counter(
            ListingCode.objects.filter(kind=kind).values_list("code", flat=True).iterator()
        )
        assert stored == expected
        assert run.rows == len(rows)
        assert ServiceCode.objects.filter(kind=kind).count() == len(
            {str(r[2]).strip().upper() for r in codebook[1:] if str(r[2]).strip()}
        )
        assert run.unknown_codes == {}
        assert run.source_format == "workbook"
        assert (run.directory_year, run.survey_year) == (2023, 2022)
    # A code's meaning is the workbook's own: OIT is intensive outpatient in the SU codebook.
    oit = ServiceCode.objects.get(kind="su", code="OIT")
    assert "intensive" in oit.name.lower()
    assert oit.category_code == "SET"


def test_the_same_facility_in_both_directories_is_one_listing_with_both(
    cut: dict[str, Path], published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    _run(cut["su"])
    mh_run = _run(cut["mh"])
    su_keys = {
        listing_key(f) for f in read_directory_file(cut["su"]).facilities
    }  # the code's key, checked against a hand-made identity below
    mh_keys = {listing_key(f) for f in read_directory_file(cut["mh"]).facilities}
    both = su_keys & mh_keys
    assert both, "Rhode Island has facilities in both directories"
    assert Listing.objects.count() == len(su_keys | mh_keys)
    assert mh_run.added == len(mh_keys - su_keys)
    assert mh_run.updated == len(both)
    shared = Listing.objects.filter(key__in=both)
    for listing in shared:
        assert sorted(listing.sources.values_list("kind", flat=True)) == ["mh", "su"]
    # And the identity matches the cells: same name, second name, street, city and ZIP.
    _, su_rows, _ = cut_state(published, "su")
    _, mh_rows, _ = cut_state(published, "mh")

    def identity(row: list[Any]) -> tuple[str, ...]:
        return tuple(" ".join(str(row[i]).lower().split()) for i in (0, 1, 2, 3, 4, 6))

    assert len({identity(r) for r in su_rows} & {identity(r) for r in mh_rows}) == len(both)


def test_importing_again_changes_nothing(cut: dict[str, Path]) -> None:
    first = _run(cut["su"])
    codes = ListingCode.objects.count()
    ids = set(Listing.objects.values_list("public_id", flat=True))
    again = _run(cut["su"])
    assert (again.added, again.updated, again.withdrawn) == (0, 0, 0)
    assert again.unchanged == first.added
    assert ListingCode.objects.count() == codes
    assert set(Listing.objects.values_list("public_id", flat=True)) == ids
    assert set(ListingSource.objects.values_list("last_import", flat=True)) == {again.pk}
    assert set(ListingSource.objects.values_list("first_import", flat=True)) == {first.pk}


def test_unknown_codes_are_kept_and_reported(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, rows, codebook = cut_state(published, "su")
    rows = [list(row) for row in rows]
    rows[0][12] = f"{rows[0][12]} * ZZQ1"
    rows[1][12] = f"{rows[1][12]} * ZZQ1 ZZQ2"
    run = _run(write_workbook(tmp_path, "su-2023.xlsx", header, rows, codebook))
    assert run.unknown_codes == {"ZZQ1": 2, "ZZQ2": 1}
    assert ListingCode.objects.filter(code="ZZQ1").count() == 2
    out = io.StringIO()
    call_command("import_directory", str(tmp_path / "su-2023.xlsx"), stdout=out)
    assert "ZZQ1 (2), ZZQ2 (1)" in out.getvalue()


def test_a_facility_the_next_file_drops_is_withdrawn_and_comes_back(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, rows, codebook = cut_state(published, "su")
    _run(write_workbook(tmp_path, "su-2023.xlsx", header, rows, codebook))
    dropped = read_directory_file(tmp_path / "su-2023.xlsx").facilities[0]
    later = _run(write_workbook(tmp_path, "su-2024.xlsx", header, rows[1:], codebook))
    assert later.withdrawn == 1
    source = ListingSource.objects.get(listing__key=listing_key(dropped))
    assert source.withdrawn_at is not None
    assert source.withdrawn_by == later
    back = _run(write_workbook(tmp_path, "su-2025.xlsx", header, rows, codebook))
    assert (back.withdrawn, back.updated) == (0, 1)
    source.refresh_from_db()
    assert source.withdrawn_at is None


def test_an_older_year_after_a_newer_one_is_refused(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, rows, codebook = cut_state(published, "su")
    _run(write_workbook(tmp_path, "su-2024.xlsx", header, rows, codebook))
    with pytest.raises(DirectoryFileError, match="2024 is already imported"):
        _run(write_workbook(tmp_path, "su-2023.xlsx", header, rows[:3], codebook))
    assert DirectoryImport.objects.count() == 1
    assert not ListingSource.objects.exclude(withdrawn_at=None).exists()


def test_later_years_lowercase_headers_read_the_same(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, rows, codebook = cut_state(published, "mh")
    lower = write_workbook(
        tmp_path,
        "mh-2024.xlsx",
        [str(h).lower() for h in header],
        rows,
        [[str(h).lower() for h in codebook[0]], *codebook[1:]],
    )
    run = _run(lower)
    assert run.added == len({listing_key(f) for f in read_directory_file(lower).facilities})
    assert run.kind == "mh"


def _nothing_stored() -> None:
    assert not DirectoryImport.objects.exists()
    assert not Listing.objects.exists()
    assert not ListingCode.objects.exists()
    assert not ServiceCode.objects.exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("no codebook sheet", 'no "Service Code Reference" sheet'),
        ("renamed column", "has no column service_code_info"),
        ("code in two categories", "is listed under two categories"),
        ("no facilities", "lists no facilities"),
    ],
)
def test_a_damaged_workbook_is_refused_whole(
    tmp_path: Path,
    published: dict[str, dict[str, list[list[Any]]]],
    damage: str,
    message: str,
) -> None:
    header, rows, codebook = cut_state(published, "su")
    sheets: dict[str, list[list[Any]]] = {
        "Facilities List": [list(header), *rows],
        "Service Code Reference": [list(r) for r in codebook],
    }
    if damage == "no codebook sheet":
        del sheets["Service Code Reference"]
    elif damage == "renamed column":
        sheets["Facilities List"][0][12] = "services"
    elif damage == "code in two categories":
        moved = list(codebook[5])
        moved[0], moved[1] = "PAY", "Payment/Insurance/Funding Accepted"
        sheets["Service Code Reference"].append(moved)
    elif damage == "no facilities":
        sheets["Facilities List"] = [list(header)]
    path = write_xlsx(tmp_path / "su-2023.xlsx", sheets)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_directory", str(path), stdout=io.StringIO())
    assert "Nothing was imported" in str(refused.value)
    _nothing_stored()


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "su-2023.xlsx"
    path.write_text("name1,street1\n")
    with pytest.raises(CommandError, match="not a spreadsheet Trellis can read"):
        call_command("import_directory", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_directory", str(tmp_path / "none.xlsx"), stdout=io.StringIO())
    _nothing_stored()


def test_a_file_whose_directory_cannot_be_told_asks_for_kind_and_year(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, rows, _ = cut_state(published, "su")
    codebook = [r for r in published["su"]["Service Code Reference"] if r[0] != "DETOX"]
    path = write_workbook(tmp_path, "directory-2023.xlsx", header, rows, codebook)
    with pytest.raises(CommandError, match="--kind su or --kind mh"):
        call_command("import_directory", str(path), stdout=io.StringIO())
    no_year = write_workbook(tmp_path, "directory.xlsx", header, rows, codebook)
    with pytest.raises(CommandError, match="give it with --year"):
        call_command("import_directory", str(no_year), "--kind", "su", stdout=io.StringIO())
    _nothing_stored()
    out = io.StringIO()
    call_command("import_directory", str(no_year), "--kind=su", "--year=2023", stdout=out)
    assert "Substance use directory 2023, survey year 2022" in out.getvalue()


def test_the_summary_names_every_count(cut: dict[str, Path]) -> None:
    out = io.StringIO()
    call_command("import_directory", str(cut["su"]), str(cut["mh"]), stdout=out)
    text = out.getvalue()
    for word in ("added", "updated", "unchanged"):
        assert word in text
    assert "withdrawn 0" in text
    assert "unknown codes: none" in text


def test_a_locator_export_is_decoded_with_the_imported_codebook(
    tmp_path: Path, cut: dict[str, Path]
) -> None:
    export = tmp_path / "locator-su-2025.csv"
    header = ["name1", "name2", "street1", "street2", "city", "state", "zip", "phone"]
    export.write_text(",".join([*header, "OIT"]) + "\nA,,1 Main St,,X,RI,02903,1,1\n")
    with pytest.raises(CommandError, match="import a National Directory workbook first"):
        call_command("import_directory", str(export), stdout=io.StringIO())
    _run(cut["su"])
    before = Listing.objects.count()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*header, "latitude", "longitude", "OIT", "CBT", "NEWX"])
    harbor_row = ["Harbor Light Recovery", "", "12 Wharf Street", "", "Newport", "RI", "2840"]
    writer.writerow([*harbor_row, "401-555-0101", "41.49", "-71.31", "1", "Y", "x"])
    bay_row = ["Bay Path Counseling", "", "3 Hope St", "Suite 2", "Providence", "RI"]
    writer.writerow([*bay_row, "02906-1234", "4", "", "", "0", "yes", ""])
    export.write_text(buffer.getvalue())
    run = _run(export)
    assert (run.source_format, run.kind, run.directory_year, run.survey_year) == (
        "locator",
        "su",
        2025,
        None,
    )
    assert run.added == 2
    assert run.withdrawn == 0, "a locator export may cover one area: it withdraws nothing"
    assert run.unknown_codes == {"NEWX": 1}
    harbor = Listing.objects.get(name1="Harbor Light Recovery")
    assert harbor.zip == "02840"
    assert (harbor.latitude, harbor.longitude) == (41.49, -71.31)
    assert harbor.location_source == LocationSource.FILE
    assert set(harbor.codes.values_list("code", flat=True)) == {"OIT", "CBT", "NEWX"}
    bay = Listing.objects.get(name1="Bay Path Counseling")
    assert bay.zip == "02906"
    assert bay.location_source == LocationSource.ZIP
    assert set(bay.codes.values_list("code", flat=True)) == {"CBT"}
    assert Listing.objects.count() == before + 2


def test_listings_get_their_zip_centroid_labelled_approximate(cut: dict[str, Path]) -> None:
    _run(cut["su"])
    located = Listing.objects.exclude(location_source=LocationSource.NONE)
    assert located.count() == Listing.objects.count()
    for listing in located:
        assert listing.location_source == LocationSource.ZIP
        # Rhode Island lies within these lines.
        assert listing.latitude is not None
        assert listing.longitude is not None
        assert 41.1 < listing.latitude < 42.1
        assert -71.95 < listing.longitude < -71.1


def test_a_regional_import_reads_and_withdraws_only_its_states(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    header, ri_rows, codebook = cut_state(published, "su", "RI")
    _, ct_rows, _ = cut_state(published, "su", "CT")
    both = write_workbook(tmp_path, "su-2023.xlsx", header, ri_rows + ct_rows, codebook)
    first = _run(both)
    assert first.added == len({listing_key(f) for f in read_directory_file(both).facilities})
    # A later file without Rhode Island, imported for Connecticut only: RI stays listed.
    later = write_workbook(tmp_path, "su-2024.xlsx", header, ct_rows[1:], codebook)
    run = import_directory(read_directory_file(later, states=["ct"]))
    assert run.states == "CT"
    assert run.withdrawn == 1
    withdrawn = ListingSource.objects.exclude(withdrawn_at=None)
    assert {s.listing.state for s in withdrawn} == {"CT"}
    assert not ListingSource.objects.filter(listing__state="RI").exclude(withdrawn_at=None)
    with pytest.raises(DirectoryFileError, match="lists no facilities in ZZ"):
        read_directory_file(later, states=["ZZ"])


def test_the_demo_imports_its_region_from_the_bundled_workbooks() -> None:
    from trellis.directory.demo import DEMO_STATES, seed_directory

    added = seed_directory()
    assert added == Listing.objects.count() > 1000
    assert set(Listing.objects.values_list("state", flat=True)) == set(DEMO_STATES)
    assert seed_directory() == 0  # again: nothing new
