"""ZIP centroids and distances (docs/finder.md, "Location")."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trellis.directory.geo import bounding_box, miles_between, zip_place


@pytest.mark.parametrize(
    ("a", "b", "miles"),
    [
        # Airports, published great-circle distances (FAA / great-circle mappers), ±0.5 %.
        ((33.9425, -118.4081), (40.6398, -73.7789), 2475),  # LAX–JFK
        ((41.9786, -87.9048), (33.6367, -84.4281), 606),  # ORD–ATL
        ((47.4490, -122.3093), (61.1744, -149.9964), 1448),  # SEA–ANC
    ],
)
def test_great_circle_distance_matches_published_figures(
    a: tuple[float, float], b: tuple[float, float], miles: float
) -> None:
    assert miles_between(*a, *b) == pytest.approx(miles, rel=0.005)
    assert miles_between(*b, *a) == pytest.approx(miles_between(*a, *b))
    assert miles_between(*a, *a) == 0


def test_zip_centroids_are_where_the_zip_is() -> None:
    providence = zip_place("02903")
    assert providence is not None
    assert (providence.city, providence.state) == ("Providence", "RI")
    newport = zip_place("02840")
    assert newport is not None
    # Providence to Newport is about 23 miles as the crow flies.
    assert (
        18
        < miles_between(
            providence.latitude, providence.longitude, newport.latitude, newport.longitude
        )
        < 28
    )
    for bad in ("00000", "99999", "2903", "ABCDE", "", "029030"):
        assert zip_place(bad) is None


@given(
    lat=st.floats(min_value=-80, max_value=80),
    lon=st.floats(min_value=-180, max_value=180),
    miles=st.floats(min_value=0.5, max_value=500),
    bearing=st.floats(min_value=0, max_value=2 * math.pi),
    fraction=st.floats(min_value=0, max_value=1),
)
def test_the_box_holds_every_point_within_the_radius(
    lat: float, lon: float, miles: float, bearing: float, fraction: float
) -> None:
    # A point `fraction × miles` away in direction `bearing` (spherical destination formula).
    distance = fraction * miles * 0.999 / 3958.7613
    phi1, lam1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(distance)
        + math.cos(phi1) * math.sin(distance) * math.cos(bearing)
    )
    lam2 = lam1 + math.atan2(
        math.sin(bearing) * math.sin(distance) * math.cos(phi1),
        math.cos(distance) - math.sin(phi1) * math.sin(phi2),
    )
    plat = math.degrees(phi2)
    plon = (math.degrees(lam2) + 540) % 360 - 180
    assert miles_between(lat, lon, plat, plon) <= miles
    box = bounding_box(lat, lon, miles)
    assert box.south <= plat <= box.north
    if box.crosses_antimeridian:
        assert plon >= box.west or plon <= box.east
    else:
        assert box.west <= plon <= box.east
