"""Who sees team meetings: directors and the program's clinicians run them; each sees the
part about a participant only when they see that participant clinically; front desk,
intake, compliance, other programs and participants see nothing. Reads are audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.meetings import actions
from trellis.meetings.models import DecisionKind

from .factory import todays_meeting

Clients = Callable[[User], Client]


@pytest.fixture
def discussed(world: World) -> str:
    meeting = todays_meeting(world)
    actions.do_generate_agenda(None, meeting)
    episode = world.participant.episodes.get()
    actions.check_discuss(world.clinician, meeting, episode, "Sleeping four hours a night")
    actions.check_decide(
        world.clinician, meeting, episode, kind=DecisionKind.RECORD, text="Refer to sleep clinic"
    )
    return f"/meetings/{meeting.public_id}/"


@pytest.mark.parametrize("persona", ["director", "clinician"])
def test_the_participants_clinicians_and_director_see_the_discussion(
    world: World, client_for: Clients, discussed: str, persona: str
) -> None:
    user = world.personas[persona]
    response = client_for(user).get(discussed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sleeping four hours a night" in body
    assert world.participant.family_name in body
    assert Event.objects.filter(
        actor=user,
        action=Action.VIEW,
        participant=world.participant,
        object_type="meetings.meeting",
    ).exists()


def test_a_clinician_of_the_program_runs_the_meeting_without_seeing_others_participants(
    world: World, client_for: Clients, discussed: str
) -> None:
    response = client_for(world.other_clinician).get(discussed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sleeping four hours" not in body
    assert world.participant.family_name not in body
    assert "outside your caseload" in body
    # Their own participant is on the generated agenda (no plan yet) and is shown.
    assert world.other_participant.family_name in body


@pytest.mark.parametrize("persona", ["front_desk", "intake", "compliance", "participant"])
def test_front_desk_intake_compliance_and_participants_get_nothing(
    world: World, client_for: Clients, discussed: str, persona: str
) -> None:
    client = client_for(world.personas[persona])
    assert client.get("/meetings/").status_code == 403
    assert client.get(discussed).status_code == 403
    assert client.get(
        discussed.replace("/meetings/", "/api/v1/meetings/") + "agenda"
    ).status_code in (
        403,
        404,
    )


def test_another_programs_clinician_gets_a_404(
    world: World, client_for: Clients, discussed: str
) -> None:
    response = client_for(world.outsider).get(discussed)
    assert response.status_code == 404
    assert Event.objects.filter(actor=world.outsider, action=Action.DENY).exists()


def test_the_meetings_api(world: World, client_for: Clients, discussed: str) -> None:
    meeting_id = discussed.strip("/").split("/")[-1]
    client = client_for(world.clinician)
    listed = client.get("/api/v1/meetings/").json()
    assert meeting_id in [m["public_id"] for m in listed]
    agenda = client.get(f"/api/v1/meetings/{meeting_id}/agenda").json()
    assert {i["participant"] for i in agenda["items"]} == {str(world.participant.public_id)}
    assert agenda["hidden_participants"] == 1  # other_participant, not on their caseload
    made = client.post(
        f"/api/v1/meetings/{meeting_id}/decisions",
        {
            "episode": str(world.participant.episodes.get().public_id),
            "kind": "task",
            "text": "Book a sleep consult",
            "owner": str(world.clinician.public_id),
            "due_on": "2099-01-01",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["task"] is not None
    decisions = client.get(f"/api/v1/meetings/{meeting_id}/decisions").json()
    assert [d["text"] for d in decisions] == ["Refer to sleep clinic", "Book a sleep consult"]
    other = client_for(world.other_clinician).get(f"/api/v1/meetings/{meeting_id}/decisions")
    assert other.json() == []
    refused = client_for(world.other_clinician).post(
        f"/api/v1/meetings/{meeting_id}/decisions",
        {
            "episode": str(world.participant.episodes.get().public_id),
            "kind": "record",
            "text": "x",
        },
        content_type="application/json",
    )
    # Not their caseload: the same 404 as for a stranger's record, and the denial is audited.
    assert refused.status_code == 404
    assert Event.objects.filter(
        actor=world.other_clinician, action=Action.DENY, participant=world.participant
    ).exists()
    regenerated = client_for(world.director).post(f"/api/v1/meetings/{meeting_id}/agenda")
    assert regenerated.status_code == 200
