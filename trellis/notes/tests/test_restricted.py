"""Restricted notes (psychotherapy, SUD counseling): only their author, for every persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.notes.models import NoteKind
from trellis.notes.tests.factory import signed_note

SECRET = "Processing the childhood memory in depth"
PERSONAS = [
    "director",
    "other_clinician",
    "front_desk",
    "intake",
    "compliance",
    "outsider",
    "participant",
]


@pytest.fixture(params=[NoteKind.PSYCHOTHERAPY, NoteKind.SUD_COUNSELING])
def restricted(request: pytest.FixtureRequest, world: World) -> str:
    text = {"subjective": SECRET, "objective": "o", "assessment": "a", "plan": "p"}
    note = signed_note(
        world.clinician, world.participant.episodes.get(), PASSWORD, kind=request.param, text=text
    )
    return str(note.public_id)


def test_the_author_reads_their_restricted_note(
    world: World, client_for: Callable[[User], Client], restricted: str
) -> None:
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/"
    assert restricted in client.get(base).content.decode()
    assert SECRET in client.get(base + restricted + "/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_else_sees_a_restricted_note(
    world: World, client_for: Callable[[User], Client], restricted: str, persona: str
) -> None:
    client = client_for(world.personas[persona])
    base = f"/participants/{world.participant.public_id}/notes/"
    listing = client.get(base)
    assert restricted not in listing.content.decode()
    detail = client.get(base + restricted + "/")
    assert detail.status_code in {403, 404}
    assert SECRET not in detail.content.decode()
    assert client.post(base + restricted + "/addenda/", {"text": "x"}).status_code in {403, 404}
    assert SECRET not in client.get("/me/plan/").content.decode()


@pytest.mark.parametrize("persona", [*PERSONAS, "clinician"])
def test_restricted_notes_are_never_in_the_api(
    world: World, client_for: Callable[[User], Client], restricted: str, persona: str
) -> None:
    client = client_for(world.personas[persona])
    listing = client.get(f"/api/v1/notes/participants/{world.participant.public_id}")
    assert restricted not in listing.content.decode()
    detail = client.get(f"/api/v1/notes/participants/{world.participant.public_id}/{restricted}")
    assert detail.status_code in {401, 403, 404}
    assert SECRET not in detail.content.decode()


def test_a_director_sees_ordinary_notes_but_not_restricted_ones(
    world: World, client_for: Callable[[User], Client], restricted: str
) -> None:
    ordinary = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    body = (
        client_for(world.director)
        .get(f"/participants/{world.participant.public_id}/notes/")
        .content.decode()
    )
    assert str(ordinary.public_id) in body
    assert restricted not in body
