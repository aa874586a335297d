"""Issue 9 item 7: attendance marked after the group note was started reaches the draft
(scheduling's attendance hook, in the same transaction); a signed note is never altered, but
its page tells the author an addendum is needed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote
from trellis.notes.tests.group_factory import (
    entry_of,
    group_session,
    members,
    signed_group_note,
    write_all,
)
from trellis.scheduling import actions as sactions


def test_a_walk_in_marked_after_the_note_was_started_gets_an_entry(world: World) -> None:
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    (walk_in,) = members(world, 1)
    sactions.do_record_attendance(
        world.clinician, slot, walk_in.episodes.get(), sactions.Mark("late", minutes_late=10),
        walk_in=True, walk_in_reason="Came with a friend",
    )  # fmt: skip
    entry = entry_of(note, walk_in)
    assert entry.attendance_status == "late"
    assert entry.attendance_changed_at is not None
    assert GroupNote.objects.get(pk=note.pk).number_present == 2


def test_someone_marked_absent_after_their_entry_was_written_is_flagged_not_deleted(
    world: World, client_for: Callable[[User], Client]
) -> None:
    a = world.participant
    slot = group_session(world, [a])
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot)
    sactions.do_record_attendance(
        world.clinician, slot, a.episodes.get(), sactions.Mark("absent_unexcused")
    )
    entry = entry_of(note, a)
    assert entry.attendance_status == "absent_unexcused"
    assert "coping plan" in entry.response  # the text is kept
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    assert "marked absent after this entry was written" in page.lower()
    note = GroupNote.objects.get(pk=note.pk)
    assert note.number_present == 0
    with pytest.raises(ValidationError) as refused:
        ga.check_sign_group_note(
            world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
            revision=note.revision, mentions_confirmed=False,
        )  # fmt: skip
    assert f"{entry.public_id}-attendance" in refused.value.message_dict


def test_a_walk_in_whose_mark_is_undone_loses_an_empty_entry_and_a_written_one_is_kept(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    quiet, talker = members(world, 2)
    for person in (quiet, talker):
        sactions.do_record_attendance(
            world.clinician, slot, person.episodes.get(), sactions.Mark("present"), walk_in=True
        )
    said = entry_of(note, talker)
    ga.do_save_entry(
        world.clinician, said, ga.EntryDraft(response="Talked about sleep."), revision=said.revision
    )
    for person in (quiet, talker):
        sactions.do_undo_attendance(world.clinician, slot, person.episodes.get())
    assert not note.entries.filter(episode__participant=quiet).exists()
    kept = entry_of(note, talker)
    assert kept.removed_at is not None
    assert kept.response == "Talked about sleep."
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    assert "will not be signed into their chart" in page


def test_a_signed_note_is_not_altered_but_asks_for_an_addendum(
    world: World, client_for: Callable[[User], Client]
) -> None:
    a = world.participant
    slot = group_session(world, [a])
    note = signed_group_note(world.clinician, slot)
    sactions.do_record_attendance(
        world.clinician, slot, a.episodes.get(), sactions.Mark("left_early", minutes_left_early=20)
    )
    assert entry_of(note, a).attendance_status == "present"
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    assert "Attendance changed after signing" in page
    assert "add an addendum" in page
