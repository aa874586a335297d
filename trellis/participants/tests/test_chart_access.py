"""Who can open a participant's chart, and what they see."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome


def chart_url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/"


def test_primary_clinician_sees_full_chart(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.clinician).get(chart_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Patricia Quillfeather" in body
    assert "Care team" in body
    assert "Casey Clinician" in body


def test_director_sees_full_chart(world: World, client_for: Callable[[User], Client]) -> None:
    response = client_for(world.director).get(chart_url(world))
    assert response.status_code == 200
    assert "Care team" in response.content.decode()


def test_front_desk_sees_contact_but_no_clinical_section(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.front_desk).get(chart_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "555-0100" in body
    assert "Care team" not in body
    assert "Level of care" not in body


def test_clinician_outside_care_team_gets_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.other_clinician).get(chart_url(world))
    assert response.status_code == 404
    assert "Quillfeather" not in response.content.decode()


def test_outsider_of_another_program_gets_404_and_denial_is_audited(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.outsider).get(chart_url(world))
    assert response.status_code == 404
    denial = Event.objects.filter(actor=world.outsider, action=Action.DENY).get()
    assert denial.participant == world.participant
    assert denial.outcome == Outcome.DENIED


def test_allowed_view_is_audited_with_role(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client_for(world.clinician).get(chart_url(world))
    event = Event.objects.filter(actor=world.clinician, action=Action.VIEW).get()
    assert event.participant == world.participant
    assert event.role == "clinician"
    assert event.client_addr == "127.0.0.1"


def test_director_of_mental_health_cannot_see_substance_use_episode(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(f"/participants/{world.sud_participant.public_id}/")
    assert response.status_code == 404
