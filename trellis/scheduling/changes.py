"""Who a schedule change reaches, and what changed for each of them. Reads only.

A change (a program closure, a moved session, a series edit) is described by the sessions as
they were (`before`) and as they are now (`after`), both taken inside the action's
transaction. Each person expected at any of them (`queries.expected_at`: on the roster and in
the program that day) and each facilitator or substitute gets one notice listing *their*
sessions that changed; sessions that have already started are left out. The notice carries
times only (no series, program or room names): `tasks.send_schedule_change` words and sends
it after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from trellis.scheduling.models import Mode
from trellis.scheduling.queries import (
    Slot,
    expected_episodes,
    occurrences_between,
    roster_for,
    series_queryset,
)

NOTICE_WEEKS = 4  # a series edit lists the changed sessions of the next four weeks

CLOSURE, MOVED, SERIES = "closure", "moved", "series"


@dataclass(frozen=True)
class Line:
    """One session's change: before and after (None: not held / newly held), ISO times."""

    before: tuple[str, str] | None
    after: tuple[str, str] | None
    place: str = ""  # "video", "in person", "another room" when the place changed

    def as_json(self) -> list[Any]:
        return [list(self.before or []), list(self.after or []), self.place]


@dataclass
class Notice:
    participant_id: int | None = None
    user_id: int | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Snapshot:
    """Sessions at one moment, with who is expected and who facilitates each."""

    slots: dict[tuple[date, int], Slot]
    participants: dict[tuple[date, int], set[int]]
    staff: dict[tuple[date, int], set[int]]


def upcoming(series_ids: Iterable[int], start: date, end: date, now: datetime) -> list[Slot]:
    """Sessions of these series between two local dates that are still to start."""
    series = series_queryset().filter(pk__in=list(series_ids)).overlapping(start, end)
    return [
        s for s in occurrences_between(series, start, end) if not s.cancelled and s.starts_at > now
    ]


def snapshot(slots: list[Slot], lineage: dict[int, int] | None = None) -> Snapshot:
    """Who is expected at and who facilitates each slot, keyed by (original date, series);
    `lineage` maps a continuing series to the one it continues (a split), so a session of
    the new series is compared with the same day of the old one."""
    lineage = lineage or {}
    keyed = {(s.original_date, lineage.get(s.series.pk, s.series.pk)): s for s in slots}
    if not slots:
        return Snapshot({}, {}, {})
    roster = roster_for(
        {s.series.pk for s in slots}, min(s.date for s in slots), max(s.date for s in slots)
    )
    return Snapshot(
        slots=keyed,
        participants={
            key: {e.participant_id for e in expected_episodes(s, roster)}
            for key, s in keyed.items()
        },
        staff={key: {f.pk for f in s.facilitators} for key, s in keyed.items()},
    )


def _times(slot: Slot) -> tuple[str, str]:
    return (slot.starts_at.isoformat(), slot.ends_at.isoformat())


def _place(before: Slot, after: Slot) -> str:
    if before.mode == after.mode and (
        after.mode != Mode.IN_PERSON
        or getattr(before.room, "pk", None) == getattr(after.room, "pk", None)
    ):
        return ""
    if after.mode == Mode.TELEHEALTH:
        return "video"
    return "in person" if before.mode == Mode.TELEHEALTH else "another room"


def _line(before: Slot | None, after: Slot | None) -> Line | None:
    if before is not None and after is not None:
        place = _place(before, after)
        if _times(before) == _times(after) and not place:
            return None
        return Line(_times(before), _times(after), place)
    if before is None and after is None:
        return None
    return Line(_times(before) if before else None, _times(after) if after else None)


def notices(before: Snapshot, after: Snapshot) -> list[Notice]:
    """One notice per affected person, their changed sessions in time order."""
    by_person: dict[tuple[str, int], list[tuple[str, Line]]] = {}
    for key in sorted(set(before.slots) | set(after.slots)):
        for kind, was, now in (
            ("participant", before.participants, after.participants),
            ("user", before.staff, after.staff),
        ):
            old, new = before.slots.get(key), after.slots.get(key)
            for person in was.get(key, set()) | now.get(key, set()):
                # A session held before and after is compared as such for everyone on it
                # (a facilitator taken off a session is not told it is "no longer held").
                if old is None or new is None:
                    line = _line(
                        old if person in was.get(key, set()) else None,
                        new if person in now.get(key, set()) else None,
                    )
                else:
                    line = _line(old, new)
                if line is not None:
                    order = (line.before or line.after or ("", ""))[0]
                    by_person.setdefault((kind, person), []).append((order, line))
    result = []
    for (kind, person), lines in sorted(by_person.items()):
        ordered = [line for _, line in sorted(lines, key=lambda pair: pair[0])]
        if kind == "participant":
            result.append(Notice(participant_id=person, lines=ordered))
        else:
            result.append(Notice(user_id=person, lines=ordered))
    return result


def payload(kind: str, zone: str, found: list[Notice]) -> dict[str, Any]:
    """What the task gets: ids and times only, JSON-serializable."""
    return {
        "kind": kind,
        "zone": zone,
        "notices": [
            {
                "participant": n.participant_id,
                "user": n.user_id,
                "lines": [line.as_json() for line in n.lines],
            }
            for n in found
        ],
    }
