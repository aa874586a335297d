"""Addenda to a signed group note: to the group part, or to one attendee's entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes.group.actions.writing import MAX_TEXT
from trellis.notes.group.names import identifying_message, names_in_text
from trellis.notes.models import (
    GroupNote,
    GroupNoteAddendum,
    GroupNoteEntry,
)
from trellis.plans.signing import credentials_of

if TYPE_CHECKING:
    from trellis.accounts.models import User


# --- Addenda to a signed group note --------------------------------------------------------


def check_add_group_addendum(
    actor: User, note: GroupNote, entry: GroupNoteEntry | None, *, text: str, confirmed: bool
) -> GroupNoteAddendum:
    """An addendum to the group part (`entry` None: every attendee's chart shows it) or to
    one attendee's entry, by the note's author or the supervisor who co-signed it. The name
    check of signing applies: no other attendee's identifying name (and the group part names
    nobody); a first name alone needs `confirmed`."""
    if not note.is_signed:
        raise ValidationError({"status": "Addenda are for signed group notes."})
    if actor.pk not in {note.author_id, note.cosigner_id}:
        raise ValidationError(
            {"author": "The note's author or the supervisor who co-signed it adds addenda."}
        )
    if entry is not None and (entry.group_note_id != note.pk or not entry.locked):
        raise ValidationError({"entry": "Choose an attendee of this group note."})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the addendum."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"Keep an addendum under {MAX_TEXT:,} characters."})
    entries = list(note.entries.filter(locked=True).select_related("episode__participant"))
    where = entry.episode.participant.display_name if entry is not None else "Group part"
    mention = names_in_text(where, text, entries, entry)
    if mention is not None and mention.identifying:
        raise ValidationError({"text": identifying_message([mention])})
    if mention is not None and not confirmed:
        raise ValidationError(
            {
                "mentions": "The addendum mentions another member's first name ("
                + ", ".join(f"“{n}”" for n in mention.names)
                + "): edit it, or confirm that the words are not names."
            }
        )
    return do_add_group_addendum(actor, note, entry, text=text, entries=entries)


@transaction.atomic
def do_add_group_addendum(
    actor: User,
    note: GroupNote,
    entry: GroupNoteEntry | None,
    *,
    text: str,
    entries: list[GroupNoteEntry],
) -> GroupNoteAddendum:
    addendum = GroupNoteAddendum.objects.create(
        group_note=note,
        entry=entry,
        author=actor,
        author_name=actor.name,
        author_credentials=credentials_of(actor, on=note.program.organization.today()),
        text=text,
    )
    detail = {"group_note": str(note.public_id), "addendum": str(addendum.public_id)}
    # It is written into each chart that shows it: one event per member touched.
    for touched in [entry] if entry is not None else entries:
        record(
            actor,
            Action.CREATE,
            participant=touched.episode.participant,
            obj=touched,
            purpose=Purpose.TREAT,
            detail=detail,
        )
    return addendum
