"""The practice panel on the take-attendance page (registered in plugins.py through
scheduling's occurrence panels): the assign form and "who practised"; and the same assign
form's choices for the chart's Practice tab. Fixed query count."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from trellis.practice.access import access_session_assignments, can_assign_at
from trellis.practice.actions.assignments import present_episodes
from trellis.practice.models.assignments import Frequency
from trellis.practice.queries.assignments import library_choices, who_practised
from trellis.practice.queries.library import skill_for_occurrence

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.programs.models import Organization
    from trellis.scheduling.queries import Slot


def attendance_panel(user: User, slot: Slot) -> dict[str, Any] | None:
    """Context of the practice panel on the take-attendance page (occurrence_panels)."""
    if not can_assign_at(user, slot):
        return None
    organization = slot.series.track.program.organization
    present = present_episodes(slot)
    # The skill taught in this session (its topic's curriculum link) is chosen already.
    taught = skill_for_occurrence(slot.row) if present and slot.row is not None else None
    return _options(organization, max(organization.today(), slot.date) + timedelta(days=2)) | {
        "selected_skill_id": taught.public_id if taught is not None else None,
        "slot": slot,
        "present": present,
        "batches": who_practised(access_session_assignments(user, slot)),
    }


def assign_options(episode: Episode) -> dict[str, Any]:
    """The assign form on the chart's Practice tab: due in a week by default."""
    organization = episode.program.organization
    return _options(organization, organization.today() + timedelta(days=7))


def _options(organization: Organization, due_default: date) -> dict[str, Any]:
    skills, worksheets = library_choices(organization)
    return {
        "skills": skills,
        "worksheets": worksheets,
        "batch_key": uuid.uuid4(),
        "due_default": due_default,
        "frequencies": Frequency.choices,
    }
