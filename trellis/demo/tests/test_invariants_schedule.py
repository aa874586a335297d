"""The demo's schedule is one a program could run: no room holds two groups at once, no
facilitator is in two sessions at once, nobody is expected at two sessions at once, and every
session keeps its track's hours (the After school track does not meet at 9 am).

The demo is seeded once for the module, inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from trellis.programs.models import Organization, Track
from trellis.scheduling.conflicts import conflicts_among
from trellis.scheduling.queries import Slot, occurrences_between, series_queryset

TODAY = date(2026, 3, 2)
WINDOW = (TODAY - timedelta(weeks=12), TODAY + timedelta(weeks=8))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO()
        )
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _slots() -> tuple[Organization, list[Slot]]:
    organization = Organization.objects.get()
    series = series_queryset().filter(track__program__organization=organization)
    slots = [s for s in occurrences_between(series, *WINDOW) if not s.cancelled]
    assert len(slots) > 100
    return organization, slots


def test_no_room_facilitator_or_participant_is_in_two_sessions_at_once() -> None:
    organization, slots = _slots()
    found = conflicts_among(slots, organization.tz)
    assert found == {}, sorted({m for messages in found.values() for m in messages})[:10]


def test_no_room_or_facilitator_is_double_booked_by_a_plain_count() -> None:
    """The same check without the conflict module, so a bug there cannot hide a clash."""
    _, slots = _slots()
    holders: dict[tuple[str, int, date], list[Slot]] = {}
    for s in slots:
        if s.room is not None:
            holders.setdefault(("room", s.room.pk, s.date), []).append(s)
        for facilitator in s.facilitators:
            holders.setdefault(("facilitator", facilitator.pk, s.date), []).append(s)
    clashes = [
        (key[0], one.series.name, other.series.name, f"{one.starts_at:%Y-%m-%d %H:%M}")
        for key, held in holders.items()
        for index, one in enumerate(held)
        for other in held[index + 1 :]
        if one.starts_at < other.ends_at and other.starts_at < one.ends_at
    ]
    assert clashes == []


def test_every_track_has_hours_and_every_session_keeps_them() -> None:
    tracks = list(Track.objects.all())
    assert tracks
    assert all(t.day_starts_at is not None and t.day_ends_at is not None for t in tracks)
    _, slots = _slots()
    outside = [
        (s.series.track.name, s.series.name, s.start_time, s.duration_minutes)
        for s in slots
        if not s.series.track.keeps_hours(s.start_time, s.duration_minutes)
    ]
    assert outside == []


def test_after_school_sessions_start_in_the_afternoon() -> None:
    _, slots = _slots()
    after_school = [s for s in slots if s.series.track.name == "After school"]
    assert after_school
    assert min(s.start_time for s in after_school).hour >= 15
