"""Scheduling's attendance hook: attendance marked after a group note was started."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes.models import (
    GroupNote,
    GroupNoteEntry,
)
from trellis.notes.queries import attendees
from trellis.scheduling.models import ATTENDED
from trellis.scheduling.queries import Slot

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode


# --- Attendance marked after the note was started (scheduling's attendance hook) -----------


@transaction.atomic
def do_follow_attendance(actor: User | None, slot: Slot, episode: Episode, status: str) -> None:
    """Bring a draft group note in line with a new attendance mark ("" when undone).

    Someone marked (present, late, absent…) gets an entry, or their entry takes the new
    status: the same rows starting the note now would give. Someone no longer on the
    session's attendance at all (a walk-in whose mark was undone) loses an empty entry; an
    entry with text is kept, marked removed, and the note page tells the author (it is never
    signed into their chart). A note awaiting co-signature or signed is never altered here:
    its page compares it with attendance and asks for an addendum."""
    note = (
        GroupNote.objects.select_for_update()
        .filter(series_id=slot.series.pk, original_date=slot.original_date)
        .first()
    )
    if note is None or not note.is_editable:
        return
    now = timezone.now()
    entry = note.entries.filter(episode=episode).first()
    still_expected = bool(status) or any(e.pk == episode.pk for e, _ in attendees(slot))
    change = "updated"
    if entry is None and still_expected:
        last = note.entries.order_by("-position").values_list("position", flat=True).first()
        entry = GroupNoteEntry.objects.create(
            group_note=note,
            episode=episode,
            position=(last or 0) + 1,
            attendance_status=status,
            attendance_changed_at=now,
        )
        change = "added"
    elif entry is None:
        return
    elif still_expected:
        GroupNoteEntry.objects.filter(pk=entry.pk).update(
            attendance_status=status, attendance_changed_at=now, removed_at=None
        )
    elif entry.has_text:
        GroupNoteEntry.objects.filter(pk=entry.pk).update(
            attendance_status="", attendance_changed_at=now, removed_at=now
        )
        change = "removed"
    else:
        entry.delete()
        change = "deleted"
    present = GroupNoteEntry.objects.filter(
        group_note=note, removed_at__isnull=True, attendance_status__in=list(ATTENDED)
    ).count()
    GroupNote.objects.filter(pk=note.pk).update(number_present=present)
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=note,
        purpose=Purpose.TREAT,
        detail={"attendance": status, "entry": change},
    )


def attendance_since_signing(
    slot: Slot, entries: list[GroupNoteEntry]
) -> list[tuple[GroupNoteEntry | Episode, str, str]]:
    """(entry or episode, status in the note, status now) for everyone whose attendance no
    longer matches a note that was signed (or sent for co-signature): an addendum is due."""
    now = {e.pk: (e, status) for e, status in attendees(slot)}
    changed: list[tuple[GroupNoteEntry | Episode, str, str]] = [
        (entry, entry.attendance_status, now.get(entry.episode_id, (None, ""))[1])
        for entry in entries
        if now.get(entry.episode_id, (None, ""))[1] != entry.attendance_status
    ]
    noted = {e.episode_id for e in entries}
    changed += [(episode, "", status) for pk, (episode, status) in now.items() if pk not in noted]
    return changed
