"""Double bookings and over-capacity: found before a schedule change is saved, and shown
where they already exist.

A change is checked over a horizon (the next CONFLICT_HORIZON_WEEKS weeks from its first
affected date): far enough to catch a clash in the usual rotation, bounded so a save stays
fast. Conflicts are refused unless the person overrides them with a reason (audited).

Conflicts already in the schedule (saved with an override, or from before the checks) are
flagged on the week, room and series pages by `conflicts_between`: the same room or the same
facilitator at overlapping times anywhere in the organization, and a participant expected at
two overlapping sessions of one program. Participant overlaps are never looked for across
programs: that a person is also in another program (42 CFR Part 2) is itself protected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q

from trellis.programs.models import Organization, Room
from trellis.scheduling import notify, recurrence
from trellis.scheduling.queries import (
    Slot,
    expected_episodes,
    occurrences_between,
    roster_for,
    series_queryset,
)

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


# --- conflicts already in the schedule ------------------------------------------------------


def _label(slot: Slot, zone: ZoneInfo, program_id: int) -> str:
    starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    track = slot.series.track
    where = f"{track.name} track"
    if track.program_id != program_id:
        where = f"{track.program.name}, {where}"
    return (
        f"{slot.series.name} ({where}), {starts:%a} {starts.day} {starts:%b} "
        f"{notify.clock(starts)}–{notify.clock(ends)}"
    )


def conflicts_among(slots: list[Slot], zone: ZoneInfo) -> dict[str, list[str]]:
    """For each slot's key, what it clashes with, naming the other session. Cancelled slots
    clash with nothing. Two queries (the rosters of the slots' series, with status history)."""
    live = [s for s in slots if not s.cancelled]
    if not live:
        return {}
    roster = roster_for(
        {s.series.pk for s in live}, min(s.date for s in live), max(s.date for s in live)
    )
    people = {s.key: {e.participant_id for e in expected_episodes(s, roster)} for s in live}
    by_day: dict[date, list[Slot]] = {}
    for slot in live:
        by_day.setdefault(slot.date, []).append(slot)
    found: dict[str, list[str]] = {}

    def note(slot: Slot, other: Slot, message: str) -> None:
        found.setdefault(slot.key, []).append(message.format(_label(other, zone, _program(slot))))

    for day_slots in by_day.values():
        day_slots.sort(key=lambda s: s.starts_at)
        for index, first in enumerate(day_slots):
            for second in day_slots[index + 1 :]:
                if second.starts_at >= first.ends_at:
                    break  # sorted by start: nothing later overlaps `first`
                for one, other in ((first, second), (second, first)):
                    _pair(one, other, people, note)
    return found


def _program(slot: Slot) -> int:
    return slot.series.track.program_id


def _pair(
    one: Slot, other: Slot, people: dict[str, set[int]], note: Callable[[Slot, Slot, str], None]
) -> None:
    """Note on `one` what it shares with the overlapping `other`."""
    if one.room is not None and other.room is not None and one.room.pk == other.room.pk:
        note(one, other, f"{one.room.name} is also booked: {{}}.")
    theirs = {f.pk for f in other.facilitators}
    for facilitator in one.facilitators:
        if facilitator.pk in theirs:
            note(one, other, f"{facilitator.get_full_name()} is also facilitating {{}}.")
    if _program(one) == _program(other):
        shared = len(people[one.key] & people[other.key])
        if shared:
            who = "1 participant is" if shared == 1 else f"{shared} participants are"
            note(one, other, f"{who} also expected at {{}}.")


def conflicts_between(organization: Organization, start: date, end: date) -> dict[str, list[str]]:
    """Conflicts of every occurrence of the organization between two local dates, by slot
    key, in a fixed number of queries (series, facilitators, exceptions, closures, rosters)."""
    series = (
        series_queryset().filter(track__program__organization=organization).overlapping(start, end)
    )
    return conflicts_among(occurrences_between(series, start, end), organization.tz)


def flag_conflicts(
    slots: Iterable[Slot], organization: Organization, start: date, end: date
) -> None:
    """Set `conflicts` on each slot (the week and room pages)."""
    found = conflicts_between(organization, start, end)
    for slot in slots:
        slot.conflicts = found.get(slot.key, [])
