"""Searching near a place, against the cells of the real workbooks (Rhode Island)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.directory import geo
from trellis.directory.importing import import_directory, listing_key
from trellis.directory.models import Listing, ListingSource
from trellis.directory.queries import search_near
from trellis.directory.reading import read_directory_file
from trellis.directory.tests.workbooks import cut_state, write_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhode_island(cut: dict[str, Path]) -> None:
    for path in cut.values():
        import_directory(read_directory_file(path))


def _expected(
    cut: dict[str, Path],
    here: geo.Place,
    miles: float,
    groups: dict[str, frozenset[str]],
) -> set[str]:
    """Listing keys within the radius whose codes (from the rows of both workbooks, read by
    `reading.py`, whose counts test_import.py checks against the cells) hold one of each
    group's codes."""
    codes: dict[str, set[str]] = {}
    for path in cut.values():
        for facility in read_directory_file(path).facilities:
            codes.setdefault(listing_key(facility), set()).update(facility.codes)
            place = geo.zip_place(facility.zip)
            assert place is not None
            distance = geo.miles_between(
                here.latitude, here.longitude, place.latitude, place.longitude
            )
            if distance > miles:
                codes.pop(listing_key(facility), None)
    return {key for key, found in codes.items() if all(found & g for g in groups.values())}


@pytest.mark.parametrize(
    ("miles", "groups"),
    [
        (10, {}),
        (25, {"care": frozenset({"OIT"})}),
        (25, {"care": frozenset({"OIT", "PHDT"}), "pay": frozenset({"MD"})}),
        (50, {"approach": frozenset({"DBT"}), "language": frozenset({"SP"})}),
    ],
)
def test_results_are_the_listings_the_cells_put_in_the_radius(
    rhode_island: None,
    cut: dict[str, Path],
    miles: float,
    groups: dict[str, frozenset[str]],
) -> None:
    providence = geo.zip_place("02903")
    assert providence is not None
    result = search_near(providence.latitude, providence.longitude, miles, groups)
    keys = dict(Listing.objects.values_list("pk", "key"))
    assert {keys[n.listing_id] for n in result.listings} == _expected(
        cut, providence, miles, groups
    )
    distances = [n.miles for n in result.listings]
    assert distances == sorted(distances)
    assert all(d <= miles for d in distances)


def test_option_counts_leave_out_their_own_group(rhode_island: None) -> None:
    providence = geo.zip_place("02903")
    assert providence is not None
    args = (providence.latitude, providence.longitude, 25)
    options = {"pay": ["MD", "MC", "PI", "SF"], "care": ["OIT", "OP"]}
    result = search_near(*args, {"pay": frozenset({"MD"})}, options)
    for code in options["pay"]:
        # Ticking Medicaid does not hide how many take Medicare.
        alone = search_near(*args, {"pay": frozenset({code})})
        assert result.option_counts["pay"][code] == len(alone.listings)
    for code in options["care"]:
        both = search_near(*args, {"pay": frozenset({"MD"}), "care": frozenset({code})})
        assert result.option_counts["care"][code] == len(both.listings)


def test_withdrawn_listings_are_not_found(rhode_island: None) -> None:
    providence = geo.zip_place("02903")
    assert providence is not None
    before = search_near(providence.latitude, providence.longitude, 25)
    gone = before.listings[0].listing_id
    ListingSource.objects.filter(listing_id=gone).update(withdrawn_at="2026-01-01T00:00:00Z")
    after = search_near(providence.latitude, providence.longitude, 25)
    assert gone not in {n.listing_id for n in after.listings}
    assert len(after.listings) == len(before.listings) - 1


@pytest.mark.parametrize("miles", [0, 0.5, 251, 10_000])
def test_a_radius_out_of_range_is_refused(miles: float) -> None:
    with pytest.raises(ValueError, match="1 to 250 miles"):
        search_near(41.8, -71.4, miles)


def test_the_query_count_does_not_grow_with_the_data(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    counts = []
    for n, state in enumerate(("RI", "MA")):
        for kind in ("su", "mh"):
            header, rows, codebook = cut_state(published, kind, state)
            path = write_workbook(tmp_path, f"{kind}-{2023 + n}.xlsx", header, rows, codebook)
            import_directory(read_directory_file(path))
        boston = geo.zip_place("02108")
        assert boston is not None
        with CaptureQueriesContext(connection) as captured:
            result = search_near(
                boston.latitude, boston.longitude, 60, {"care": frozenset({"OP"})}, {"pay": ["MD"]}
            )
        counts.append(len(captured))
        assert result.in_radius > 0
    assert counts[0] == counts[1]
