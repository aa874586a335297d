"""Reads of notes across apps: who a group note is about (the attendance sheet's rows), the
supervisor's co-sign queue, and the notes on a user's Today."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from trellis.lib.panels import Count
from trellis.notes.models import (
    EDITABLE_STATUSES,
    GROUP_EDITABLE_STATUSES,
    GroupNote,
    GroupNoteStatus,
    Note,
    NoteStatus,
)
from trellis.privacy.policy import grants_for
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


# How many notes each Today list shows (its count says how many there are).
TODAY_SHOWN = 10


def supervises(user: User) -> bool:
    """Whether anyone's notes come to this user for co-signature (a supervisor)."""
    return user.supervisees.exists()


def today_notes(user: User) -> dict[str, Any] | None:
    """Today panel: notes awaiting the user's co-signature (a supervisor's) and the user's own
    notes not yet signed (drafts and notes returned to them, progress and group). Fixed
    number of queries; None when the user has neither and supervises nobody."""
    if not grants_for(user).is_staff_member:
        return None
    awaiting = Note.objects.filter(cosigner=user, status=NoteStatus.AWAITING_COSIGN)
    group_awaiting = GroupNote.objects.filter(cosigner=user, status=GroupNoteStatus.AWAITING_COSIGN)
    awaiting_total = awaiting.count() + group_awaiting.count()
    is_supervisor = awaiting_total > 0 or supervises(user)
    unsigned = Note.objects.filter(author=user, status__in=EDITABLE_STATUSES)
    unsigned_total = unsigned.count()
    group_drafts = GroupNote.objects.filter(author=user, status__in=GROUP_EDITABLE_STATUSES)
    group_total = group_drafts.count()
    if not (is_supervisor or unsigned_total or group_total):
        return None
    to_cosign = list(
        awaiting.defer(*LIST_ONLY)
        .select_related("author", "episode__participant", "episode__program")
        .order_by("signed_at", "pk")[:TODAY_SHOWN]
    )
    mine = list(
        unsigned.defer(*LIST_ONLY)
        .select_related("episode__participant", "episode__program")
        .order_by("session_start", "pk")[:TODAY_SHOWN]
    )
    groups = list(group_drafts.order_by("session_start", "pk")[:TODAY_SHOWN])
    # A trainee's group note names the session, never its attendees (as the queue does).
    groups_to_cosign = list(
        group_awaiting.select_related("author").order_by("signed_at", "pk")[:TODAY_SHOWN]
    )
    counts = []
    if is_supervisor:
        label = "co-signature awaiting" if awaiting_total == 1 else "co-signatures awaiting"
        counts.append(Count(label, awaiting_total, reverse("notes:cosign-queue")))
    if unsigned_total or group_total:
        total = unsigned_total + group_total
        label = "unsigned note of yours" if total == 1 else "unsigned notes of yours"
        counts.append(Count(label, total, "#unsigned"))
    return {
        "is_supervisor": is_supervisor,
        "to_cosign": to_cosign,
        "groups_to_cosign": groups_to_cosign,
        "awaiting_total": awaiting_total,
        "mine": mine,
        "groups": groups,
        "unsigned_total": unsigned_total + group_total,
        "counts": counts,
        "participants_shown": [n.episode.participant for n in to_cosign + mine],
    }


def group_cosign_queue(user: User) -> list[GroupNote]:
    """Group notes waiting for this supervisor's co-signature, oldest signature first. The
    queue names the session, never the attendees (it lists no one's entry)."""
    return list(
        GroupNote.objects.filter(cosigner=user, status=GroupNoteStatus.AWAITING_COSIGN)
        .defer("topic", "interventions", "themes", "return_comment")
        .select_related("author")
        .order_by("signed_at", "pk")
    )
