"""Where a ZIP code is, and how far apart two places are (docs/finder.md, "Location").

ZIP-code centroids come from the `zipcodes` package, which bundles GeoNames coordinates
(CC BY 4.0: the finder's pages credit GeoNames). A centroid is the middle of a ZIP code's
area, not the facility's door: every distance built on one is approximate and says so.
Nothing here goes to the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import zipcodes

EARTH_RADIUS_MILES = 3958.7613
MILES_PER_DEGREE_LATITUDE = 69.055
GEONAMES_CREDIT = (
    "ZIP-code locations: GeoNames (geonames.org), CC BY 4.0, via the zipcodes package."
)


@dataclass(frozen=True)
class Place:
    zip: str
    city: str
    state: str
    latitude: float
    longitude: float


@cache
def _places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
        try:
            latitude, longitude = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        places[row["zip_code"]] = Place(
            row["zip_code"], row["city"], row["state"], latitude, longitude
        )
    return places


def zip_place(code: str) -> Place | None:
    """The centroid of a five-digit ZIP code, or None for one that does not exist."""
    code = code.strip()
    if len(code) != 5 or not code.isdigit():
        return None
    return _places().get(code)


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in miles."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle that holds every point within `miles` of the centre: the
    cheap prefilter (an index range) before the exact distance."""

    south: float
    north: float
    west: float
    east: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.west > self.east


def bounding_box(latitude: float, longitude: float, miles: float) -> Box:
    d_lat = miles / MILES_PER_DEGREE_LATITUDE
    south, north = max(-90.0, latitude - d_lat), min(90.0, latitude + d_lat)
    # Longitude degrees shrink towards the poles: use the latitude farthest from the equator.
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        return Box(south, north, -180.0, 180.0)
    d_lon = miles / (MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(widest)))
    if d_lon >= 180:
        return Box(south, north, -180.0, 180.0)
    west, east = longitude - d_lon, longitude + d_lon
    if west < -180:
        west += 360
    if east > 180:
        east -= 360
    return Box(south, north, west, east)
