"""Context for the panels scheduling adds to the chart header and to Today.

Each runs a fixed number of queries (chart.py and lib/panels.py require it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from trellis.lib.clock import local_today
from trellis.lib.panels import Count
from trellis.scheduling import recurrence
from trellis.scheduling.access import can_manage_schedule, facilitates, schedule_programs
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.queries import (
    Slot,
    attendance_for,
    attendance_not_taken,
    expected_episodes,
    hours_override_for,
    occurrences_between,
    roster_for,
    series_for_facilitator,
    series_queryset,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.privacy.access import ParticipantAccess


def chart_hours(access: ParticipantAccess) -> dict[str, Any]:
    episode = access.current_episode
    if episode is None or not access.is_clinical_for(episode) or not episode.is_open:
        return {"show": False}
    today = episode.program.organization.today()
    monday = recurrence.iso_week_start(today)
    entry = week_hours([episode], monday)[episode.pk]
    flags = flags_for([episode], today).get(episode.pk, [])
    override = hours_override_for(episode)
    return {
        "show": True,
        "week": entry,
        "flags": flags,
        "week_label": recurrence.iso_week_label(monday),
        "override": override if override is not None and override.covers_week(monday) else None,
        "participant_id": access.participant.public_id,
    }


@dataclass
class TodayRow:
    slot: Slot
    expected: int
    marked: int
    can_mark: bool
    now: datetime

    @property
    def not_taken(self) -> bool:
        """Over, and nobody marked: the same rule as the "attendance not taken" flags."""
        return attendance_not_taken(self.slot, self.now)

    @property
    def status(self) -> str:
        if self.slot.cancelled:
            return "Cancelled"
        if self.slot.locked:
            return "Attendance complete"
        if self.marked:
            return f"{self.marked} of {self.expected} marked"
        if self.not_taken:
            return "Attendance not taken"
        if self.slot.starts_at <= self.now:
            return "Under way, not marked"
        return "Not started"


# How far back Today looks for sessions the user facilitated and left without attendance,
# and how many it lists (the count says how many there are).
UNMARKED_DAYS = 7
UNMARKED_SHOWN = 10


def todays_sessions(user: User) -> dict[str, Any] | None:
    """Today's sessions the user runs or manages. A facilitator's panel leads the page:
    tonight's session must be on screen without scrolling past the alerts."""
    programs = list(schedule_programs(user))
    if not programs:
        return None
    zone = programs[0].organization.tz
    today = local_today(zone)
    managed = [p for p in programs if can_manage_schedule(user, p)]
    series = series_queryset().filter(track__program__in=programs).overlapping(today, today)
    slots = occurrences_between(series, today, today)
    managed_ids = {p.pk for p in managed}
    visible = [s for s in slots if s.series.track.program_id in managed_ids or facilitates(user, s)]
    roster = roster_for({s.series.pk for s in visible}, today, today)
    attendance_for(visible)
    now = timezone.now()
    rows = [
        TodayRow(
            slot=s,
            expected=len(expected_episodes(s, roster)),
            marked=len(s.attendance),
            can_mark=True,
            now=now,
        )
        for s in visible
    ]
    return {
        "rows": rows,
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "lead": any(facilitates(user, s) for s in visible),
    }


def unmarked_sessions(user: User) -> dict[str, Any] | None:
    """The past week's sessions the user facilitated (or covered) that ended with no
    attendance taken (`attendance_not_taken`), most recent first; None when there are none."""
    programs = list(schedule_programs(user))
    if not programs:
        return None
    zone = programs[0].organization.tz
    now = timezone.now()
    today = local_today(zone)
    since = today - timedelta(days=UNMARKED_DAYS)
    slots = occurrences_between(series_for_facilitator(user, since, today), since, today)
    unmarked = [s for s in reversed(slots) if facilitates(user, s) and attendance_not_taken(s, now)]
    if not unmarked:
        return None
    label = "session without attendance" if len(unmarked) == 1 else "sessions without attendance"
    return {
        "unmarked": unmarked[:UNMARKED_SHOWN],
        "unmarked_total": len(unmarked),
        "counts": [Count(label, len(unmarked), "#unmarked")],
    }
