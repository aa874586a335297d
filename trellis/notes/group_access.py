"""Who may open a whole group note: its facilitators (or the night's substitute) and the
program's directors. Audited like privacy.access: a view event, or a denial and 404.

Participants' standalone group notes go through privacy.access instead (their chart)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record
from trellis.notes.models import GroupNote
from trellis.privacy.policy import grants_for
from trellis.scheduling.access import facilitates
from trellis.scheduling.queries import Slot, find_slot

STANDALONE_PAGE = 50


def deny_group_note(user: Any, object_id: str) -> Http404:
    record(
        user,
        Action.DENY,
        object_type="notes.groupnote",
        object_id=object_id[:64],
        outcome=Outcome.DENIED,
        purpose=Purpose.TREAT,
    )
    return Http404("Not found.")


def parse_uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)  # matches nothing


def _role(user: Any, note: GroupNote, slot: Slot) -> str:
    if facilitates(user, slot):
        return "facilitator"
    grants = grants_for(user)
    if (
        note.program_id in grants.clinical_programs
        or note.program.organization_id in grants.clinical_orgs
    ):
        return "program_director"
    return ""


def open_group_note(
    user: Any, group_note_id: Any, *, action: str = Action.VIEW
) -> tuple[GroupNote, Slot, str]:
    """The whole group note, for its facilitators and the program's directors; else an
    audited 404. One audit event for the note (entries are listed by id in the detail)."""
    note = (
        GroupNote.objects.filter(public_id=parse_uuid(group_note_id))
        .select_related("series", "program__organization")
        .first()
    )
    slot = find_slot(note.series.public_id, note.original_date) if note is not None else None
    role = _role(user, note, slot) if note is not None and slot is not None else ""
    if note is None or slot is None or not role:
        raise deny_group_note(user, str(group_note_id))
    record(user, action, obj=note, purpose=Purpose.TREAT, role=role)
    return note, slot, role
