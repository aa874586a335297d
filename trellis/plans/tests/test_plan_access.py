from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.plans import diagnoses
from trellis.plans.tests.factory import signed_plan


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinician", 200),
        ("director", 200),
        ("other_clinician", 404),
        ("front_desk", 404),
        ("intake", 404),
        ("compliance", 404),
        ("outsider", 404),
        ("participant", 403),
    ],
)
def test_who_opens_the_plan_tab(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    response = client_for(world.personas[persona]).get(
        f"/participants/{world.participant.public_id}/plan/"
    )
    assert response.status_code == status
    if status != 200:
        assert "without panicking" not in response.content.decode()


def test_front_desk_gets_no_plan_notes_or_care_team_tab(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = (
        client_for(world.front_desk)
        .get(f"/participants/{world.participant.public_id}/")
        .content.decode()
    )
    for label in ("Plan</a>", "Notes</a>", "Care team</a>"):
        assert label not in body


def test_the_director_reads_but_intake_cannot_write(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).post(
        f"/participants/{world.participant.public_id}/plan/start/"
    )
    assert response.status_code == 302  # directors write


def test_the_participant_sees_their_own_plan(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    assert "not signed a plan" in client.get("/me/plan/").content.decode()
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    assert "without panicking" in client.get("/me/plan/").content.decode()


def test_staff_have_no_plan_of_their_own(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert client_for(world.clinician).get("/me/plan/").status_code == 404


def test_the_diagnosis_list_is_searchable_by_code_and_words(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert [d.code for d in diagnoses.search("f41.1")] == ["F41.1"]
    assert "F43.10" in [d.code for d in diagnoses.search("post-traumatic")]
    assert "F10.20" in [d.code for d in diagnoses.search("alcohol dependence")]
    body = client_for(world.clinician).get("/plans/diagnoses/?q=panic").content.decode()
    assert "F41.0" in body
