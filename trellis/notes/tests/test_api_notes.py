"""The notes API at /api/v1/notes/ (mounted in trellis/api.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.notes.models import NoteKind
from trellis.notes.tests.factory import default_start, signed_note


def test_the_list_has_ordinary_notes_and_never_restricted_ones(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    ordinary = signed_note(world.clinician, episode, PASSWORD)
    restricted = signed_note(world.clinician, episode, PASSWORD, kind=NoteKind.PSYCHOTHERAPY)
    client = client_for(world.clinician)
    listing = client.get(f"/api/v1/notes/participants/{world.participant.public_id}")
    assert listing.status_code == 200
    ids = [n["public_id"] for n in listing.json()]
    assert ids == [str(ordinary.public_id)]
    detail = client.get(
        f"/api/v1/notes/participants/{world.participant.public_id}/{ordinary.public_id}"
    )
    assert detail.json()["sections"]["subjective"].startswith("Reports two panic attacks")
    hidden = client.get(
        f"/api/v1/notes/participants/{world.participant.public_id}/{restricted.public_id}"
    )
    assert hidden.status_code == 404
    last = Event.objects.filter(actor=world.clinician).latest("pk")
    assert (last.action, last.object_type, last.object_id) == (
        Action.DENY,
        "notes.note",
        str(restricted.public_id),
    )


def test_front_desk_gets_no_notes(world: World, client_for: Callable[[User], Client]) -> None:
    signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    response = client_for(world.front_desk).get(
        f"/api/v1/notes/participants/{world.participant.public_id}"
    )
    assert response.status_code == 404


def test_write_a_draft_over_the_api_with_the_conflict_check(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    start = default_start()
    body = {
        "format": "dap",
        "service": "individual_therapy",
        "modality": "video",
        "session_start": start.isoformat(),
        "session_end": (start - timedelta(minutes=5)).isoformat(),
    }
    refused = client.post(
        f"/api/v1/notes/participants/{world.participant.public_id}",
        body,
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "session_end"
    body["session_end"] = (start + timedelta(minutes=50)).isoformat()
    created = client.post(
        f"/api/v1/notes/participants/{world.participant.public_id}",
        body,
        content_type="application/json",
    )
    assert created.status_code == 201
    note = created.json()
    url = f"/api/v1/notes/participants/{world.participant.public_id}/{note['public_id']}"
    saved = client.put(
        url,
        body | {"revision": note["revision"], "sections": {"data": "Came on time"}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["sections"] == {"data": "Came on time"}
    stale = client.put(
        url,
        body | {"revision": note["revision"], "sections": {"data": "Old"}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["sections"] == {"data": "Came on time"}
