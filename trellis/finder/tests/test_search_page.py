"""The public finder's pages: search by ZIP with filters, refusals, a listing, and that no
participant data can reach them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import World
from trellis.directory.importing import import_directory
from trellis.directory.models import Listing, ListingSource
from trellis.directory.reading import read_directory_file
from trellis.directory.tests.workbooks import cut_state, write_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhode_island(cut: dict[str, Path]) -> None:
    for path in cut.values():
        import_directory(read_directory_file(path))


def _heading(html: str) -> str:
    found = re.search(r'<h2 id="results-heading">(.*?)</h2>', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def _reasons(html: str) -> list[str]:
    return re.findall(r'<p class="finder-reasons">(.*?)</p>', html)


def test_search_by_zip_with_filters_lists_matches_with_their_reasons(rhode_island: None) -> None:
    query = {"zip": "02903", "miles": "25", "care": "OIT", "pay": "MD", "language": "SP"}
    response = Client().get("/find/", query)
    assert response.status_code == 200
    html = response.content.decode()
    heading = _heading(html)
    assert heading.endswith("places within 25 miles of 02903 (Providence, RI)")
    reasons = _reasons(html)
    assert reasons
    for line in reasons:
        assert "miles away" in line
        assert "Intensive outpatient treatment" in line
        assert "Medicaid" in line
        assert "Spanish" in line
    miles = [float(line.split(" miles")[0]) for line in reasons]
    assert miles == sorted(miles)
    # The ticked boxes stay ticked, and every option shows its count.
    assert re.search(r'name="care" value="OIT" checked', html)
    assert re.search(r'value="MC"> <span class="name">Medicare <span class="count">\(\d+', html)


def test_the_source_and_the_location_credit_are_on_the_page(rhode_island: None) -> None:
    html = Client().get("/find/", {"zip": "02903"}).content.decode()
    assert "National Directory of Substance Use Treatment Facilities 2023" in html
    assert "National Directory of Mental Health Treatment Facilities 2023" in html
    assert "survey year 2022" in html
    assert "GeoNames" in html
    assert "approximate" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"zip": "00000"}, "00000 is not a ZIP code we know"),
        ({"zip": "2903"}, "Enter a five-digit ZIP code"),
        ({"zip": "<b>x</b>"}, "Enter a five-digit ZIP code"),
        ({"zip": "02903", "miles": "0"}, "Select a valid choice"),
        ({"zip": "02903", "miles": "10000"}, "Select a valid choice"),
        ({"miles": "25"}, "Enter your ZIP code, or use your location"),
        ({"lat": "95", "lon": "0"}, "Your location could not be used"),
        ({"lat": "x", "lon": "-71"}, "Your location could not be used"),
    ],
)
def test_bad_input_gets_a_clear_message(
    rhode_island: None, query: dict[str, str], message: str
) -> None:
    response = Client().get("/find/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<b>x</b>" not in html
    assert not _heading(html)


def test_filters_that_match_nothing_say_so(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    """Rhode Island with every veterans' code taken out: ticking "Veterans" finds nothing
    nearby, and the page says why and shows the option's zero."""
    header, rows, codebook = cut_state(published, "su")
    codes_at = [str(h).lower() for h in header].index("service_code_info")
    rows = [
        [*r[:codes_at], str(r[codes_at]).replace(" VET", " "), *r[codes_at + 1 :]] for r in rows
    ]
    path = write_workbook(tmp_path, "su-2023.xlsx", header, rows, codebook)
    import_directory(read_directory_file(path))
    query: dict[str, str] = {"zip": "02903", "miles": "25", "groups": "VET"}
    html = Client().get("/find/", query).content.decode()
    assert _heading(html).startswith("0 places within 25 miles")
    assert "none matches all of your filters" in html
    zero = r'value="VET" checked> <span class="name">[^<]+<span class="count">\(0 none nearby\)'
    assert re.search(zero, html)


def test_a_place_far_from_any_listing_says_to_widen(rhode_island: None) -> None:
    html = Client().get("/find/", {"zip": "99501", "miles": "5"}).content.decode()  # Anchorage
    assert _heading(html).startswith("0 places within 5 miles")
    assert "Try a larger distance" in html


def test_use_my_location_searches_from_the_point(rhode_island: None) -> None:
    html = Client().get("/find/", {"lat": "41.82", "lon": "-71.41", "miles": "10"}).content.decode()
    assert _heading(html).endswith("within 10 miles of your location")
    assert _reasons(html)


def test_a_listing_page_shows_the_directory_facts_and_source(rhode_island: None) -> None:
    listing = Listing.objects.filter(sources__kind="su").order_by("id").first()
    assert listing is not None
    response = Client().get(f"/find/listing/{listing.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert listing.name1 in html
    assert "Listed in the National Directory of Substance Use Treatment Facilities 2023" in html
    assert "Type of Care" in html


def test_a_withdrawn_or_unknown_listing_is_not_found(rhode_island: None) -> None:
    listing = Listing.objects.order_by("id").first()
    assert listing is not None
    ListingSource.objects.filter(listing=listing).update(withdrawn_at="2026-01-01T00:00:00Z")
    assert Client().get(f"/find/listing/{listing.public_id}/").status_code == 404
    assert Client().get("/find/listing/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_search_page_query_count_does_not_grow_with_the_data(
    tmp_path: Path, published: dict[str, dict[str, list[list[Any]]]]
) -> None:
    counts = []
    for n, state in enumerate(("RI", "MA")):
        for kind in ("su", "mh"):
            header, rows, codebook = cut_state(published, kind, state)
            path = write_workbook(tmp_path, f"{kind}-{2023 + n}.xlsx", header, rows, codebook)
            import_directory(read_directory_file(path))
        client = Client()
        client.get("/find/", {"zip": "02108"})  # warm the ZIP table
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/find/", {"zip": "02108", "miles": "100", "care": "OP"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_no_participant_data_reaches_the_finder(world: World, rhode_island: None) -> None:
    """Every finder page, searched from the participant's own ZIP, holds none of the demo
    world's participant names or record numbers."""
    client = Client()
    listing = Listing.objects.order_by("id").first()
    assert listing is not None
    pages = [
        client.get("/find/"),
        client.get("/find/", {"zip": "02903", "miles": "100"}),
        client.get(f"/find/listing/{listing.public_id}/"),
    ]
    from trellis.participants.models import Participant

    people = list(Participant.objects.values_list("given_name", "family_name", "mrn"))
    assert people
    for response in pages:
        html = response.content.decode()
        for given, family, mrn in people:
            assert f"{given} {family}" not in html
            assert mrn not in html


def _ids(html: str) -> list[str]:
    return re.findall(r'name="id" value="([0-9a-f-]+)"', html)


def test_compare_three_places_side_by_side(rhode_island: None) -> None:
    client = Client()
    html = client.get("/find/", {"zip": "02903", "miles": "25"}).content.decode()
    chosen = _ids(html)[:3]
    assert len(chosen) == 3
    response = client.get("/find/compare/", {"id": chosen})
    assert response.status_code == 200
    page = response.content.decode()
    listings = {str(lst.public_id): lst for lst in Listing.objects.filter(public_id__in=chosen)}
    heads = re.findall(r'<th scope="col"><a href="/find/listing/([0-9a-f-]+)/">', page)
    assert heads == chosen  # in the order chosen
    for public_id in chosen:
        assert listings[public_id].name1 in page
    for label in ("Intensive outpatient", "Phone", "Payment and help paying", "Listed in"):
        assert f'<th scope="row">{label}</th>' in page
    # The address holds the ids only: nothing typed into the search (the ZIP) travels.
    assert "02903" not in response.request["QUERY_STRING"]


@pytest.mark.parametrize(
    ("count", "message"),
    [(1, "Choose at least two"), (5, "Choose up to four")],
)
def test_compare_needs_two_to_four_places(rhode_island: None, count: int, message: str) -> None:
    ids = [str(p) for p in Listing.objects.values_list("public_id", flat=True)[:count]]
    response = Client().get("/find/compare/", {"id": ids})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_compare_ignores_unknown_and_withdrawn_places(rhode_island: None) -> None:
    first, second = Listing.objects.order_by("id")[:2]
    ListingSource.objects.filter(listing=second).update(withdrawn_at="2026-01-01T00:00:00Z")
    response = Client().get(
        "/find/compare/", {"id": [str(first.public_id), str(second.public_id), "not-an-id"]}
    )
    assert response.status_code == 400
    assert "no longer in the directory" in response.content.decode()
