"""Double bookings and over-capacity, found before a schedule change is saved.

A change is checked over a horizon (the next CONFLICT_HORIZON_WEEKS weeks from its first
affected date): far enough to catch a clash in the usual rotation, bounded so a save stays
fast. Conflicts are refused unless the person overrides them with a reason (audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q

from trellis.programs.models import Organization, Room
from trellis.scheduling import recurrence
from trellis.scheduling.queries import Slot, occurrences_between, series_queryset

CONFLICT_HORIZON_WEEKS = 8


@dataclass(frozen=True)
class Conflict:
    kind: str  # facilitator, room, capacity, participant
    message: str


@dataclass(frozen=True)
class Interval:
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    facilitator_ids: frozenset[int]


def intervals_of_rule(
    rule: recurrence.Rule,
    dtstart: date,
    at: time,
    minutes: int,
    zone: ZoneInfo,
    start: date,
    end: date,
    room_id: int | None,
    facilitator_ids: Iterable[int],
) -> list[Interval]:
    facilitators = frozenset(facilitator_ids)
    result = []
    for _, day in recurrence.local_dates(rule, dtstart, start, end):
        starts = recurrence.aware(day, at, zone)
        result.append(Interval(starts, starts + timedelta(minutes=minutes), room_id, facilitators))
    return result


def _others(
    organization: Organization,
    start: date,
    end: date,
    room_ids: set[int],
    facilitator_ids: set[int],
    exclude_series: set[int],
) -> list[Slot]:
    series = (
        series_queryset()
        .filter(track__program__organization=organization)
        .filter(Q(room_id__in=room_ids) | Q(facilitators__in=facilitator_ids))
        .exclude(pk__in=exclude_series)
        .overlapping(start, end)
        .distinct()
    )
    return [s for s in occurrences_between(series, start, end) if not s.cancelled]


def booking_conflicts(
    organization: Organization,
    intervals: list[Interval],
    *,
    exclude_series: set[int],
    exclude_slot_keys: frozenset[str] = frozenset(),
    users: dict[int, str] | None = None,
) -> list[Conflict]:
    """Room and facilitator double bookings between `intervals` and every other occurrence."""
    if not intervals:
        return []
    start = min(i.starts_at for i in intervals).astimezone(organization.tz).date()
    end = max(i.ends_at for i in intervals).astimezone(organization.tz).date()
    room_ids = {i.room_id for i in intervals if i.room_id is not None}
    facilitator_ids = set().union(*(i.facilitator_ids for i in intervals))
    others = [
        s
        for s in _others(organization, start, end, room_ids, facilitator_ids, exclude_series)
        if s.key not in exclude_slot_keys
    ]
    names = users or {}
    found: dict[tuple[str, str], Conflict] = {}
    for interval in intervals:
        for other in others:
            if not (other.starts_at < interval.ends_at and interval.starts_at < other.ends_at):
                continue
            when = other.starts_at.astimezone(organization.tz)
            label = f"{other.series.name} on {when:%a %Y-%m-%d %H:%M}"
            if interval.room_id is not None and other.room and other.room.pk == interval.room_id:
                found.setdefault(
                    ("room", other.series.name),
                    Conflict("room", f"{other.room.name} is already booked: {label}."),
                )
            for facilitator in other.facilitators:
                if facilitator.pk in interval.facilitator_ids:
                    name = names.get(facilitator.pk, facilitator.get_full_name())
                    found.setdefault(
                        ("facilitator", f"{facilitator.pk}/{other.series.name}"),
                        Conflict("facilitator", f"{name} is already facilitating {label}."),
                    )
    return list(found.values())


def capacity_conflicts(
    capacity: int, room: Room | None, expected: int | None = None
) -> list[Conflict]:
    conflicts = []
    if room is not None and capacity > room.capacity:
        conflicts.append(
            Conflict(
                "capacity",
                f"{room.name} holds {room.capacity}; the session is set for {capacity}.",
            )
        )
    if expected is not None and expected > capacity:
        conflicts.append(
            Conflict("capacity", f"{expected} people would be on a roster of {capacity} places.")
        )
    return conflicts


def refuse_unless_overridden(conflicts: list[Conflict], override_reason: str) -> None:
    """Raise the conflicts as a validation error on `conflicts` unless a reason is given."""
    if conflicts and not override_reason.strip():
        raise ValidationError(
            {
                "conflicts": [c.message for c in conflicts]
                + ["To save anyway, give a reason for overriding."]
            },
            code="conflict",
        )


def horizon(first: date, last: date | None, today: date) -> tuple[date, date]:
    start = max(first, today)
    end = start + timedelta(weeks=CONFLICT_HORIZON_WEEKS)
    if last is not None:
        end = min(end, last)
    return start, end
