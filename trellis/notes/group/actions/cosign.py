"""A trainee's group note: their supervisor co-signs it, or returns it with comments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes.group.actions.writing import MAX_TEXT
from trellis.notes.models import (
    GroupNote,
    GroupNoteStatus,
)
from trellis.plans.signing import check_signature, credentials_of

if TYPE_CHECKING:
    from trellis.accounts.models import User


# --- Co-signature of a trainee's group note ------------------------------------------------


def _check_waiting_for(actor: User, note: GroupNote) -> None:
    if note.cosigner_id != actor.pk or note.status != GroupNoteStatus.AWAITING_COSIGN:
        raise ValidationError({"status": "This group note is not waiting for your co-signature."})


def check_cosign_group_note(
    actor: User, note: GroupNote, *, typed_name: str, password: str
) -> GroupNote:
    _check_waiting_for(actor, note)
    check_signature(actor, typed_name=typed_name, password=password)
    return do_cosign_group_note(actor, note)


@transaction.atomic
def do_cosign_group_note(actor: User, note: GroupNote, *, now: datetime | None = None) -> GroupNote:
    """The supervisor's co-signature makes the note final in every attendee's chart."""
    locked = GroupNote.objects.select_for_update().get(pk=note.pk)
    if locked.status != GroupNoteStatus.AWAITING_COSIGN:
        raise ValidationError({"status": "This group note is not waiting for your co-signature."})
    note.status = GroupNoteStatus.SIGNED
    note.cosigned_at = now or timezone.now()
    note.cosigner_name = actor.name
    note.cosigner_credentials = credentials_of(actor, on=note.program.organization.today())
    note.save()
    record(actor, Action.SIGN, obj=note, purpose=Purpose.TREAT, detail={"cosigned": True})
    for entry in note.entries.filter(locked=True).select_related("episode__participant"):
        record(
            actor,
            Action.SIGN,
            participant=entry.episode.participant,
            obj=entry,
            purpose=Purpose.TREAT,
            detail={"group_note": str(note.public_id), "cosigned": True},
        )
    return note


def check_return_group_note(actor: User, note: GroupNote, *, comment: str) -> GroupNote:
    _check_waiting_for(actor, note)
    if not comment.strip():
        raise ValidationError({"comment": "Say what the author should change."})
    if len(comment) > MAX_TEXT:
        raise ValidationError({"comment": f"Keep this under {MAX_TEXT:,} characters."})
    return do_return_group_note(actor, note, comment=comment.strip())


@transaction.atomic
def do_return_group_note(actor: User, note: GroupNote, *, comment: str) -> GroupNote:
    """Back to the facilitators with the supervisor's comments: editable again, and out of
    the charts until signed again."""
    GroupNote.objects.select_for_update().get(pk=note.pk)
    # Rows loaded as locked refuse save() (SignedOnce): unlock them in one update.
    note.entries.update(locked=False, revision=F("revision") + 1)
    note.status = GroupNoteStatus.RETURNED
    note.return_comment = comment
    note.returned_at = timezone.now()
    note.signed_at = None
    note.revision += 1
    note.save()
    record(actor, Action.UPDATE, obj=note, purpose=Purpose.TREAT, detail={"returned": True})
    return note
