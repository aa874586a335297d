"""Synthetic demo data: one organization, three IOPs, a staff of 17 and N participants.

Two steps, so that determinism is easy to see and to test:

1. `plan_participants(count, seed, today)` (plan.py) is pure Python: the same seed and the
   same `today` give the same people, episodes, dates and care teams, in the same order.
2. `load_demo(...)` writes the organization and staff through the actions in
   `trellis/*/actions.py`, then the planned participants (see `_load_participants`), all in one
   transaction. Rows that are bulk loaded get the audit events their actions would write,
   appended in batches with `audit.trail.record_many`, so the chain is complete.

Every name is invented (see cast.py), every MRN starts with DEMO-, every email ends in
@example.test and every phone number is a 555-01xx number.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

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
    DEFAULT_PARTICIPANTS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    GUARDIAN_USERNAME,
    ORGANIZATION_NAME,
    PORTAL_USERNAME,
    PROGRAMS,
    ROOMS,
    STAFF,
    STATE,
    TIME_ZONE,
)
from trellis.demo.plan import EpisodePlan, ParticipantPlan, demo_today, plan_participants
from trellis.directory.demo import seed_directory
from trellis.intake.demo import seed_intake
from trellis.intake.demo_admission import seed_admission
from trellis.measures.demo import seed_measure_history
from trellis.meetings.demo import seed_meetings
from trellis.messaging.demo import seed_guardian_messages, seed_messages
from trellis.notes.demo import seed_group_notes, seed_notes
from trellis.notifications.demo import seed_notification_preferences
from trellis.participants.actions import do_set_planned_discharge
from trellis.participants.demo_guardians import seed_guardians
from trellis.participants.models import (
    CareTeamMember,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    MrnSequence,
    Participant,
    initial_status_changes,
)
from trellis.peers.demo import seed_peers
from trellis.plans.demo import seed_plans
from trellis.practice.demo_assign import seed_assignments
from trellis.practice.demo_config import seed_diary_config
from trellis.practice.demo_diary import seed_diary
from trellis.practice.demo_library import seed_library
from trellis.practice.demo_safety import seed_safety_plans
from trellis.programs.actions import (
    do_add_membership,
    do_create_organization,
    do_create_program,
    do_create_room,
    do_create_site,
    do_create_track,
)
from trellis.programs.models import Organization, Program, Track
from trellis.scheduling.demo import seed_schedule_history
from trellis.scheduling.demo_notices import seed_session_notices
from trellis.transitions.demo import seed_transitions
from trellis.transitions.demo_requests import seed_track_requests
from trellis.worklist.demo import seed_on_call

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """Progress callback that reports nothing."""


@dataclass
class SeedResult:
    organization: Organization
    staff: int
    participants: int
    episodes: int
    care_team_members: int
    today: date


DEFAULT_WEEKS = 12
# The programs' after-hours crisis line, shown with 988 on urgent alerts (fictional).
DEMO_CRISIS_LINE = "312-555-0142"


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
        # After the schedule: curriculum links read the series' topics.
        ("practice library", lambda rng: seed_library(organization)),
        (
            "check-ins",
            lambda rng: seed_measure_history(organization, rng=rng, weeks=weeks, today=today),
        ),
        ("treatment plans", lambda rng: seed_plans(organization, rng=rng, today=today)),
        ("progress notes", lambda rng: seed_notes(organization, rng=rng, today=today)),
        # After the schedule and the plans: group notes need attended sessions and objectives.
        ("group notes", lambda rng: seed_group_notes(organization, rng=rng, today=today)),
        ("team meetings", lambda rng: seed_meetings(organization, rng=rng, today=today)),
        ("safety plans", lambda rng: seed_safety_plans(organization, rng=rng, today=today)),
        ("on-call shifts", lambda rng: seed_on_call(organization, today=today)),
        # After on-call: the diary's two risk alerts reach the on-call clinician too.
        ("diary cards", lambda rng: seed_diary(organization, rng=rng, weeks=weeks, today=today)),
        # After the diary history: the substance-use program's own card (a skills checklist).
        ("diary card set-up", lambda rng: seed_diary_config(organization)),
        # After the schedule and the library: batches from past sessions' attendance.
        (
            "practice assignments",
            lambda rng: seed_assignments(organization, rng=rng, weeks=weeks, today=today),
        ),
        # After the schedule: "I'll be late" / "I can't come" for the next sessions.
        ("session notices", lambda rng: seed_session_notices(organization, rng=rng, today=today)),
        ("track requests", lambda rng: seed_track_requests(organization, today=today)),
        # After on-call: the unanswered message is a task in the primary clinician's My work.
        ("messages", lambda rng: seed_messages(organization, rng=rng, today=today)),
        ("notification preferences", lambda rng: seed_notification_preferences(organization)),
        # A parent's family account for one teenager (docs/portal.md, "Guardians").
        (
            "guardians",
            lambda rng: seed_guardians(
                organization, username=GUARDIAN_USERNAME, password=DEMO_PASSWORD
            ),
        ),
        # After guardians: the guardian's question to the care team, answered.
        ("guardian messages", lambda rng: seed_guardian_messages(organization, today=today)),
        ("peer space", lambda rng: seed_peers(organization, today=today)),
        # Last: summaries read the whole record (hours, scores, plans, alerts).
        ("discharge summaries", lambda rng: seed_transitions(organization, rng=rng, today=today)),
        # People who are not participants yet: inquiries, screenings, decisions, waitlists.
        ("intake", lambda rng: seed_intake(organization, rng=rng, today=today)),
        # The public finder's directory listings around the demo's city (docs/finder.md).
        ("directory", lambda rng: seed_directory()),
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
    # New registrations continue the demo's MRNs (DEMO-000001…) from the organization's sequence.
    MrnSequence.objects.update_or_create(
        organization=organization,
        defaults={"prefix": "DEMO-", "digits": 6, "next_number": len(plans) + 1},
    )
    _plan_discharges(organization, seed=seed, today=today)
    # Waitlists read the planned discharges above for their expected starts.
    seed_admission(organization, rng=random.Random(f"{seed}:admission"), today=today)
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
            crisis_phone=DEMO_CRISIS_LINE,  # a fictional 555 number
            # Participants who tick "my own device" at sign-in stay signed in for 2 hours.
            participant_idle_timeout_minutes=120,
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
                day_starts_at=track.hours[0],
                day_ends_at=track.hours[1],
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


HOLD_REASONS = (
    "Inpatient stay",
    "Family emergency out of state",
    "Medical procedure and recovery",
    "Work schedule change: returning to the evening track",
)


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
                # A reason and an expected return, as the Episode changes page asks for.
                change.reason = HOLD_REASONS[episode.pk % len(HOLD_REASONS)]
                change.expected_return_on = today + timedelta(days=7 + episode.pk % 14)
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
