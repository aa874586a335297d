"""The plans API at /api/v1/plans/ (mounted in trellis/api.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.plans.tests.factory import signed_plan


def test_the_care_team_reads_the_plan(world: World, client_for: Callable[[User], Client]) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    response = client_for(world.clinician).get(
        f"/api/v1/plans/participants/{world.participant.public_id}"
    )
    assert response.status_code == 200
    data = response.json()
    assert (
        data["current"]["content"]["goals"][0]["words"]
        == "I want to get back to work without panicking"
    )
    assert data["current"]["signer_credentials"] == "LPC"
    assert len(data["progress"]) == 3


@pytest.mark.parametrize("persona", ["front_desk", "other_clinician", "outsider", "intake"])
def test_others_get_404(world: World, client_for: Callable[[User], Client], persona: str) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    response = client_for(world.personas[persona]).get(
        f"/api/v1/plans/participants/{world.participant.public_id}"
    )
    assert response.status_code == 404
    assert "panicking" not in response.content.decode()


def test_saving_a_draft_with_an_old_revision_is_a_409_with_what_is_saved(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    url = f"/api/v1/plans/participants/{world.participant.public_id}/draft"
    started = client.post(url, {}, content_type="application/json")
    assert started.status_code == 201
    draft = started.json()
    content = draft["content"] | {"strengths": "Theirs"}
    first = client.put(
        url, {"revision": draft["revision"], "content": content}, content_type="application/json"
    )
    assert first.status_code == 200
    stale = client.put(
        url,
        {"revision": draft["revision"], "content": draft["content"] | {"strengths": "Mine"}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["content"]["strengths"] == "Theirs"


def test_the_diagnosis_search(world: World, client_for: Callable[[User], Client]) -> None:
    response = client_for(world.clinician).get("/api/v1/plans/diagnoses?q=generalized")
    assert [d["code"] for d in response.json()] == ["F41.1"]
