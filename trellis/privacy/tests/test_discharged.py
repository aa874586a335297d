"""Who sees a discharged episode, in each program, once its care team has ended.

Intake's window is before the first care team exists, never after one has ended: a
discharged episode is not "before a care team is set" again (42 CFR Part 2 included).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from tests.personas import Discharged, World, add_discharged_episodes, org_today
from trellis.accounts.models import User
from trellis.audit.models import Purpose
from trellis.participants.actions import check_add_care_team_member
from trellis.participants.models import CareTeamMember, Participant
from trellis.privacy.access import Scope, access_participant
from trellis.programs.models import ClinicianKind

# persona -> (scope on the discharged mental-health episode, on the discharged Part 2 one)
EXPECTED = {
    "director": (Scope.CLINICAL, Scope.NONE),
    "clinician": (Scope.NONE, Scope.NONE),  # was the primary therapist; the team ended
    "other_clinician": (Scope.NONE, Scope.NONE),
    "front_desk": (Scope.DEMOGRAPHIC, Scope.NONE),
    "intake": (Scope.NONE, Scope.NONE),
    "compliance": (Scope.NONE, Scope.NONE),
    "outsider": (Scope.NONE, Scope.NONE),  # was the primary counselor; the team ended
    "participant": (Scope.NONE, Scope.NONE),
}


@pytest.fixture
def discharged(world: World) -> Discharged:
    return add_discharged_episodes(world)


def scope_of(user: User, person: Participant) -> Scope:
    try:
        return access_participant(user, person.public_id, purpose=Purpose.TREAT).scope
    except Http404:
        return Scope.NONE


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize("program", ["mental_health", "substance_use"])
def test_every_persona_over_discharged_episodes(
    world: World,
    discharged: Discharged,
    client_for: Callable[[User], Client],
    persona: str,
    program: str,
) -> None:
    user = world.personas[persona]
    person: Participant = getattr(discharged, program)
    expected = EXPECTED[persona][0 if program == "mental_health" else 1]
    assert scope_of(user, person) == expected

    response = client_for(user).get(f"/api/v1/participants/{person.public_id}")
    if expected == Scope.NONE:
        assert response.status_code in {403, 404}  # 403: the API is for staff only
        assert person.family_name not in response.content.decode()
    else:
        assert response.status_code == 200
        assert response.json()["scope"] == expected.name.lower()
    chart = client_for(user).get(f"/participants/{person.public_id}/")
    assert (person.family_name in chart.content.decode()) == (expected != Scope.NONE)


def test_intake_of_the_part_2_program_does_not_see_its_discharged_episode(
    world: World, discharged: Discharged
) -> None:
    from tests.personas import make_staff
    from trellis.programs.models import Role

    sud_intake = make_staff("sud.intake", "Sud", "Intake", world.organization,
                            Role.INTAKE_COORDINATOR, world.sud_program)  # fmt: skip
    assert scope_of(sud_intake, discharged.substance_use) == Scope.NONE


def test_intake_keeps_a_discharged_episode_that_never_had_a_care_team(world: World) -> None:
    """Before the first care team exists (here: never), the episode is intake's."""
    from tests.personas import make_participant
    from trellis.participants.actions import do_discharge
    from trellis.participants.models import DischargeReason

    person = make_participant(world.organization, "MRN-5003", "Tamsin", "Oakhurst",
                              program=world.program)  # fmt: skip
    do_discharge(None, person.episodes.get(), discharged_on=org_today(),
                 reason=DischargeReason.DROPPED_OUT)  # fmt: skip
    assert scope_of(world.intake, person) == Scope.CLINICAL


@pytest.mark.parametrize("program", ["mental_health", "substance_use"])
def test_no_one_joins_the_care_team_of_a_discharged_episode(
    world: World, discharged: Discharged, program: str
) -> None:
    episode = getattr(discharged, program).episodes.get()
    with pytest.raises(ValidationError) as refused:
        check_add_care_team_member(
            world.director, episode, world.other_clinician, role=ClinicianKind.THERAPIST
        )
    assert "status" in refused.value.message_dict
    assert not CareTeamMember.objects.filter(episode=episode, user=world.other_clinician).exists()


def test_the_care_team_tab_refuses_an_addition_after_discharge(
    world: World, discharged: Discharged, client_for: Callable[[User], Client]
) -> None:
    person = discharged.mental_health
    response = client_for(world.director).post(
        f"/participants/{person.public_id}/care-team/",
        {
            "operation": "add",
            "member": str(world.other_clinician.public_id),
            "role": ClinicianKind.THERAPIST,
            "start_date": org_today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "discharged" in response.content.decode()
    assert not CareTeamMember.objects.filter(
        episode__participant=person, user=world.other_clinician
    ).exists()
