"""The people every test talks about, built through the same actions the app uses.

One organization ("Riverbend Health (test)") with an adult mental-health IOP (morning and
evening tracks) and an adult substance-use IOP. Personas:

- director: program director of the mental-health IOP
- clinician: therapist, primary on `participant`'s care team (evening track)
- other_clinician: therapist of the same program, morning track, on `other_participant`'s team
- front_desk: front desk of the mental-health IOP
- intake: intake coordinator of the mental-health IOP
- compliance: compliance officer of the organization
- outsider: counselor in the substance-use IOP, on `sud_participant`'s care team
- participant_user: `participant`'s own sign-in

`add_discharged_episodes(world)` adds a discharged episode in each program (care teams
ended at discharge) for the walks that check who still sees a record after discharge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from trellis.accounts.actions import do_add_credential, do_create_user
from trellis.accounts.models import User
from trellis.lib.clock import local_today
from trellis.participants.actions import (
    ParticipantDetails,
    do_add_care_team_member,
    do_create_participant,
    do_discharge,
    do_link_participant_user,
)
from trellis.participants.models import DischargeReason, EpisodeStatus, Participant
from trellis.programs.actions import (
    do_add_membership,
    do_create_organization,
    do_create_program,
    do_create_room,
    do_create_site,
    do_create_track,
)
from trellis.programs.models import (
    ClinicianKind,
    Delivery,
    Organization,
    Population,
    Program,
    Role,
    Room,
    Site,
    Track,
)

PASSWORD = "correct horse battery staple"
TIME_ZONE = "America/Chicago"  # the test organization's zone: its dates differ from UTC's


def org_today() -> date:
    """Today in the test organization (never the runner's or UTC's date)."""
    return local_today(ZoneInfo(TIME_ZONE))


@dataclass
class World:
    organization: Organization
    site: Site
    room: Room
    program: Program
    morning: Track
    evening: Track
    sud_program: Program
    sud_track: Track
    director: User
    clinician: User
    other_clinician: User
    front_desk: User
    intake: User
    compliance: User
    outsider: User
    participant_user: User
    participant: Participant
    other_participant: Participant
    sud_participant: Participant

    @property
    def personas(self) -> dict[str, User]:
        return {
            "director": self.director,
            "clinician": self.clinician,
            "other_clinician": self.other_clinician,
            "front_desk": self.front_desk,
            "intake": self.intake,
            "compliance": self.compliance,
            "outsider": self.outsider,
            "participant": self.participant_user,
        }


def make_staff(
    username: str,
    first: str,
    last: str,
    organization: Organization,
    role: str,
    program: Program | None = None,
    clinician_kind: str = "",
    credential: str = "",
) -> User:
    user = do_create_user(
        None,
        username=username,
        password=PASSWORD,
        email=f"{username}@riverbend.test",
        first_name=first,
        last_name=last,
    )
    do_add_membership(
        None, user, organization, role=role, program=program, clinician_kind=clinician_kind
    )
    if credential:
        do_add_credential(
            None,
            user,
            kind=credential,
            licence_number=f"{credential}-{user.pk:05d}",
            state="OR",
            expires_on=date(2028, 6, 30),
        )
    return user


def make_participant(
    organization: Organization,
    mrn: str,
    given: str,
    family: str,
    *,
    program: Program | None = None,
    track: Track | None = None,
    status: str = EpisodeStatus.ACTIVE,
    team: list[tuple[User, str, bool]] | None = None,
    user: User | None = None,
) -> Participant:
    admitted = organization.today() - timedelta(days=21)
    participant = do_create_participant(
        None,
        organization,
        ParticipantDetails(
            mrn=mrn,
            given_name=given,
            family_name=family,
            date_of_birth=date(1990, 4, 12),
            pronouns="they/them",
            phone="555-0100",
            email=f"{mrn.lower()}@example.test",
        ),
        program=program,
        track=track,
        status=status,
        admitted_on=admitted if status in {EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD} else None,
    )
    if user is not None:
        do_link_participant_user(None, participant, user)
    if program is not None:
        episode = participant.episodes.get()
        for member, role, primary in team or []:
            do_add_care_team_member(
                None, episode, member, role=role, is_primary=primary, start_date=admitted
            )
    return participant


def build_world(time_zone: str = TIME_ZONE) -> World:
    """Everyone, through the real actions. Dates are the test organization's; a world in
    another zone (`time_zone`) is for tests of the organization's clock."""
    org = do_create_organization(None, name="Riverbend Health (test)", time_zone=time_zone)
    site = do_create_site(None, org, name="Riverbend Main", city="Springfield", state="IL")
    room = do_create_room(None, site, name="Room 2", capacity=12)
    program = do_create_program(
        None, org, name="Adult Mental Health IOP", population=Population.ADULT, site=site
    )
    morning = do_create_track(
        None, program, name="Morning", delivery=Delivery.IN_PERSON, capacity=12
    )
    evening = do_create_track(None, program, name="Evening", delivery=Delivery.HYBRID, capacity=12)
    sud = do_create_program(
        None, org, name="Adult Substance Use IOP", population=Population.ADULT, site=site
    )
    sud_track = do_create_track(None, sud, name="Evening", delivery=Delivery.IN_PERSON, capacity=10)

    director = make_staff(
        "dana.director", "Dana", "Director", org, Role.PROGRAM_DIRECTOR, program, credential="LCSW"
    )
    clinician = make_staff(
        "casey.clinician",
        "Casey",
        "Clinician",
        org,
        Role.CLINICIAN,
        program,
        ClinicianKind.THERAPIST,
        "LPC",
    )
    other = make_staff(
        "morgan.morning",
        "Morgan",
        "Morning",
        org,
        Role.CLINICIAN,
        program,
        ClinicianKind.THERAPIST,
        "LMFT",
    )
    front = make_staff("frankie.frontdesk", "Frankie", "Frontdesk", org, Role.FRONT_DESK, program)
    intake = make_staff("ingrid.intake", "Ingrid", "Intake", org, Role.INTAKE_COORDINATOR, program)
    compliance = make_staff(
        "connor.compliance", "Connor", "Compliance", org, Role.COMPLIANCE_OFFICER
    )
    outsider = make_staff(
        "oakley.outsider",
        "Oakley",
        "Outsider",
        org,
        Role.CLINICIAN,
        sud,
        ClinicianKind.COUNSELOR,
        "CADC",
    )

    participant_user = do_create_user(
        None, username="pat.participant", password=PASSWORD, is_staff_profile=False
    )
    participant = make_participant(
        org,
        "MRN-1001",
        "Patricia",
        "Quillfeather",
        program=program,
        track=evening,
        team=[(clinician, ClinicianKind.THERAPIST, True)],
        user=participant_user,
    )
    other_participant = make_participant(
        org,
        "MRN-1002",
        "Rowan",
        "Thistledown",
        program=program,
        track=morning,
        team=[(other, ClinicianKind.THERAPIST, True)],
    )
    sud_participant = make_participant(
        org,
        "MRN-2001",
        "Sage",
        "Brambleworth",
        program=sud,
        track=sud_track,
        team=[(outsider, ClinicianKind.COUNSELOR, True)],
    )
    return World(
        organization=org, site=site, room=room, program=program, morning=morning,
        evening=evening, sud_program=sud, sud_track=sud_track, director=director,
        clinician=clinician, other_clinician=other, front_desk=front, intake=intake,
        compliance=compliance, outsider=outsider, participant_user=participant_user,
        participant=participant, other_participant=other_participant,
        sud_participant=sud_participant,
    )  # fmt: skip


@dataclass
class Discharged:
    """One discharged episode in each program, discharged yesterday: the care team ended then."""

    mental_health: Participant  # Casey Clinician was the primary therapist
    substance_use: Participant  # Oakley Outsider was the primary counselor (42 CFR Part 2)


def add_discharged_episodes(world: World, *, discharge: bool = True) -> Discharged:
    """With discharge=False the episodes stay open: add data first, then `discharge_all`."""
    people = [
        make_participant(
            world.organization, mrn, given, family, program=program, track=track,
            team=[(member, role, True)],
        )
        for mrn, given, family, program, track, member, role in [
            ("MRN-5001", "Wren", "Hollowmere", world.program, world.evening, world.clinician,
             ClinicianKind.THERAPIST),
            ("MRN-5002", "Linden", "Marrowgate", world.sud_program, world.sud_track,
             world.outsider, ClinicianKind.COUNSELOR),
        ]
    ]  # fmt: skip
    discharged = Discharged(mental_health=people[0], substance_use=people[1])
    if discharge:
        discharge_all(world, discharged)
    return discharged


def discharge_all(world: World, discharged: Discharged) -> None:
    """Discharge both episodes as of yesterday; their care teams end then."""
    # The organization's yesterday (its own clock, never UTC's date).
    yesterday = world.organization.today() - timedelta(days=1)
    for person in (discharged.mental_health, discharged.substance_use):
        do_discharge(
            None, person.episodes.get(), discharged_on=yesterday, reason=DischargeReason.COMPLETED
        )
