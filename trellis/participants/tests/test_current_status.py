"""Every role that sees a person sees the same current status: the open episode, not an old
discharged one that happens to be the only episode the role sees clinically.

An intake coordinator keeps an episode that never had a care team (policy.py); the person's
current episode in the same program has a team, so intake does not see it clinically, yet
its status and program (demographic facts, as the front desk sees them) are shown. A Part 2
episode in a program where the user holds no role stays invisible, status included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, make_participant
from trellis.accounts.models import User
from trellis.participants.actions import (
    check_open_episode,
    do_add_care_team_member,
    do_discharge,
    do_open_episode,
)
from trellis.participants.models import DischargeReason, EpisodeStatus, Participant
from trellis.programs.models import ClinicianKind, Program


def returning(world: World, program: Program, team: User) -> Participant:
    """A person discharged from the mental-health IOP before any care team was set (intake
    still sees that episode), now active again in `program` with a care team."""
    person = make_participant(
        world.organization, "MRN-6001", "Ash", "Fernhollow", program=world.program
    )
    today = world.organization.today()
    do_discharge(
        None,
        person.episodes.get(),
        discharged_on=today - timedelta(days=7),
        reason=DischargeReason.COMPLETED,
    )
    episode = do_open_episode(
        None, person, program, status=EpisodeStatus.ACTIVE, admitted_on=today - timedelta(days=2)
    )
    do_add_care_team_member(
        None,
        episode,
        team,
        role=ClinicianKind.THERAPIST if program == world.program else ClinicianKind.COUNSELOR,
        is_primary=True,
        start_date=today - timedelta(days=2),
    )
    return person


def list_row(client: Client) -> str:
    body = client.get("/participants/?q=Fernhollow").content.decode()
    start = body.index("Fernhollow", body.index("<tbody"))
    return body[start : body.index("</tr>", start)]


def chart_header(client: Client, person: Participant) -> str:
    response = client.get(f"/participants/{person.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('class="chart-header"')
    return body[start : body.index("</div>", start)]


@pytest.mark.parametrize("persona", ["director", "front_desk", "intake"])
def test_list_chart_and_api_show_the_current_episode_to_every_role(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    person = returning(world, world.program, world.clinician)
    client = client_for(world.personas[persona])

    assert "Active" in list_row(client)
    assert "Discharged" not in list_row(client)
    header = chart_header(client, person)
    assert "Active" in header
    assert "Discharged" not in header
    chart = client.get(f"/participants/{person.public_id}/").content.decode()
    assert "No care team yet" not in chart

    listed = client.get("/api/v1/participants?q=Fernhollow").json()["items"][0]
    assert listed["current_episode"]["status"] == "active"
    detail = client.get(f"/api/v1/participants/{person.public_id}").json()
    assert detail["current_episode"]["status"] == "active"


def test_a_part_2_episode_shows_nothing_to_a_mental_health_intake_coordinator(
    world: World, client_for: Callable[[User], Client]
) -> None:
    person = returning(world, world.sud_program, world.outsider)
    client = client_for(world.intake)

    row = list_row(client)
    assert "Discharged" in row
    assert "Active" not in row
    pages = [
        client.get("/participants/?q=Fernhollow").content.decode(),
        client.get("/participants/?status=active").content.decode(),
        client.get(f"/participants/{person.public_id}/").content.decode(),
        client.get("/api/v1/participants?q=Fernhollow").content.decode(),
        client.get(f"/api/v1/participants/{person.public_id}").content.decode(),
        client.get(f"/api/v1/participants/{person.public_id}/episodes").content.decode(),
    ]
    for body in pages:
        assert "Substance" not in body
        assert str(world.sud_program.public_id) not in body
    assert "Fernhollow" not in pages[1]  # the status filter does not find the Part 2 episode
    detail = client.get(f"/api/v1/participants/{person.public_id}").json()
    assert detail["current_episode"]["status"] == "discharged"


def test_opening_an_episode_is_refused_while_one_is_open_in_another_known_program(
    world: World,
) -> None:
    """The director of both programs knows of the open episode: a clear refusal naming it,
    unless the enrolment is meant to run alongside it (co-occurring care)."""
    director = make_director_of_both(world)
    person = make_participant(
        world.organization, "MRN-6002", "Bay", "Lowmarsh", program=world.sud_program
    )
    with pytest.raises(ValidationError) as refused:
        check_open_episode(director, person, world.program)
    assert "Adult Substance Use IOP" in str(refused.value)
    episode = check_open_episode(director, person, world.program, concurrent=True)
    assert episode.program == world.program


def test_a_part_2_episode_does_not_refuse_or_name_itself_to_a_mental_health_user(
    world: World,
) -> None:
    person = make_participant(
        world.organization, "MRN-6003", "Fen", "Rushby", program=world.sud_program
    )
    episode = check_open_episode(world.intake, person, world.program)
    assert episode.program == world.program


def make_director_of_both(world: World) -> User:
    from tests.personas import make_staff
    from trellis.programs.models import Role

    return make_staff(
        "olive.orgdirector", "Olive", "Orgdirector", world.organization, Role.PROGRAM_DIRECTOR
    )
