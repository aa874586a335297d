"""Issue 9 item 6: a group-note entry that names another attendee unmistakably (full name,
surname, preferred name, MRN) cannot be signed, confirmation or not; a first name alone (which
may be a word, "Will", "Hope") still only needs the facilitator's confirmation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote
from trellis.notes.tests.group_factory import group_session, write_all
from trellis.participants.models import Participant


def _note_mentioning(world: World, mention: str) -> tuple[GroupNote, object]:
    slot = group_session(world, [world.participant, world.other_participant])
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot, mention=mention)
    return GroupNote.objects.get(pk=note.pk), slot


def _sign(world: World, note: GroupNote, slot: object, *, confirmed: bool) -> GroupNote:
    return ga.check_sign_group_note(
        world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,  # type: ignore[arg-type]  # a Slot
        revision=note.revision, mentions_confirmed=confirmed,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("mention", "word"),
    [
        ("Sat next to rowan thistledown.", "rowan thistledown"),
        ("Thistledown said the same.", "Thistledown"),
        ("Talked with MRN-1002 after group.", "MRN-1002"),
        ("Ro shared a similar plan.", "Ro"),
    ],
)
def test_an_identifying_name_is_refused_even_when_confirmed(
    world: World, mention: str, word: str
) -> None:
    Participant.objects.filter(pk=world.other_participant.pk).update(preferred_name="Ro")
    note, slot = _note_mentioning(world, mention)
    with pytest.raises(ValidationError) as refused:
        _sign(world, note, slot, confirmed=True)
    text = " ".join(refused.value.message_dict["mentions"])
    # The message names whose entry it is and the words, so the facilitator can fix it.
    assert "Patricia Quillfeather" in text
    assert f"“{word}”" in text
    assert not GroupNote.objects.get(pk=note.pk).is_signed


def test_a_first_name_alone_still_only_needs_the_confirmation(world: World) -> None:
    note, slot = _note_mentioning(world, "Sat next to rowan today.")
    with pytest.raises(ValidationError):
        _sign(world, note, slot, confirmed=False)
    assert _sign(world, note, slot, confirmed=True).is_signed


def test_the_sign_page_names_the_entry_and_words_and_refuses(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note, _slot = _note_mentioning(world, "Thistledown said the same.")
    client = client_for(world.clinician)
    url = f"/notes/group/{note.public_id}/sign/"
    page = client.get(url).content.decode()
    assert 'id="identifying"' in page
    assert "Patricia Quillfeather" in page
    assert "“Thistledown”" in page
    form = {"typed_name": world.clinician.name, "password": PASSWORD, "revision": note.revision}
    refused = client.post(url, form | {"confirm_mentions": "yes"})
    assert refused.status_code == 422
    assert not GroupNote.objects.get(pk=note.pk).is_signed
