"""Issue 9 item 7 (the part built): a trainee's group note must not go into every attendee's
chart on the trainee's signature alone. Group notes have no co-signature yet, so a trainee
cannot sign one; a licensed co-facilitator signs it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.personas import PASSWORD, World
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote
from trellis.notes.tests.group_factory import group_session, write_all


def test_a_trainee_facilitator_cannot_sign_a_group_note(world: World) -> None:
    StaffProfile.objects.filter(user=world.clinician).update(is_trainee=True)
    do_set_supervisor(None, world.clinician, world.director)
    world.clinician.refresh_from_db()
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot)
    note = GroupNote.objects.get(pk=note.pk)
    with pytest.raises(ValidationError) as refused:
        ga.check_sign_group_note(
            world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
            revision=note.revision, mentions_confirmed=False,
        )  # fmt: skip
    assert "signer" in refused.value.message_dict
    assert not GroupNote.objects.get(pk=note.pk).is_signed
    assert not note.entries.filter(locked=True).exists()
