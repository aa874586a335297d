"""Searching the directory near a place (docs/finder.md, "Searching").

`search_near` is the finder's engine for directory listings: the listings whose location lies
within a radius of a point, that are still listed (not withdrawn from every directory), that
have at least one code of each chosen group (OR within a group, AND across groups), nearest
first, with per-option counts for the filter list (each group's counts leave out that group's
own choice, so ticking one language still shows how many listings speak the others).

The work is done in two queries whatever the data's size: the listings in the box around the
point (the latitude/longitude index), then their codes among those the search names; Python
keeps the points inside the radius and does the rest over those rows only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from trellis.directory import geo
from trellis.directory.models import Listing, ListingCode, ListingSource

MIN_MILES = 1
MAX_MILES = 250


@dataclass(frozen=True)
class Nearby:
    listing_id: int
    miles: float
    codes: frozenset[str]  # of the codes the search named, those the listing has
    kinds: frozenset[str]  # the directories that list it: "su", "mh"


@dataclass
class SearchResult:
    listings: list[Nearby]
    in_radius: int
    option_counts: dict[str, Counter[str]] = field(default_factory=dict)


def _matches(codes: frozenset[str], groups: Mapping[str, frozenset[str]], skip: str = "") -> bool:
    return all(codes & wanted for name, wanted in groups.items() if name != skip and wanted)


def _in_box(queryset: QuerySet[Any], prefix: str, box: geo.Box) -> QuerySet[Any]:
    latitude, longitude = f"{prefix}latitude", f"{prefix}longitude"
    queryset = queryset.filter(**{f"{latitude}__gte": box.south, f"{latitude}__lte": box.north})
    if box.crosses_antimeridian:
        return queryset.filter(
            Q(**{f"{longitude}__gte": box.west}) | Q(**{f"{longitude}__lte": box.east})
        )
    return queryset.filter(**{f"{longitude}__gte": box.west, f"{longitude}__lte": box.east})


def search_near(
    latitude: float,
    longitude: float,
    miles: float,
    groups: Mapping[str, frozenset[str]] | None = None,
    count_groups: Mapping[str, Sequence[str]] | None = None,
) -> SearchResult:
    """Listings within `miles` of the point that match every group in `groups` (group name →
    codes, any of which will do), nearest first. `count_groups` (group name → the codes shown
    as its options) asks for the per-option counts.

    Two queries: the live listings in the box (with which directories list them), then those
    listings' codes among the ones the groups and the counts name (not all of them: a
    listing has about 75). Python keeps the points inside the radius and does the rest."""
    if not MIN_MILES <= miles <= MAX_MILES:
        raise ValueError(f"The radius must be {MIN_MILES} to {MAX_MILES} miles.")
    groups = {name: frozenset(codes) for name, codes in (groups or {}).items() if codes}
    count_groups = count_groups or {}
    box = geo.bounding_box(latitude, longitude, miles)
    live = ListingSource.objects.filter(listing=OuterRef("pk"), withdrawn_at__isnull=True)
    points = (
        _in_box(Listing.objects.all(), "", box)
        .annotate(in_su=Exists(live.filter(kind="su")), in_mh=Exists(live.filter(kind="mh")))
        .order_by()
        .values_list("pk", "latitude", "longitude", "in_su", "in_mh")
    )
    distances: dict[int, float] = {}
    kinds: dict[int, frozenset[str]] = {}
    for pk, lat, lon, in_su, in_mh in points:
        if not (in_su or in_mh):  # withdrawn from every directory
            continue
        if lat is None or lon is None:  # the box excludes them; the types do not know it
            continue
        distance = geo.miles_between(latitude, longitude, lat, lon)
        if distance <= miles:
            distances[pk] = distance
            kinds[pk] = frozenset(k for k, here in (("su", in_su), ("mh", in_mh)) if here)

    relevant = set().union(*groups.values(), *(set(o) for o in count_groups.values()))
    codes: dict[int, set[str]] = {pk: set() for pk in distances}
    if relevant and distances:
        # Both kinds named, so the unique index (listing, kind, code) seeks each code.
        named = ListingCode.objects.filter(kind__in=["mh", "su"], code__in=sorted(relevant))
        rows = _in_box(named, "listing__", box).order_by().values_list("listing_id", "code")
        for pk, code in rows:
            if pk in codes:
                codes[pk].add(code)
    frozen = {pk: frozenset(found) for pk, found in codes.items()}

    result = SearchResult(
        listings=sorted(
            (
                Nearby(pk, distances[pk], frozen[pk], kinds[pk])
                for pk in distances
                if _matches(frozen[pk], groups)
            ),
            key=lambda n: (n.miles, n.listing_id),
        ),
        in_radius=len(distances),
    )
    for name, options in count_groups.items():
        wanted = set(options)
        counter: Counter[str] = Counter()
        for found in frozen.values():
            if _matches(found, groups, skip=name):
                counter.update(found & wanted)
        result.option_counts[name] = counter
    return result
