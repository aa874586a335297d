"""Helpers the schedule pages share: the week asked for, its navigation, slots by day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from trellis.accounts.http import AuthedRequest
from trellis.programs.models import Program
from trellis.scheduling import recurrence
from trellis.scheduling.queries import Slot


def week_start(request: AuthedRequest, today: date) -> date:
    """The Monday of the `?week=` asked for, or of this week."""
    return recurrence.parse_iso_week(request.GET.get("week", "")) or recurrence.iso_week_start(
        today
    )


def program_today(program: Program) -> date:
    return program.organization.today()


def week_nav(monday: date) -> dict[str, Any]:
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [monday + timedelta(days=n) for n in range(7)],
        "week_label": recurrence.iso_week_label(monday),
        "previous_week": recurrence.iso_week_label(monday - timedelta(days=7)),
        "next_week": recurrence.iso_week_label(monday + timedelta(days=7)),
    }


def by_day(slots: list[Slot], days: list[date]) -> list[tuple[date, list[Slot]]]:
    grouped: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.date].append(slot)
    return [(day, grouped.get(day, [])) for day in days]


def form_errors(errors: Any) -> list[str]:
    return [str(message) for messages_ in errors.values() for message in messages_]
