"""Every write to group notes, atomic and audited (details carry ids and codes, never note
text): `writing` (start, autosave, sign), `cosign` (a trainee's supervisor co-signs or
returns), `addenda` (after signing), `attendance` (scheduling's hook for attendance marked
after the note was started). Callers import from here."""

from trellis.notes.group.actions.addenda import check_add_group_addendum, do_add_group_addendum
from trellis.notes.group.actions.attendance import attendance_since_signing, do_follow_attendance
from trellis.notes.group.actions.cosign import (
    check_cosign_group_note,
    check_return_group_note,
    do_cosign_group_note,
    do_return_group_note,
)
from trellis.notes.group.actions.writing import (
    MAX_TEXT,
    EntryDraft,
    GroupConflict,
    GroupPart,
    check_save_entry,
    check_save_group_part,
    check_sign_group_note,
    check_start_group_note,
    do_save_entry,
    do_save_group_part,
    do_sign_group_note,
    do_start_group_note,
    missing_for_signing,
)
from trellis.notes.group.names import Mention, identifying_message, name_mentions

__all__ = [
    "MAX_TEXT",
    "EntryDraft",
    "GroupConflict",
    "GroupPart",
    "Mention",
    "attendance_since_signing",
    "check_add_group_addendum",
    "check_cosign_group_note",
    "check_return_group_note",
    "check_save_entry",
    "check_save_group_part",
    "check_sign_group_note",
    "check_start_group_note",
    "do_add_group_addendum",
    "do_cosign_group_note",
    "do_follow_attendance",
    "do_return_group_note",
    "do_save_entry",
    "do_save_group_part",
    "do_sign_group_note",
    "do_start_group_note",
    "identifying_message",
    "missing_for_signing",
    "name_mentions",
]
