from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.participants.actions import (
    check_change_primary,
    check_end_care_team_member,
    do_add_care_team_member,
)
from trellis.participants.models import CareTeamMember


def url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/care-team/"


def key(user: User, role: str) -> str:
    return f"{user.public_id}:{role}"


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
def test_who_manages_the_care_team(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    response = client_for(world.personas[persona]).get(url(world))
    assert response.status_code == status
    if status == 200:
        assert "Casey Clinician" in response.content.decode()
        assert "LPC" in response.content.decode()  # credentials shown


def test_add_a_member_then_swap_the_primary_atomically(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    today = org_today().isoformat()
    added = client.post(
        url(world),
        {
            "operation": "add",
            "member": str(world.other_clinician.public_id),
            "role": "counselor",
            "start_date": today,
            "is_primary": "on",
        },
    )
    assert added.status_code == 302
    episode = world.participant.episodes.get()
    primaries = CareTeamMember.objects.filter(episode=episode, is_primary=True, end_date=None)
    assert [m.user for m in primaries] == [world.other_clinician]
    swapped = client.post(
        url(world), {"operation": "primary", "member": key(world.clinician, "therapist")}
    )
    assert swapped.status_code == 302
    assert [m.user for m in primaries.all()] == [world.clinician]


def test_change_role_and_end_with_a_date(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    do_add_care_team_member(
        None,
        episode,
        world.other_clinician,
        role="nurse",
        start_date=org_today() - timedelta(days=3),
    )
    client = client_for(world.clinician)
    client.post(
        url(world),
        {
            "operation": "role",
            "member": key(world.other_clinician, "nurse"),
            "role": "case_manager",
        },
    )
    member = CareTeamMember.objects.get(episode=episode, user=world.other_clinician)
    assert member.role == "case_manager"
    ended = client.post(
        url(world),
        {
            "operation": "end",
            "member": key(world.other_clinician, "case_manager"),
            "end_date": org_today().isoformat(),
        },
    )
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.end_date == org_today()


def test_the_primary_cannot_leave_while_others_remain(world: World) -> None:
    episode = world.participant.episodes.get()
    do_add_care_team_member(
        None, episode, world.other_clinician, role="nurse", start_date=org_today()
    )
    primary = CareTeamMember.objects.get(episode=episode, is_primary=True)
    with pytest.raises(ValidationError) as caught:
        check_end_care_team_member(world.director, primary, end_date=org_today())
    assert "make another member primary first" in caught.value.message_dict["end_date"][0]
    other = CareTeamMember.objects.get(episode=episode, user=world.other_clinician)
    check_change_primary(world.director, other)
    primary.refresh_from_db()
    check_end_care_team_member(world.director, primary, end_date=org_today())


def test_an_end_before_the_start_is_refused_on_the_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).post(
        url(world),
        {"operation": "end", "member": key(world.clinician, "therapist"), "end_date": "2000-01-01"},
    )
    assert response.status_code == 422
    assert "before the member joined" in response.content.decode()


def test_intake_sets_up_the_first_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.personas import make_participant

    newcomer = make_participant(
        world.organization, "MRN-3001", "Nova", "Newcomer", program=world.program
    )
    client = client_for(world.intake)
    page = client.get(f"/participants/{newcomer.public_id}/care-team/")
    assert page.status_code == 200
    done = client.post(
        f"/participants/{newcomer.public_id}/care-team/",
        {
            "operation": "add",
            "member": str(world.clinician.public_id),
            "role": "therapist",
            "start_date": org_today().isoformat(),
            "is_primary": "on",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/participants/"
    assert client.get(f"/participants/{newcomer.public_id}/care-team/").status_code == 404
