"""Synthetic demo data: one organization, three IOPs, a staff of 17 and N participants.

Two steps, so that determinism is easy to see and to test:

1. `plan_participants(count, seed, today)` is pure Python: the same seed and the same `today`
   give the same people, episodes, dates and care teams, in the same order.
2. `load_demo(...)` writes the organization and staff through the actions in
   `trellis/*/actions.py`, then the planned participants (see `_load_participants`), all in one
   transaction. Rows that are bulk loaded get the audit events their actions would write,
   appended in batches with `audit.trail.record_many`, so the chain is complete.

Every name is invented (see cast.py), every MRN starts with DEMO-, every email ends in
@example.test and every phone number is a 555-01xx number.
"""

from __future__ import annotations

import random
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from trellis.accounts.actions import (
    do_add_credential,
    do_create_user,
    do_set_administrator,
    do_set_supervisor,
)
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record, record_many
from trellis.demo.cast import (
    ADULT_CONTACTS,
    DEFAULT_PARTICIPANTS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    GIVEN_NAMES,
    LANGUAGES,
    NICKNAMES,
    ORGANIZATION_NAME,
    PORTAL_USERNAME,
    PROGRAM_KEYS,
    PROGRAMS,
    PRONOUNS,
    ROOMS,
    STAFF,
    STATE,
    STREET_KINDS,
    STREETS,
    SURNAMES,
    TEEN_CONTACTS,
    TIME_ZONE,
    ProgramSpec,
    staff_by_kind,
)
from trellis.measures.demo import seed_measure_history
from trellis.meetings.demo import seed_meetings
from trellis.notes.demo import seed_group_notes, seed_notes
from trellis.participants.actions import do_set_planned_discharge
from trellis.participants.models import (
    CareTeamMember,
    DischargeReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    Participant,
    initial_status_changes,
)
from trellis.plans.demo import seed_plans
from trellis.programs.actions import (
    do_add_membership,
    do_create_organization,
    do_create_program,
    do_create_room,
    do_create_site,
    do_create_track,
)
from trellis.programs.models import ClinicianKind, Organization, Population, Program, Track
from trellis.scheduling.demo import seed_schedule_history

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """Progress callback that reports nothing."""


@dataclass
class EpisodePlan:
    program: str
    track: str | None
    status: str
    admitted_on: date | None = None
    discharged_on: date | None = None
    reason: str = ""
    team: list[tuple[str, str, bool]] = field(default_factory=list)  # username, role, primary


@dataclass
class ParticipantPlan:
    mrn: str
    given_name: str
    family_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    email: str
    phone: str
    address_line1: str
    city: str
    state: str
    postal_code: str
    emergency_contact_name: str
    emergency_contact_relationship: str
    emergency_contact_phone: str
    language: str
    scenario: str
    episodes: list[EpisodePlan]  # oldest first; only the last one may be open
    portal_user: bool = False


# What happens to each planned participant. The first scenarios are compulsory so that even a
# small demo shows every status and every discharge reason; the rest are drawn by weight.
DISCHARGE_WEIGHTS = (
    (DischargeReason.COMPLETED, 45),
    (DischargeReason.TRANSFERRED, 18),
    (DischargeReason.DROPPED_OUT, 20),
    (DischargeReason.TERMINATED, 5),
    (DischargeReason.INCARCERATED, 4),
    (DischargeReason.DEATH, 2),
    (DischargeReason.OTHER, 6),
)
SCENARIO_WEIGHTS = (
    ("active", 50),
    ("on_hold", 5),
    ("waitlist", 10),
    ("planned", 7),
    ("discharged", 20),
    ("registered", 3),
    ("readmitted", 5),
)
COMPULSORY_SCENARIOS: tuple[tuple[str, str | None], ...] = (
    ("portal", "adult_mh"),
    *((("active", key)) for key in PROGRAM_KEYS),
    *((("on_hold", key)) for key in PROGRAM_KEYS),
    *((("waitlist", key)) for key in PROGRAM_KEYS),
    *((("planned", key)) for key in PROGRAM_KEYS),
    *((f"discharged:{reason}", None) for reason in DischargeReason.values),
    ("registered", None),
    ("registered", None),
    ("registered", None),
    ("readmitted", "adult_mh"),
    ("readmitted", "sud"),
    ("readmitted", "teen"),
)


def _weighted[T](rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _program(key: str) -> ProgramSpec:
    return next(p for p in PROGRAMS if p.key == key)


def plan_participants(
    count: int = DEFAULT_PARTICIPANTS, seed: int = DEFAULT_SEED, today: date | None = None
) -> list[ParticipantPlan]:
    """The participants to load: same seed and same `today` give the same list."""
    today = today or demo_today()
    rng = random.Random(seed)  # synthetic data, not a secret
    scenarios: list[tuple[str, str | None]] = list(COMPULSORY_SCENARIOS[:count])
    while len(scenarios) < count:
        scenarios.append((_weighted(rng, SCENARIO_WEIGHTS), None))
    rng.shuffle(scenarios)
    program_weights = [(p.key, p.weight) for p in PROGRAMS]
    plans = []
    for index, (scenario, program_key) in enumerate(scenarios, start=1):
        key = program_key or _weighted(rng, program_weights)
        plans.append(_plan_one(rng, index, scenario, key, today))
    return plans


def _plan_one(
    rng: random.Random, index: int, scenario: str, program_key: str, today: date
) -> ParticipantPlan:
    program = _program(program_key)
    adolescent = program.population == Population.ADOLESCENT
    age = rng.randint(13, 17) if adolescent else rng.randint(19, 68)
    # 365 days a year plus 10 to 350 days stays inside the age whatever the leap years.
    born = today - timedelta(days=age * 365 + rng.randint(10, 350))
    given = rng.choice(GIVEN_NAMES)
    family = rng.choice(SURNAMES)
    nickname = NICKNAMES.get(given, "")
    contact_family = family if rng.random() < 0.6 else rng.choice(SURNAMES)
    mrn = f"DEMO-{index:06d}"
    plan = ParticipantPlan(
        mrn=mrn,
        given_name=given,
        family_name=family,
        preferred_name=nickname if nickname and rng.random() < 0.5 else "",
        pronouns=_weighted(rng, PRONOUNS),
        date_of_birth=born,
        email=f"{given}.{family}.{index}@example.test".lower(),
        phone=f"(312) 555-01{rng.randint(0, 99):02d}",
        address_line1=(
            f"{rng.randint(100, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
        ),
        city="Chicago",
        state=STATE,
        postal_code=f"606{rng.randint(1, 61):02d}",
        emergency_contact_name=f"{rng.choice(GIVEN_NAMES)} {contact_family}",
        emergency_contact_relationship=rng.choice(TEEN_CONTACTS if adolescent else ADULT_CONTACTS),
        emergency_contact_phone=f"(773) 555-01{rng.randint(0, 99):02d}",
        language=_weighted(rng, LANGUAGES),
        scenario=scenario,
        episodes=[],
        portal_user=scenario == "portal",
    )
    if scenario == "registered":
        return plan
    if scenario == "readmitted":
        # A past stay that ended, then a new open episode (same program, or a step across
        # between the two adult programs).
        earlier = _episode(rng, program, "discharged", today, ended_before=today - timedelta(90))
        plan.episodes.append(earlier)
        again = program
        if program.population == Population.ADULT and rng.random() < 0.4:
            again = _program("sud" if program.key == "adult_mh" else "adult_mh")
        plan.episodes.append(_episode(rng, again, rng.choice(["active", "waitlist"]), today))
        return plan
    status, _, reason = scenario.partition(":")
    plan.episodes.append(
        _episode(rng, program, "active" if status == "portal" else status, today, reason=reason)
    )
    return plan


def _episode(
    rng: random.Random,
    program: ProgramSpec,
    status: str,
    today: date,
    *,
    reason: str = "",
    ended_before: date | None = None,
) -> EpisodePlan:
    track = _weighted(rng, [(t.key, t.weight) for t in program.tracks])
    if status in {"waitlist", "planned"}:
        # Half the waitlist has no track yet: the track follows the opening, not the referral.
        keep_track = status == "planned" or rng.random() < 0.5
        return EpisodePlan(program.key, track if keep_track else None, status)
    if status == "active":
        admitted = today - timedelta(days=rng.randint(1, 70))
    elif status == "on_hold":
        admitted = today - timedelta(days=rng.randint(20, 80))
    else:
        latest_end = ended_before or today - timedelta(days=1)
        reason = reason or _weighted(rng, DISCHARGE_WEIGHTS)
        stay = rng.randint(3, 20) if reason == DischargeReason.DROPPED_OUT else rng.randint(14, 84)
        ended = latest_end - timedelta(days=rng.randint(0, 270))
        admitted = ended - timedelta(days=stay)
    episode = EpisodePlan(
        program.key,
        track,
        EpisodeStatus.DISCHARGED if status == "discharged" else status,
        admitted_on=admitted,
        discharged_on=admitted + timedelta(days=stay) if status == "discharged" else None,
        reason=reason if status == "discharged" else "",
    )
    episode.team = _care_team(rng, program)
    return episode


def _care_team(rng: random.Random, program: ProgramSpec) -> list[tuple[str, str, bool]]:
    primary_kind = (
        ClinicianKind.COUNSELOR if program.key == "sud" else ClinicianKind.THERAPIST
    ).value
    team = [(rng.choice(staff_by_kind(program.key, primary_kind)), primary_kind, True)]
    for kind, chance in (
        (ClinicianKind.PRESCRIBER, 0.6),
        (ClinicianKind.NURSE, 0.35),
        (ClinicianKind.CASE_MANAGER, 0.5),
        (ClinicianKind.PEER_SPECIALIST, 0.3),
    ):
        pool = staff_by_kind(program.key, kind)
        if pool and rng.random() < chance:
            team.append((rng.choice(pool), kind.value, False))
    return team


def demo_today() -> date:
    """Today in the demo organization's zone: dates in the demo are relative to it."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE))


# -- loading --------------------------------------------------------------------------------


@dataclass
class SeedResult:
    organization: Organization
    staff: int
    participants: int
    episodes: int
    care_team_members: int
    today: date


DEFAULT_WEEKS = 12


def _plan_discharges(organization: Organization, *, seed: int, today: date) -> None:
    """A few people who have been in care for a month or more get a discharge date in the
    coming week, so transition planning shows up on the team-meeting agenda."""
    rng = random.Random(f"{seed}:planned discharges")
    settled = list(
        Episode.objects.filter(
            program__organization=organization,
            status=EpisodeStatus.ACTIVE,
            admitted_on__lte=today - timedelta(days=28),
        ).order_by("pk")
    )
    for episode in rng.sample(settled, min(4, len(settled))):
        do_set_planned_discharge(None, episode, today + timedelta(days=rng.randint(2, 6)))


def _load_history(
    organization: Organization, *, seed: int, weeks: int, today: date, progress: Progress
) -> None:
    """Clinical history from the apps above participants (the demo app sits on top of them):
    each gets its own random stream so adding one never changes another's data."""
    stages: list[tuple[str, Callable[[random.Random], object]]] = [
        (
            "schedule and attendance",
            lambda rng: seed_schedule_history(organization, rng=rng, weeks=weeks, today=today),
        ),
        (
            "check-ins",
            lambda rng: seed_measure_history(organization, rng=rng, weeks=weeks, today=today),
        ),
        ("treatment plans", lambda rng: seed_plans(organization, rng=rng, today=today)),
        ("progress notes", lambda rng: seed_notes(organization, rng=rng, today=today)),
        # After the schedule and the plans: group notes need attended sessions and objectives.
        ("group notes", lambda rng: seed_group_notes(organization, rng=rng, today=today)),
        ("team meetings", lambda rng: seed_meetings(organization, rng=rng, today=today)),
    ]
    for done, (stage, seeder) in enumerate(stages, start=1):
        seeder(random.Random(f"{seed}:{stage}"))
        progress("history", done, len(stages))


def demo_exists() -> bool:
    return Organization.objects.exists()


@transaction.atomic
def load_demo(
    *,
    participants: int = DEFAULT_PARTICIPANTS,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    weeks: int = 0,
    progress: Progress = _no_progress,
) -> SeedResult:
    """Create the demo organization, its staff and `participants` people, in one transaction.

    Setup (organization, programs, staff) goes through the actions and so writes their audit
    events, with no actor (a system load). Participants, episodes and care teams are bulk
    loaded, with the events their actions write appended batch by batch; one more event
    records the load itself.
    """
    today = today or demo_today()
    plans = plan_participants(participants, seed, today)
    organization, programs, tracks = _load_organization()
    users = _load_staff(organization, programs, today, progress)
    counts = _load_participants(organization, programs, tracks, users, plans, progress)
    _plan_discharges(organization, seed=seed, today=today)
    if weeks:
        _load_history(organization, seed=seed, weeks=weeks, today=today, progress=progress)
    record(
        None,
        Action.CREATE,
        object_type="demo.seed",
        object_id=str(organization.public_id),
        purpose=Purpose.HSYSADMIN,
        detail={"participants": participants, "seed": seed, "today": today.isoformat()},
    )
    return SeedResult(
        organization=organization,
        staff=len(STAFF),
        participants=len(plans),
        episodes=counts[0],
        care_team_members=counts[1],
        today=today,
    )


def _load_organization() -> tuple[Organization, dict[str, Program], dict[tuple[str, str], Track]]:
    organization = do_create_organization(None, name=ORGANIZATION_NAME, time_zone=TIME_ZONE)
    site = do_create_site(
        None,
        organization,
        name="Quillbrook Center",
        address_line1="1200 Example Avenue",
        address_line2="Suite 300",
        city="Chicago",
        state=STATE,
        postal_code="60607",
    )
    for name, capacity in ROOMS:
        do_create_room(None, site, name=name, capacity=capacity)
    programs: dict[str, Program] = {}
    tracks: dict[tuple[str, str], Track] = {}
    for spec in PROGRAMS:
        program = do_create_program(
            None,
            organization,
            name=spec.name,
            population=spec.population,
            level_of_care=spec.level_of_care,
            description=spec.description,
            site=site,
        )
        programs[spec.key] = program
        for track in spec.tracks:
            tracks[spec.key, track.key] = do_create_track(
                None,
                program,
                name=track.name,
                delivery=track.delivery,
                capacity=track.capacity,
                schedule_summary=track.schedule_summary,
            )
    return organization, programs, tracks


def _load_staff(
    organization: Organization, programs: dict[str, Program], today: date, progress: Progress
) -> dict[str, User]:
    # One hash for everyone: they share the demo password, and argon2 costs ~0.1 s a hash.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for done, spec in enumerate(STAFF, start=1):
        user = do_create_user(
            None,
            username=spec.username,
            password=None,
            email=f"{spec.username}@example.test",
            first_name=spec.first_name,
            last_name=spec.last_name,
            title=spec.title,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        if spec.superuser:
            do_set_administrator(None, user, is_administrator=True)
        for number, credential in enumerate(spec.credentials, start=1):
            do_add_credential(
                None,
                user,
                kind=credential.kind,
                licence_number=f"{credential.kind}.{done:03d}{number:02d}{len(spec.username):02d}",
                state=STATE,
                expires_on=today + timedelta(days=credential.expires_in_days),
            )
        for program_key in spec.programs or (None,):
            do_add_membership(
                None,
                user,
                organization,
                role=spec.role,
                program=programs[program_key] if program_key else None,
                clinician_kind=spec.clinician_kind,
            )
        users[spec.username] = user
        progress("staff", done, len(STAFF))
    for spec in STAFF:
        if spec.supervisor:
            do_set_supervisor(None, users[spec.username], users[spec.supervisor])
    portal = do_create_user(
        None,
        username=PORTAL_USERNAME,
        password=None,
        email=f"{PORTAL_USERNAME}@example.test",
        is_staff_profile=False,
    )
    portal.password = password_hash
    portal.save(update_fields=["password"])
    users[PORTAL_USERNAME] = portal
    return users


BATCH = 500


def _load_participants(
    organization: Organization,
    programs: dict[str, Program],
    tracks: dict[tuple[str, str], Track],
    users: dict[str, User],
    plans: list[ParticipantPlan],
    progress: Progress,
) -> tuple[int, int]:
    """Bulk-create participants, then episodes, then care teams, batch by batch.

    Rows are built as the actions build them (do_create_participant, do_open_episode,
    do_discharge, do_add_care_team_member) and keep their rules: at most one open episode per
    participant and program (only a plan's last episode is open), one open primary per
    episode, a discharge has a date and a reason, and a discharged episode's care team ends
    on the discharge date. Each batch appends the same audit events as those actions.
    """
    total = len(plans)
    episodes = care_team = 0
    progress("participants", 0, total)
    for start in range(0, total, BATCH):
        batch = plans[start : start + BATCH]
        people = Participant.objects.bulk_create(
            [_participant_row(organization, plan, users) for plan in batch]
        )
        episode_rows = [
            (
                Episode(
                    participant=person,
                    program=programs[e.program],
                    track=tracks[e.program, e.track] if e.track else None,
                    status=e.status,
                    admitted_on=e.admitted_on,
                    discharged_on=e.discharged_on,
                    discharge_reason=e.reason,
                ),
                e,
            )
            for person, plan in zip(people, batch, strict=True)
            for e in plan.episodes
        ]
        saved = Episode.objects.bulk_create([row for row, _ in episode_rows])
        EpisodeStatusChange.objects.bulk_create(_status_history(saved, organization.today()))
        members = [
            CareTeamMember(
                episode=episode,
                user=users[username],
                role=role,
                is_primary=primary,
                start_date=_admitted(plan),
                end_date=plan.discharged_on,
            )
            for episode, (_, plan) in zip(saved, episode_rows, strict=True)
            for username, role, primary in plan.team
        ]
        CareTeamMember.objects.bulk_create(members)
        record_many(None, _load_events(people, saved, members))
        episodes += len(saved)
        care_team += len(members)
        progress("participants", start + len(batch), total)
    return episodes, care_team


def _status_history(episodes: list[Episode], today: date) -> list[EpisodeStatusChange]:
    """Each episode's history as do_open_episode writes it, except that the demo's people on
    hold went on hold ten days ago (after at least a week in the program), so last week
    shows the hold."""
    changes = []
    for episode in episodes:
        for change in initial_status_changes(episode, today):
            if change.status == EpisodeStatus.ON_HOLD and episode.admitted_on is not None:
                week_in = episode.admitted_on + timedelta(days=7)
                change.effective_on = min(today, max(week_in, today - timedelta(days=10)))
            changes.append(change)
    return changes


def _load_events(
    people: list[Participant], episodes: list[Episode], members: list[CareTeamMember]
) -> list[EventSpec]:
    """The events do_create_participant, do_open_episode, do_discharge and
    do_add_care_team_member write, for rows loaded in bulk."""
    participant_of = {p.pk: p for p in people}
    specs = [
        EventSpec(Action.CREATE, participant=p, obj=p, purpose=Purpose.HOPERAT) for p in people
    ]
    for episode in episodes:
        participant = participant_of[episode.participant_id]
        specs.append(
            EventSpec(
                Action.CREATE,
                participant=participant,
                obj=episode,
                purpose=Purpose.HOPERAT,
                detail={"program": str(episode.program.public_id), "status": episode.status},
            )
        )
        if episode.status == EpisodeStatus.DISCHARGED:
            specs.append(
                EventSpec(
                    Action.UPDATE,
                    participant=participant,
                    obj=episode,
                    purpose=Purpose.HOPERAT,
                    detail={"status": "discharged", "reason": episode.discharge_reason},
                )
            )
    episode_participant = {e.pk: participant_of[e.participant_id] for e in episodes}
    specs.extend(
        EventSpec(
            Action.CREATE,
            participant=episode_participant[m.episode_id],
            obj=m,
            object_id=str(m.pk),
            purpose=Purpose.HOPERAT,
            detail={"member": str(m.user.public_id), "role": m.role, "primary": m.is_primary},
        )
        for m in members
    )
    return specs


def _admitted(plan: EpisodePlan) -> date:
    if plan.admitted_on is None:
        raise ValueError(f"A care team needs an admission date: {plan}")
    return plan.admitted_on


def _participant_row(
    organization: Organization, plan: ParticipantPlan, users: dict[str, User]
) -> Participant:
    return Participant(
        organization=organization,
        mrn=plan.mrn,
        given_name=plan.given_name,
        family_name=plan.family_name,
        preferred_name=plan.preferred_name,
        pronouns=plan.pronouns,
        date_of_birth=plan.date_of_birth,
        email=plan.email,
        phone=plan.phone,
        address_line1=plan.address_line1,
        city=plan.city,
        state=plan.state,
        postal_code=plan.postal_code,
        emergency_contact_name=plan.emergency_contact_name,
        emergency_contact_relationship=plan.emergency_contact_relationship,
        emergency_contact_phone=plan.emergency_contact_phone,
        language=plan.language,
        user=users[PORTAL_USERNAME] if plan.portal_user else None,
    )
