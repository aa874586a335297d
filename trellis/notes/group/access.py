"""Who may open a whole group note: its facilitators (or the night's substitute) and the
program's directors. Audited like privacy.access: a view event, or a denial and 404.

One attendee's signed entry stands alone in that attendee's chart (`access_chart_group_entry`:
clinical access to the episode, through plans.access) and in the participant's own pages
(`access_own_group_entry`); it never shows the other attendees."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.notes.models import GroupNote, GroupNoteAddendum, GroupNoteEntry, GroupNoteStatus
from trellis.plans.access import ClinicalAccess, access_clinical_episode
from trellis.privacy.access import Scope, access_participant, deny_object
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
    if note.cosigner_id is not None and note.cosigner_id == getattr(user, "pk", None):
        return "supervisor"  # co-signs it, then may add addenda
    return ""


def addenda_of(note_ids: list[int], entry_ids: list[int]) -> QuerySet[GroupNoteAddendum]:
    """Addenda of these group notes' group parts and of these entries only (never another
    attendee's entry addenda), oldest first."""
    return GroupNoteAddendum.objects.filter(
        Q(entry__isnull=True) | Q(entry_id__in=entry_ids), group_note_id__in=note_ids
    ).order_by("created_at", "pk")


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
        .select_related("series", "program__organization", "cosigner")
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


def access_group_note_to_cosign(
    user: Any,
    group_note_id: Any,
    *,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.VIEW,
) -> GroupNote:
    """A group note waiting for this supervisor's co-signature (the co-sign queue), even when
    they neither facilitate the group nor direct the program (audited as "supervisor")."""
    note = (
        GroupNote.objects.filter(
            public_id=lookup_id(group_note_id),
            cosigner_id=getattr(user, "pk", None),
            status=GroupNoteStatus.AWAITING_COSIGN,
        )
        .select_related("series", "program__organization", "author")
        .first()
    )
    if note is None:
        raise deny_object(
            user, object_type="notes.groupnote", object_id=group_note_id, purpose=purpose
        )
    record(user, action, obj=note, purpose=purpose, role="supervisor")
    return note


def access_group_entry(
    user: Any, note: GroupNote, entry_id: Any, *, purpose: str = Purpose.TREAT
) -> GroupNoteEntry:
    """One attendee's entry of a group note the user has opened with access_group_note
    (which recorded the view); else an audited 404."""
    entry = (
        note.entries.filter(public_id=lookup_id(entry_id))
        .select_related("episode__participant")
        .first()
    )
    if entry is None:
        raise _deny_entry(user, entry_id, purpose)
    entry.group_note = note
    return entry


def standalone_entries(
    episode_ids: list[int], *, final_only: bool = False
) -> QuerySet[GroupNoteEntry]:
    """Signed entries of these episodes, with their group note (never another entry).

    As for progress notes, the care team also sees a trainee's note awaiting its supervisor's
    co-signature (marked so); `final_only` (the participant's own pages) leaves those out."""
    entries = GroupNoteEntry.objects.filter(episode_id__in=episode_ids, locked=True)
    if final_only:
        entries = entries.filter(group_note__status=GroupNoteStatus.SIGNED)
    return entries.select_related("group_note").order_by("-group_note__session_start", "-pk")


def access_chart_group_entry(
    user: Any,
    public_id: Any,
    entry_id: Any,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> tuple[ClinicalAccess, GroupNoteEntry]:
    """A signed entry of the participant's episode, for those with clinical access to it
    (care team, directors); else an audited 404."""
    ca = access_clinical_episode(user, public_id, purpose=purpose)
    entry = _standalone_entry([ca.episode.pk], entry_id)
    if entry is None:
        raise _deny_entry(user, entry_id, purpose, ca.access.participant)
    record(
        user,
        action,
        participant=ca.access.participant,
        obj=entry,
        purpose=purpose,
        role=ca.access.role,
    )
    return ca, entry


def access_own_group_entry(
    user: Any,
    entry_id: Any,
    *,
    purpose: str = Purpose.PATRQT,
    action: str = Action.VIEW,
) -> GroupNoteEntry:
    """One of the signed-in participant's own signed entries; else an audited 404."""
    participant = getattr(user, "participant", None)
    if participant is None:
        raise _deny_entry(user, entry_id, purpose)
    access = access_participant(
        user, participant.public_id, purpose=purpose, minimum=Scope.CLINICAL
    )
    entry = _standalone_entry([e.pk for e in access.episodes], entry_id, final_only=True)
    if entry is None:
        raise _deny_entry(user, entry_id, purpose, access.participant)
    record(
        user, action, participant=access.participant, obj=entry, purpose=purpose, role="participant"
    )
    return entry


def _standalone_entry(
    episode_ids: list[int], entry_id: Any, *, final_only: bool = False
) -> GroupNoteEntry | None:
    return (
        standalone_entries(episode_ids, final_only=final_only)
        .filter(public_id=lookup_id(entry_id))
        .select_related("episode__program__organization", "plan_version")
        .first()
    )


def _deny_entry(user: Any, entry_id: Any, purpose: str, participant: Any = None) -> Http404:
    return deny_object(
        user,
        object_type="notes.groupnoteentry",
        object_id=entry_id,
        participant=participant,
        purpose=purpose,
    )
