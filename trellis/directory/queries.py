"""Searching the directory near a place (docs/finder.md, "Searching").

`search_near` is the finder's engine for directory listings: the listings whose location lies
within a radius of a point, that are still listed (not withdrawn from every directory), that
have at least one code of each chosen group (OR within a group, AND across groups), nearest
first, with per-option counts for the filter list (each group's counts leave out that group's
own choice, so ticking one language still shows how many listings speak the others).

The work is done in a fixed number of queries whatever the data's size: one for the box around
the point (the latitude/longitude index), one for the codes of the listings inside the radius
(the unique index by listing), then Python over those rows only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from trellis.directory import geo
from trellis.directory.models import Listing, ListingCode, ListingSource

MIN_MILES = 1
MAX_MILES = 250
QUERY_CHUNK = 900  # ids per IN (...) list: within every database's parameter limit


@dataclass(frozen=True)
class Nearby:
    listing_id: int
    miles: float
    codes: frozenset[str]
    kinds: frozenset[str]


@dataclass
class SearchResult:
    listings: list[Nearby]
    in_radius: int
    option_counts: dict[str, Counter[str]] = field(default_factory=dict)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), QUERY_CHUNK):
        yield ids[start : start + QUERY_CHUNK]


def _matches(codes: frozenset[str], groups: Mapping[str, frozenset[str]], skip: str = "") -> bool:
    return all(codes & wanted for name, wanted in groups.items() if name != skip and wanted)


def search_near(
    latitude: float,
    longitude: float,
    miles: float,
    groups: Mapping[str, frozenset[str]] | None = None,
    count_groups: Mapping[str, Sequence[str]] | None = None,
) -> SearchResult:
    """Listings within `miles` of the point that match every group in `groups` (group name →
    codes, any of which will do), nearest first. `count_groups` (group name → the codes shown
    as its options) asks for the per-option counts."""
    if not MIN_MILES <= miles <= MAX_MILES:
        raise ValueError(f"The radius must be {MIN_MILES} to {MAX_MILES} miles.")
    groups = {name: frozenset(codes) for name, codes in (groups or {}).items() if codes}
    box = geo.bounding_box(latitude, longitude, miles)
    live = ListingSource.objects.filter(listing=OuterRef("pk"), withdrawn_at__isnull=True)
    near = Listing.objects.filter(latitude__gte=box.south, latitude__lte=box.north)
    if box.crosses_antimeridian:
        near = near.filter(Q(longitude__gte=box.west) | Q(longitude__lte=box.east))
    else:
        near = near.filter(longitude__gte=box.west, longitude__lte=box.east)
    distances: dict[int, float] = {}
    points = near.filter(Exists(live)).values_list("pk", "latitude", "longitude")
    for pk, lat, lon in points:
        if lat is None or lon is None:  # the box excludes them; the types do not know it
            continue
        distance = geo.miles_between(latitude, longitude, lat, lon)
        if distance <= miles:
            distances[pk] = distance

    codes: dict[int, set[str]] = {pk: set() for pk in distances}
    kinds: dict[int, set[str]] = {pk: set() for pk in distances}
    for chunk in _chunks(list(distances)):
        rows = ListingCode.objects.filter(listing_id__in=chunk).values_list(
            "listing_id", "kind", "code"
        )
        for pk, kind, code in rows:
            codes[pk].add(code)
            kinds[pk].add(kind)
    frozen = {pk: frozenset(found) for pk, found in codes.items()}

    result = SearchResult(
        listings=sorted(
            (
                Nearby(pk, distances[pk], frozen[pk], frozenset(kinds[pk]))
                for pk in distances
                if _matches(frozen[pk], groups)
            ),
            key=lambda n: (n.miles, n.listing_id),
        ),
        in_radius=len(distances),
    )
    for name, options in (count_groups or {}).items():
        wanted = set(options)
        counter: Counter[str] = Counter()
        for found in frozen.values():
            if _matches(found, groups, skip=name):
                counter.update(found & wanted)
        result.option_counts[name] = counter
    return result
