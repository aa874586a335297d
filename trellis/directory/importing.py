"""Upserting a read directory file into the listings (docs/finder.md, "The directory import").

`import_directory` runs in one transaction: a file either lands whole, with its
`DirectoryImport` row and the counts, or not at all. Facilities are matched by `listing_key`
(name, second name, street, suite, city, state and ZIP, normalized), so the same facility in
the substance use and the mental health directory is one listing with two sources, and
importing a file again changes nothing. A workbook withdraws the listings of its directory
that it no longer lists; a locator export (which may cover one area only) withdraws nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import cast

from django.db import connection, models, transaction
from django.utils import timezone

from trellis.directory import geo
from trellis.directory.models import (
    DirectoryImport,
    Listing,
    ListingCode,
    ListingSource,
    LocationSource,
    ServiceCode,
    SourceFormat,
)
from trellis.directory.reading import DirectoryFile, DirectoryFileError, Facility

Progress = Callable[[str, int, int], None]

# Address words written both ways in the directories ("Street" and "St").
_ABBREVIATIONS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "suite": "ste",
    "highway": "hwy",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "parkway": "pkwy",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "building": "bldg",
    "floor": "fl",
    "saint": "st",
    "mount": "mt",
    "fort": "ft",
}

LISTING_FIELDS = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake1",
    "intake2",
    "intake1a",
    "intake2a",
)

CODE_BATCH = 5000

_MAX_LENGTHS: dict[str, int] = {
    name: cast("models.CharField[str, str]", Listing._meta.get_field(name)).max_length or 0
    for name in LISTING_FIELDS
}


def normalize(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def listing_key(facility: Facility) -> str:
    parts = [
        normalize(facility.name1),
        normalize(facility.name2),
        normalize(facility.street1),
        normalize(facility.street2),
        normalize(facility.city),
        facility.state.upper(),
        facility.zip,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _fingerprint(facility: Facility) -> str:
    values = [getattr(facility, name) for name in LISTING_FIELDS]
    values.append(" ".join(sorted(facility.codes)))
    values.append(f"{facility.latitude},{facility.longitude}")
    return hashlib.sha256("\x1f".join(str(v) for v in values).encode()).hexdigest()


def _merge(first: Facility, other: Facility) -> None:
    """A row that repeats another's name and address: one facility, the codes of both."""
    first.codes = tuple(dict.fromkeys((*first.codes, *other.codes)))
    first.code_text = " * ".join(t for t in (first.code_text, other.code_text) if t)
    for field in fields(Facility):
        if field.name in LISTING_FIELDS and not getattr(first, field.name):
            setattr(first, field.name, getattr(other, field.name))


def _chunks[T](items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Located:
    latitude: float | None
    longitude: float | None
    source: str


def _locate(facility: Facility) -> _Located:
    if facility.latitude is not None and facility.longitude is not None:
        return _Located(facility.latitude, facility.longitude, LocationSource.FILE)
    place = geo.zip_place(facility.zip)
    if place is None:
        return _Located(None, None, LocationSource.NONE)
    return _Located(place.latitude, place.longitude, LocationSource.ZIP)


def _apply(listing: Listing, facility: Facility) -> None:
    for name in LISTING_FIELDS:
        setattr(listing, name, getattr(facility, name)[: _MAX_LENGTHS[name]])
    located = _locate(facility)
    listing.latitude, listing.longitude = located.latitude, located.longitude
    listing.location_source = located.source


def _store_codebook(data: DirectoryFile) -> set[str]:
    """Write the file's codebook (a workbook) and return every code the kind's codebook
    defines. A locator export has none: it is decoded with the codebook already imported."""
    if data.codebook is None:
        known = set(ServiceCode.objects.values_list("code", flat=True))
        if not known:
            raise DirectoryFileError(
                f"{data.path.name} is a locator export, which carries no codebook: import a "
                "National Directory workbook first so its codes can be decoded."
            )
        return known
    existing = {row.code: row for row in ServiceCode.objects.filter(kind=data.kind)}
    new, changed = [], []
    for code, entry in data.codebook.items():
        values = {
            "category_code": entry.category_code,
            "category_name": entry.category_name[:200],
            "name": entry.name[:300],
            "description": entry.description,
            "directory_year": data.directory_year,
        }
        row = existing.get(code)
        if row is None:
            new.append(ServiceCode(kind=data.kind, code=code[:16], **values))
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed.append(row)
    ServiceCode.objects.bulk_create(new)
    ServiceCode.objects.bulk_update(
        changed, ["category_code", "category_name", "name", "description", "directory_year"]
    )
    return set(data.codebook)


def _insert_codes(rows: list[tuple[int, str, str]], progress: Progress | None) -> None:
    """The listings' codes (1.4 million for the two 2023 workbooks), written in batches
    through the cursor rather than built one by one as objects by `bulk_create`."""
    table = ListingCode._meta.db_table
    statement = f"INSERT INTO {table} (listing_id, kind, code) VALUES (%s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for done, batch in enumerate(_chunks(rows, CODE_BATCH), start=1):
            cursor.executemany(statement, batch)
            if progress:
                progress("codes", min(done * CODE_BATCH, len(rows)), len(rows))


@transaction.atomic
def import_directory(data: DirectoryFile, progress: Progress | None = None) -> DirectoryImport:
    newer = (
        DirectoryImport.objects.filter(
            kind=data.kind,
            source_format=SourceFormat.WORKBOOK,
            directory_year__gt=data.directory_year,
        )
        .order_by("-directory_year")
        .first()
    )
    if newer is not None and data.source_format == "workbook":
        raise DirectoryFileError(
            f"{data.path.name}: the {newer.get_kind_display().lower()} of {newer.directory_year} "
            f"is already imported; importing the older {data.directory_year} file would withdraw "
            "the newer listings."
        )
    known = _store_codebook(data)
    now = timezone.now()
    run = DirectoryImport.objects.create(
        file_name=data.path.name[:255],
        sha256=data.sha256,
        kind=data.kind,
        source_format=data.source_format,
        directory_year=data.directory_year,
        survey_year=data.survey_year,
        imported_at=now,
        rows=len(data.facilities),
        states=" ".join(sorted(data.states)),
    )

    # One facility per key: rows that repeat a name and address are merged.
    facilities: dict[str, Facility] = {}
    unknown: Counter[str] = Counter()
    for facility in data.facilities:
        for code in facility.codes:
            if code not in known:
                unknown[code] += 1
        key = listing_key(facility)
        if key in facilities:
            _merge(facilities[key], facility)
            run.merged_rows += 1
        else:
            facilities[key] = facility
    run.unknown_codes = dict(sorted(unknown.items()))

    sources = {
        source.listing.key: source
        for source in ListingSource.objects.filter(kind=data.kind).select_related("listing")
    }
    other_listings = {
        listing.key: listing
        for listing in Listing.objects.filter(key__in=[k for k in facilities if k not in sources])
    }

    new_listings: list[Listing] = []
    changed_listings: list[Listing] = []
    new_sources: list[tuple[Listing, Facility, str]] = []
    changed_sources: list[ListingSource] = []
    seen_source_ids: list[int] = []
    total = len(facilities)
    for done, (key, facility) in enumerate(facilities.items(), start=1):
        if progress and done % 500 == 0:
            progress("facilities", done, total)
        fingerprint = _fingerprint(facility)
        source = sources.get(key)
        if source is None:
            listing = other_listings.get(key)
            if listing is None:
                listing = Listing(key=key, created_at=now, updated_at=now)
                _apply(listing, facility)
                new_listings.append(listing)
                run.added += 1
            else:
                # Known from the other directory: it gains this one. Its fields follow the
                # newer file only where it had none.
                listing.updated_at = now
                for name in LISTING_FIELDS:
                    if not getattr(listing, name) and getattr(facility, name):
                        setattr(listing, name, getattr(facility, name))
                changed_listings.append(listing)
                run.updated += 1
            new_sources.append((listing, facility, fingerprint))
            continue
        seen_source_ids.append(source.pk)
        if source.fingerprint == fingerprint and source.withdrawn_at is None:
            run.unchanged += 1
            continue
        _apply(source.listing, facility)
        source.listing.updated_at = now
        changed_listings.append(source.listing)
        source.fingerprint = fingerprint
        source.code_text = facility.code_text
        source.withdrawn_at = None
        source.withdrawn_by = None
        changed_sources.append(source)
        run.updated += 1
    if progress:
        progress("facilities", total, total)

    Listing.objects.bulk_create(new_listings, batch_size=500)
    Listing.objects.bulk_update(
        changed_listings,
        [*LISTING_FIELDS, "latitude", "longitude", "location_source", "updated_at"],
        batch_size=500,
    )
    ListingSource.objects.bulk_create(
        [
            ListingSource(
                listing=listing,
                kind=data.kind,
                first_import=run,
                last_import=run,
                code_text=facility.code_text,
                fingerprint=fingerprint,
            )
            for listing, facility, fingerprint in new_sources
        ],
        batch_size=500,
    )
    ListingSource.objects.bulk_update(
        changed_sources,
        ["fingerprint", "code_text", "withdrawn_at", "withdrawn_by"],
        batch_size=500,
    )
    for ids in _chunks(seen_source_ids, 900):
        ListingSource.objects.filter(pk__in=ids).update(last_import=run)

    # Codes: new sources get theirs; changed sources get theirs rewritten.
    changed_ids = [source.listing_id for source in changed_sources]
    for ids in _chunks(changed_ids, 900):
        ListingCode.objects.filter(kind=data.kind, listing_id__in=ids).delete()
    code_rows: list[tuple[int, str, str]] = [
        (listing.pk, data.kind, code[:16])
        for listing, facility, _ in new_sources
        for code in facility.codes
    ]
    by_key = {source.listing.key: source for source in changed_sources}
    code_rows.extend(
        (source.listing_id, data.kind, code[:16])
        for key, source in by_key.items()
        for code in facilities[key].codes
    )
    _insert_codes(code_rows, progress)

    if data.source_format == "workbook":
        gone = ListingSource.objects.filter(kind=data.kind, withdrawn_at__isnull=True).exclude(
            last_import=run
        )
        if data.states:  # a regional import withdraws only within its region
            gone = gone.filter(listing__state__in=sorted(data.states))
        run.withdrawn = gone.update(withdrawn_at=now, withdrawn_by=run)
    run.save()
    return run
