"""Issue 9 item 7: a signed group note takes addenda, to the group part (every attendee's
chart) or to one attendee's entry (only that chart), by its author or the supervisor who
co-signed it; encrypted, audited, and held to the same name check as signing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.notes.group import actions as ga
from trellis.notes.tests.group_factory import entry_of, group_session, signed_group_note


def test_an_entry_addendum_reaches_only_that_members_chart(
    world: World, client_for: Callable[[User], Client]
) -> None:
    a, b = world.participant, world.other_participant
    slot = group_session(world, [a, b])
    note = signed_group_note(world.clinician, slot)
    mine, theirs = entry_of(note, a), entry_of(note, b)
    client = client_for(world.clinician)
    answer = client.post(
        f"/notes/group/{note.public_id}/addenda/",
        {"entry": str(mine.public_id), "text": "Called later: slept better after TIPP."},
    )
    assert answer.status_code == 302
    client.post(f"/notes/group/{note.public_id}/addenda/", {"text": "Room changed mid-session."})
    director = client_for(world.director)
    own_page = director.get(f"/participants/{a.public_id}/notes/group/{mine.public_id}/")
    other_page = director.get(f"/participants/{b.public_id}/notes/group/{theirs.public_id}/")
    assert "slept better" in own_page.content.decode()
    assert "Casey Clinician" in own_page.content.decode()
    assert "slept better" not in other_page.content.decode()
    assert "Room changed mid-session." in other_page.content.decode()
    whole = client.get(f"/notes/group/{note.public_id}/").content.decode()
    assert "slept better" in whole
    assert "Room changed" in whole
    mine_page = client_for(world.participant_user).get(f"/me/group-notes/{mine.public_id}/")
    assert "slept better" in mine_page.content.decode()
    _token, secret = do_create_api_token(world.director, name="t")
    rows = (
        Client()
        .get(
            f"/api/v1/notes/participants/{a.public_id}/group-notes",
            headers={"authorization": f"Bearer {secret}"},
        )
        .json()
    )
    texts = [x["text"] for x in rows[0]["addenda"]]
    assert texts == ["Called later: slept better after TIPP.", "Room changed mid-session."]
    assert Event.objects.filter(
        object_type="notes.groupnoteentry", object_id=str(mine.public_id), action="create",
        participant=a,
    ).exists()  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM notes_groupnoteaddendum")
        assert not [r for (r,) in cursor.fetchall() if "slept" in r]


def test_an_addendum_naming_another_member_is_refused(world: World) -> None:
    a, b = world.participant, world.other_participant
    slot = group_session(world, [a, b])
    note = signed_group_note(world.clinician, slot)
    with pytest.raises(ValidationError) as refused:
        ga.check_add_group_addendum(
            world.clinician, note, entry_of(note, a),
            text=f"Left with {b.given_name} {b.family_name}.", confirmed=False,
        )  # fmt: skip
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError):
        ga.check_add_group_addendum(
            world.clinician, note, None, text=f"{a.family_name} arrived late.", confirmed=False
        )
    assert not note.addenda.exists()


def test_only_the_author_or_the_supervisor_adds_and_only_once_signed(world: World) -> None:
    slot = group_session(world, [world.participant])
    draft = ga.check_start_group_note(world.clinician, slot)
    with pytest.raises(ValidationError):
        ga.check_add_group_addendum(world.clinician, draft, None, text="Too soon.", confirmed=True)
    note = signed_group_note(world.clinician, group_session(world, [world.participant], name="B"))
    with pytest.raises(ValidationError):
        ga.check_add_group_addendum(world.director, note, None, text="Not mine.", confirmed=True)
    added = ga.check_add_group_addendum(
        world.clinician, note, None, text="Handout sent.", confirmed=True
    )
    assert added.author_name == world.clinician.name
    assert json.dumps(added.text) == '"Handout sent."'
