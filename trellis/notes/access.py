"""Who sees which notes. On top of plans.access (the episode's clinical record):

- a progress note is read by everyone with clinical access to its episode once its author
  has signed it (awaiting co-signature or signed); drafts and returned notes only by their
  author;
- a restricted note (psychotherapy, SUD counseling) only by its author — not the director,
  not the care team, not the participant; never in exports or the API's list
  (break-the-glass comes later);
- a supervisor opens a note waiting for their co-signature from the co-sign queue, even
  when they are not on that care team (audited as "supervisor").
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.notes.models import RESTRICTED_KINDS, Note, NoteStatus
from trellis.plans.access import ClinicalAccess, access_clinical_episode
from trellis.privacy.access import deny_object

if TYPE_CHECKING:
    from trellis.accounts.models import User

SHARED_STATUSES = [NoteStatus.AWAITING_COSIGN, NoteStatus.SIGNED]


def visible_notes_filter(user: User) -> Q:
    """Notes of an episode the user may already open clinically, that this user may read."""
    shared = Q(status__in=SHARED_STATUSES) & ~Q(kind__in=list(RESTRICTED_KINDS))
    return shared | Q(author_id=user.pk)


def notes_of(ca: ClinicalAccess, user: User) -> QuerySet[Note]:
    if ca.access.is_own_record:
        # The participant's view of notes comes with group notes (portal); never restricted.
        return Note.objects.none()
    return Note.objects.filter(episode=ca.episode).filter(visible_notes_filter(user))


def access_note(
    user: User,
    public_id: uuid.UUID | str,
    note_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
    include_restricted: bool = True,
) -> tuple[ClinicalAccess, Note]:
    """The note, if this user may read it in this participant's chart; else an audited 404.

    With include_restricted=False (the API), a restricted note is denied even to its author."""
    ca = access_clinical_episode(user, public_id, purpose=purpose, action=action)
    notes = notes_of(ca, user)
    if not include_restricted:
        notes = notes.exclude(kind__in=list(RESTRICTED_KINDS))
    note = (
        notes.filter(public_id=lookup_id(note_id))
        .select_related("author", "episode__participant", "cosigner")
        .first()
    )
    if note is None:
        raise deny_object(
            user,
            object_type="notes.note",
            object_id=note_id,
            participant=ca.access.participant,
            purpose=purpose,
        )
    note.episode = ca.episode
    record(
        user,
        action,
        participant=ca.access.participant,
        obj=note,
        purpose=purpose,
        role=ca.access.role,
        detail={"kind": note.kind},
    )
    return ca, note


def access_note_to_cosign(
    user: User,
    note_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.VIEW,
) -> Note:
    """A note waiting for this supervisor's co-signature (the co-sign queue)."""
    note = (
        Note.objects.filter(
            public_id=lookup_id(note_id),
            cosigner_id=user.pk,
            status=NoteStatus.AWAITING_COSIGN,
        )
        .select_related("author", "episode__participant", "episode__program")
        .first()
    )
    if note is None:
        raise deny_object(user, object_type="notes.note", object_id=note_id, purpose=purpose)
    record(
        user,
        action,
        participant=note.episode.participant,
        obj=note,
        purpose=purpose,
        role="supervisor",
        detail={"kind": note.kind},
    )
    return note
