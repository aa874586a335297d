"""Who may open a whole group note: its facilitators (or the night's substitute) and the
program's directors. Audited like privacy.access: a view event, or a denial and 404.

Participants' standalone group notes go through privacy.access instead (their chart)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes.models import GroupNote
from trellis.privacy.access import deny_object
from trellis.privacy.ids import lookup_id
from trellis.privacy.policy import grants_for
from trellis.scheduling.access import facilitates
from trellis.scheduling.queries import Slot, find_slot

STANDALONE_PAGE = 50


def deny_group_note(user: Any, object_id: object) -> Http404:
    """The audited 404 for a group note (or one of its entries) this user may not open."""
    return deny_object(
        user, object_type="notes.groupnote", object_id=object_id, purpose=Purpose.TREAT
    )


def _role(user: Any, note: GroupNote, slot: Slot) -> str:
    if facilitates(user, slot):
        return "facilitator"
    if grants_for(user).directs(note.program):
        return "program_director"
    return ""


def access_group_note(
    user: Any,
    group_note_id: Any,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> tuple[GroupNote, Slot, str]:
    """The whole group note, for its facilitators and the program's directors; else an
    audited 404. One audit event for the note (entries are listed by id in the detail)."""
    note = (
        GroupNote.objects.filter(public_id=lookup_id(group_note_id))
        .select_related("series", "program__organization")
        .first()
    )
    slot = find_slot(note.series.public_id, note.original_date) if note is not None else None
    role = _role(user, note, slot) if note is not None and slot is not None else ""
    if note is None or slot is None or not role:
        raise deny_object(
            user, object_type="notes.groupnote", object_id=group_note_id, purpose=purpose
        )
    record(user, action, obj=note, purpose=purpose, role=role)
    return note, slot, role
