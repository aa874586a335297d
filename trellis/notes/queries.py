"""Reads of notes across apps: who a group note is about (the attendance sheet's rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellis.scheduling.queries import Slot, attendance_for, expected_episodes, roster_for

if TYPE_CHECKING:
    from trellis.participants.models import Episode


def attendees(slot: Slot) -> list[tuple[Episode, str]]:
    """(episode, attendance code or "") of everyone expected at the occurrence, in roster
    order, then walk-ins: the same rows as the attendance sheet."""
    roster = roster_for([slot.series.pk], slot.date, slot.date)
    expected = expected_episodes(slot, roster)
    attendance_for([slot])
    marks = {a.episode_id: a for a in slot.attendance}
    rows = [(e, marks[e.pk].status if e.pk in marks else "") for e in expected]
    seen = {e.pk for e in expected}
    rows += [(a.episode, a.status) for a in slot.attendance if a.episode_id not in seen]
    return rows
