"""The demo's admissions and waitlists: synthetic, deterministic (a seeded Random).

Waitlists on two tracks of the adult mental-health IOP (three or four people each, a
step-down from partial hospitalization first), someone who left a waitlist for another
provider, and one inquiry with a level-of-care decision waiting to be admitted. Written
through the actions, as the intake coordinator; the consent documents are seeded for every
program."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from trellis.accounts.models import User
from trellis.intake.actions import (
    InquiryDetails,
    check_create_inquiry,
    check_leave_waitlist,
    check_open_record,
    do_add_to_waitlist,
    do_change_inquiry_status,
    do_seed_consent_documents,
)
from trellis.intake.models import (
    Inquiry,
    InquirySource,
    InquiryStatus,
    LeaveReason,
    PreferredSchedule,
)
from trellis.intake.queries import seats_taken
from trellis.participants.actions import do_set_planned_discharge
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.actions import TrackData, do_save_track
from trellis.programs.models import Organization, Program, Role, Track

FIRST_NAMES = ["Rowan", "Ezra", "Mila", "Jonah", "Ines", "Tariq", "Wren", "Noor", "Calla", "Idris"]
FAMILY_NAMES = ["Quenby", "Ashdown", "Marlowe", "Penhallow", "Thistlewood", "Brackley", "Ormsby"]


def _person(rng: random.Random, index: int, *, referral: bool) -> InquiryDetails:
    given = FIRST_NAMES[index % len(FIRST_NAMES)]
    family = rng.choice(FAMILY_NAMES)
    return InquiryDetails(
        source=InquirySource.REFERRAL if referral else rng.choice(
            [InquirySource.PHONE, InquirySource.WEB]
        ),
        given_name=given,
        family_name=family,
        date_of_birth=date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        phone=f"555-01{index:02d}",
        email=f"{given.lower()}.{family.lower()}@example.test",
        consent_to_contact=True,
        reason="Synthetic demo inquiry.",
        preferred_schedule=rng.choice([PreferredSchedule.DAY, PreferredSchedule.EVENING]),
        referrer_organization="Lakeside Behavioral Hospital (demo)" if referral else "",
        referrer_name="Discharge planner" if referral else "",
    )  # fmt: skip


def _decided(actor: User, program: Program, details: InquiryDetails, mrn: str) -> Inquiry:
    inquiry = check_create_inquiry(actor, program, details, owner=actor)
    check_open_record(actor, inquiry, mrn=mrn)
    for status in (InquiryStatus.CONTACTED, InquiryStatus.SCREENING, InquiryStatus.DECISION):
        do_change_inquiry_status(actor, inquiry, status)
    return inquiry


def _fill(track: Track, first_leaves: date) -> None:
    """Make the track full (shrinking its capacity to the seats taken; a track already full
    keeps its capacity) and plan two of its people's discharges a week apart (for those
    without a planned discharge yet)."""
    taken = min(max(seats_taken(track), 1), track.capacity)
    do_save_track(
        None,
        track.program,
        TrackData(
            name=track.name,
            delivery=track.delivery,
            capacity=taken,
            day_starts_at=track.day_starts_at,
            day_ends_at=track.day_ends_at,
            weekdays=tuple(track.weekdays),
            is_active=track.is_active,
        ),
        track=track,
    )
    leaving = Episode.objects.filter(
        track=track, status=EpisodeStatus.ACTIVE, planned_discharge_on__isnull=True
    ).order_by("admitted_on", "pk")[:2]
    for n, episode in enumerate(leaving):
        do_set_planned_discharge(None, episode, first_leaves + timedelta(days=7 * n))


def seed_admission(organization: Organization, *, rng: random.Random, today: date) -> int:
    """Consent documents, two waitlists and one inquiry ready to admit; returns how many
    inquiries it made."""
    programs = list(organization.programs.order_by("name"))
    for each in programs:
        do_seed_consent_documents(None, each)
    actor = (
        User.objects.filter(
            memberships__organization=organization,
            memberships__role=Role.INTAKE_COORDINATOR,
            memberships__is_active=True,
        )
        .order_by("pk")
        .first()
    )
    # The program with the most people, and its two fullest tracks: a waitlist is for a track
    # with no free seat, so those tracks are made full (capacity = seats taken) and a few of
    # their people get planned discharges, from which the expected starts follow.
    found = max(
        (p for p in programs if p.tracks.filter(is_active=True).count() >= 2),
        key=lambda p: (p.episodes.filter(status=EpisodeStatus.ACTIVE).count(), -p.pk),
        default=None,
    )
    if actor is None or found is None:
        return 0
    program = found
    tracks = sorted(program.tracks.filter(is_active=True), key=lambda t: (-seats_taken(t), t.name))[
        :2
    ]
    for number, track in enumerate(tracks):
        _fill(track, today + timedelta(days=5 + 7 * number))
    zone = organization.tz
    made = 0
    for track_number, track in enumerate(tracks):
        people = 4 if track_number == 0 else 3
        for place in range(people):
            index = track_number * 5 + place
            step_down = place == people - 1  # joins last, goes first
            inquiry = _decided(
                actor, program, _person(rng, index, referral=step_down), f"WAIT-{index:04d}"
            )
            waited = 24 - place * 5 - track_number
            at = datetime.combine(today - timedelta(days=waited), time(10, 0), tzinfo=zone)
            do_add_to_waitlist(actor, inquiry, track, step_down=step_down, at=at)
            made += 1
    # Someone who waited and then chose another provider: their episode closed before
    # admission, their history kept.
    gone = _decided(actor, program, _person(rng, 8, referral=False), "WAIT-0098")
    entry = do_add_to_waitlist(actor, gone, tracks[-1])
    check_leave_waitlist(actor, entry, LeaveReason.CHOSE_ELSEWHERE)
    _decided(actor, program, _person(rng, 9, referral=False), "WAIT-0099")
    return made + 2
