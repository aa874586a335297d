"""The late-entry rule: a note signed after the participant's next scheduled session is a
late entry (the next session could not build on it). Scheduling knows that session; when it
knows none (not on any roster, or nothing scheduled within LOOKAHEAD), the rule falls back
to LATE_ENTRY_AFTER (24 hours after the session ended).

notes may read scheduling (never the reverse), so this imports it directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from trellis.notes.models import LATE_ENTRY_AFTER
from trellis.scheduling.queries import (
    occurrences_between,
    roster_for,
    series_for_episodes,
    series_queryset,
)

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.scheduling.queries import Slot

# How far after a session to look for the next one. A participant with nothing scheduled
# for two weeks has no "next session" to be late for: the 24-hour rule applies.
LOOKAHEAD = timedelta(days=14)


def _first_after(slots: list[Slot], after: datetime) -> datetime | None:
    starts = [s.starts_at for s in slots if not s.cancelled and s.starts_at >= after]
    return min(starts) if starts else None


def next_session_start(episode: Episode, after: datetime) -> datetime | None:
    """When the participant's next scheduled session (any series they are rostered on)
    starts, at or after `after`; None when scheduling knows none within LOOKAHEAD."""
    tz = episode.program.organization.tz
    start, end = after.astimezone(tz).date(), (after + LOOKAHEAD).astimezone(tz).date()
    slots = occurrences_between(series_for_episodes([episode.pk], start, end), start, end)
    roster = roster_for({s.series.pk for s in slots}, start, end, [episode.pk])
    expected = [s for s in slots if any(m.active_on(s.date) for m in roster.get(s.series.pk, []))]
    return _first_after(expected, after)


def next_occurrence_start(series_id: int, after: datetime) -> datetime | None:
    """When the same group next meets, at or after `after` (for group notes)."""
    series = series_queryset().filter(pk=series_id).first()
    if series is None:
        return None
    tz = series.track.program.organization.tz
    start, end = after.astimezone(tz).date(), (after + LOOKAHEAD).astimezone(tz).date()
    return _first_after(occurrences_between([series], start, end), after)


def _late(next_start: datetime | None, session_end: datetime, signed_at: datetime) -> bool:
    if next_start is not None:
        return signed_at > next_start
    return signed_at > session_end + LATE_ENTRY_AFTER


def is_late(episode: Episode, session_end: datetime, signed_at: datetime) -> bool:
    return _late(next_session_start(episode, session_end), session_end, signed_at)


def is_late_for_series(series_id: int, session_end: datetime, signed_at: datetime) -> bool:
    return _late(next_occurrence_start(series_id, session_end), session_end, signed_at)
