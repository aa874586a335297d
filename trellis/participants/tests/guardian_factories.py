"""An adolescent program with a teenager, a sibling and a guardian of the teenager, built
through the real actions on the persona world (tests/personas.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tests.personas import PASSWORD, World
from trellis.accounts.actions import do_create_user
from trellis.accounts.models import User
from trellis.participants.actions import ParticipantDetails, do_create_participant
from trellis.participants.actions.guardians import (
    do_accept_guardian_invitation,
    do_invite_guardian,
)
from trellis.participants.actions.team import do_add_care_team_member
from trellis.participants.models import (
    EpisodeStatus,
    GuardianLink,
    GuardianRelationship,
    Participant,
)
from trellis.programs.actions import do_add_membership, do_create_program, do_create_track
from trellis.programs.models import ClinicianKind, Delivery, Population, Program, Role, Track

GUARDIAN_USERNAME = "gale.guardian"


@dataclass
class Teens:
    program: Program
    track: Track
    teen: Participant  # 16, in the adolescent program; Gale guards them
    sibling: Participant  # 14, same program (another family name); nobody guards them yet
    guardian: User
    link: GuardianLink


def born_years_ago(today: date, years: int, days: int = 0) -> date:
    return date(today.year - years, today.month, 1) - timedelta(days=days)


def make_teen(
    world: World, mrn: str, given: str, family: str, born: date, program: Program, track: Track
) -> Participant:
    admitted = world.organization.today() - timedelta(days=14)
    participant = do_create_participant(
        None,
        world.organization,
        ParticipantDetails(
            mrn=mrn,
            given_name=given,
            family_name=family,
            date_of_birth=born,
            email=f"{mrn.lower()}@example.test",
        ),
        program=program,
        track=track,
        status=EpisodeStatus.ACTIVE,
        admitted_on=admitted,
    )
    do_add_care_team_member(
        None,
        participant.episodes.get(),
        world.clinician,
        role=ClinicianKind.THERAPIST,
        is_primary=True,
        start_date=admitted,
    )
    return participant


def build_teens(world: World) -> Teens:
    """Casey Clinician is the teenagers' therapist; Dana Director also directs the program."""
    org = world.organization
    program = do_create_program(
        None, org, name="Adolescent IOP", population=Population.ADOLESCENT, site=world.site
    )
    track = do_create_track(
        None, program, name="After school", delivery=Delivery.IN_PERSON, capacity=10
    )
    do_add_membership(
        None,
        world.clinician,
        org,
        role=Role.CLINICIAN,
        program=program,
        clinician_kind=ClinicianKind.THERAPIST,
    )
    do_add_membership(None, world.director, org, role=Role.PROGRAM_DIRECTOR, program=program)
    today = org.today()
    teen = make_teen(
        world, "MRN-3001", "Tobin", "Wexcombe", born_years_ago(today, 16), program, track
    )
    sibling = make_teen(
        world, "MRN-3002", "Ivy", "Oakhollow", born_years_ago(today, 14), program, track
    )
    invitation, _token = do_invite_guardian(
        world.clinician,
        teen,
        name="Gale Wexcombe",
        relationship=GuardianRelationship.PARENT,
        email="gale@example.test",
        language="es",
    )
    guardian, link = do_accept_guardian_invitation(
        invitation, username=GUARDIAN_USERNAME, password=PASSWORD
    )
    return Teens(program, track, teen, sibling, guardian, link)


def plain_user(username: str) -> User:
    return do_create_user(None, username=username, password=PASSWORD, is_staff_profile=False)
