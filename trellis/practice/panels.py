"""The practice panel on the take-attendance page (registered in plugins.py through
scheduling's occurrence panels): the assign form and "who practised". Fixed query count."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from trellis.practice.access import access_session_assignments, can_assign_at
from trellis.practice.actions.assignments import present_episodes
from trellis.practice.models.assignments import Frequency
from trellis.practice.queries.assignments import library_choices, who_practised

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.scheduling.queries import Slot


def attendance_panel(user: User, slot: Slot) -> dict[str, Any] | None:
    """Context of the practice panel on the take-attendance page (occurrence_panels)."""
    if not can_assign_at(user, slot):
        return None
    organization = slot.series.track.program.organization
    skills, worksheets = library_choices(organization)
    today = organization.today()
    present = present_episodes(slot)
    return {
        "slot": slot,
        "present": present,
        "skills": skills,
        "worksheets": worksheets,
        "batch_key": uuid.uuid4(),
        "due_default": max(today, slot.date) + timedelta(days=2),
        "frequencies": Frequency.choices,
        "batches": who_practised(access_session_assignments(user, slot)),
    }
