"""Reads of notes across apps: who a group note is about (the attendance sheet's rows), and
the supervisor's co-sign queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellis.notes.models import GroupNote, GroupNoteStatus, Note, NoteStatus
from trellis.scheduling.queries import Slot, attendance_for, expected_episodes, roster_for

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode


def attendees(slot: Slot) -> list[tuple[Episode, str]]:
    """(episode, attendance code or "") of everyone expected at the occurrence, in roster
    order, then walk-ins: the same rows as the attendance sheet."""
    roster = roster_for([slot.series.pk], slot.date, slot.date)
    expected = expected_episodes(slot, roster)
    attendance_for([slot])
    marks = {a.episode_id: a for a in slot.attendance}
    rows = [(e, marks[e.pk].status if e.pk in marks else "") for e in expected]
    seen = {e.pk for e in expected}
    rows += [(a.episode, a.status) for a in slot.attendance if a.episode_id not in seen]
    return rows


# Encrypted fields a list never shows, so never decrypts.
LIST_ONLY = ["body", "risk_notes", "scores_snapshot", "return_comment"]


def cosign_queue(user: User) -> list[Note]:
    """Notes waiting for this supervisor's co-signature, oldest signature first."""
    return list(
        Note.objects.filter(cosigner=user, status=NoteStatus.AWAITING_COSIGN)
        .defer(*LIST_ONLY)
        .select_related("author", "episode__participant", "episode__program")
        .order_by("signed_at", "pk")
    )


def group_cosign_queue(user: User) -> list[GroupNote]:
    """Group notes waiting for this supervisor's co-signature, oldest signature first. The
    queue names the session, never the attendees (it lists no one's entry)."""
    return list(
        GroupNote.objects.filter(cosigner=user, status=GroupNoteStatus.AWAITING_COSIGN)
        .defer("topic", "interventions", "themes", "return_comment")
        .select_related("author")
        .order_by("signed_at", "pk")
    )
