"""The worklist's part of `seed_demo`: who is on call for each program this week.

Synthetic and deterministic: each program's first clinician (by name) holds the week's shift,
Monday 08:00 to the next Monday 08:00 in the organization's zone, written through the action.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from trellis.programs.models import Organization
from trellis.worklist.actions import do_set_on_call
from trellis.worklist.queries import on_call_candidates


def seed_on_call(organization: Organization, *, today: date) -> int:
    """One week-long on-call shift per active program, covering today. Returns how many."""
    monday = today - timedelta(days=today.weekday())
    starts = datetime.combine(monday, time(8, 0), tzinfo=organization.tz)
    if starts > datetime.combine(today, time(0, 0), tzinfo=organization.tz):
        starts -= timedelta(days=7)  # before 08:00 on a Monday: last week's shift still runs
    made = 0
    for program in organization.programs.filter(is_active=True).order_by("name"):
        people = on_call_candidates(program)
        if not people or program.on_call.exists():
            continue
        do_set_on_call(
            None, program, people[0], starts_at=starts, ends_at=starts + timedelta(days=7)
        )
        made += 1
    return made
