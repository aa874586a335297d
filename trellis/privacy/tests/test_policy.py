"""Each branch of the role table in privacy/policy.py, and the access gate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404

from tests.personas import World, make_participant, make_staff, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.participants.actions import do_add_care_team_member, do_open_episode
from trellis.participants.models import Episode, EpisodeStatus, Participant
from trellis.privacy.access import Scope, access_participant
from trellis.programs.models import ClinicianKind, Membership, Role


def visible(user: User) -> set[str]:
    return set(Participant.objects.visible_to(user).values_list("mrn", flat=True))


def test_director_sees_their_program_only(world: World) -> None:
    assert visible(world.director) == {"MRN-1001", "MRN-1002"}


def test_org_wide_director_sees_every_program(world: World) -> None:
    chief = make_staff("chief", "Chief", "Director", world.organization, Role.PROGRAM_DIRECTOR)
    assert visible(chief) == {"MRN-1001", "MRN-1002", "MRN-2001"}


def test_clinician_sees_care_team_participants_only(world: World) -> None:
    assert visible(world.clinician) == {"MRN-1001"}
    assert visible(world.outsider) == {"MRN-2001"}


def test_clinician_no_longer_sees_after_leaving_the_care_team(world: World) -> None:
    member = world.participant.episodes.get().care_team.get(user=world.clinician)
    member.end_date = org_today() - timedelta(days=1)
    member.save(update_fields=["end_date"])
    assert visible(world.clinician) == set()


def test_future_care_team_member_does_not_see_yet(world: World) -> None:
    episode = world.other_participant.episodes.get()
    do_add_care_team_member(
        None,
        episode,
        world.clinician,
        role=ClinicianKind.THERAPIST,
        start_date=org_today() + timedelta(days=3),
    )
    assert "MRN-1002" not in visible(world.clinician)


def test_clinician_with_deactivated_membership_sees_nothing(world: World) -> None:
    Membership.objects.filter(user=world.clinician).update(is_active=False)
    assert visible(world.clinician) == set()


def test_deactivated_user_sees_nothing(world: World) -> None:
    world.director.is_active = False
    world.director.save(update_fields=["is_active"])
    assert visible(world.director) == set()


def test_front_desk_sees_program_at_demographic_scope(world: World) -> None:
    assert visible(world.front_desk) == {"MRN-1001", "MRN-1002"}
    access = access_participant(
        world.front_desk, world.participant.public_id, purpose=Purpose.HOPERAT
    )
    assert access.scope == Scope.DEMOGRAPHIC
    with pytest.raises(Http404):
        access_participant(
            world.front_desk,
            world.participant.public_id,
            purpose=Purpose.TREAT,
            minimum=Scope.CLINICAL,
        )


def test_intake_sees_episodes_until_a_care_team_is_set(world: World) -> None:
    newcomer = make_participant(
        world.organization, "MRN-3001", "Nova", "Sampleton", program=world.program,
        status=EpisodeStatus.WAITLIST,
    )  # fmt: skip
    assert visible(world.intake) == {"MRN-3001"}
    access = access_participant(world.intake, newcomer.public_id, purpose=Purpose.TREAT)
    assert access.scope == Scope.CLINICAL
    do_add_care_team_member(
        None, newcomer.episodes.get(), world.clinician, role=ClinicianKind.THERAPIST,
        is_primary=True,
    )  # fmt: skip
    assert visible(world.intake) == set()


def test_intake_and_director_see_people_registered_but_not_enrolled(world: World) -> None:
    make_participant(world.organization, "MRN-4001", "Ash", "Mockingford")
    assert "MRN-4001" in visible(world.intake)
    assert "MRN-4001" in visible(world.director)
    assert "MRN-4001" not in visible(world.front_desk)
    assert "MRN-4001" not in visible(world.clinician)


def test_compliance_officer_sees_no_charts(world: World) -> None:
    assert visible(world.compliance) == set()


def test_participant_sees_only_themself(world: World) -> None:
    assert visible(world.participant_user) == {"MRN-1001"}
    access = access_participant(
        world.participant_user, world.participant.public_id, purpose=Purpose.PATRQT
    )
    assert access.role == "participant"


def test_episode_visibility_is_per_program(world: World) -> None:
    """One person in both programs: each director sees only their own program's episode."""
    sud_director = make_staff(
        "sud.director", "Sud", "Director", world.organization, Role.PROGRAM_DIRECTOR,
        world.sud_program,
    )  # fmt: skip
    do_open_episode(None, world.participant, world.sud_program, status=EpisodeStatus.WAITLIST)
    mine = Episode.objects.visible_to(world.director).filter(participant=world.participant)
    theirs = Episode.objects.visible_to(sud_director).filter(participant=world.participant)
    assert [e.program for e in mine] == [world.program]
    assert [e.program for e in theirs] == [world.sud_program]
    access = access_participant(world.director, world.participant.public_id, purpose=Purpose.TREAT)
    assert [e.program for e in access.episodes] == [world.program]


def test_unknown_and_malformed_ids_are_404_and_audited(world: World) -> None:
    for bad in ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]:
        with pytest.raises(Http404):
            access_participant(world.director, bad, purpose=Purpose.TREAT)
    denials = Event.objects.filter(actor=world.director, action=Action.DENY)
    assert sorted(denials.values_list("object_id", flat=True)) == sorted(
        ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]
    )


def test_director_role_is_recorded_for_a_director_view(world: World) -> None:
    access_participant(world.director, world.participant.public_id, purpose=Purpose.TREAT)
    assert Event.objects.get(actor=world.director, action=Action.VIEW).role == "program_director"
