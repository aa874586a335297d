"""Admission: one form, one transaction (docs/intake-and-discharge.md, "Admission").

`check_admit` validates what can be checked before writing (status, track and capacity, the
date, double admission, consents); `do_admit` then opens or reuses the record, makes the
episode active on the track, adds the care team, the roster memberships, the consents, the
baseline and the initial-plan task, ends a waitlist entry and marks the inquiry admitted.
Any refusal inside (a care-team member who cannot join, a roster conflict) raises and rolls
everything back: nothing half-written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.actions.consents import ConsentEntry, consent_errors, do_record_consent
from trellis.intake.actions.inquiries import do_change_inquiry_status, lock_inquiry
from trellis.intake.actions.records import check_open_record
from trellis.intake.actions.waitlist import do_end_waitlist_entry
from trellis.intake.models import (
    EventKind,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from trellis.intake.queries import (
    admission_settings,
    required_consents,
    seats_taken,
    track_admission_series,
)
from trellis.measures.actions import do_get_or_create_administration, do_set_override
from trellis.measures.models import Administration, AdministrationStatus, Schedule, ScheduleKind
from trellis.participants.actions import (
    check_add_care_team_member,
    check_add_care_team_member_as_primary,
    do_change_status,
)
from trellis.participants.models import Episode, EpisodeStatus
from trellis.plans.models import TreatmentPlan
from trellis.programs.models import Track
from trellis.scheduling.actions import check_add_to_roster
from trellis.scheduling.queries import Slot, occurrences_between
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import Alert, AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User

# How far ahead an admission may be dated: a start booked for the next intake day or the
# week after is normal; a month out is a waitlist, not an admission.
ADMISSION_HORIZON = timedelta(days=30)
ADMITTABLE = (InquiryStatus.DECISION, InquiryStatus.CONTACTED, InquiryStatus.WAITLISTED)
FIRST_SESSION_SEARCH = timedelta(weeks=8)


@dataclass
class AdmissionDetails:
    track: Track
    admitted_on: date
    primary: User
    primary_role: str
    others: list[tuple[User, str]] = field(default_factory=list)
    consents: list[ConsentEntry] = field(default_factory=list)
    # For an inquiry without a record yet (check_open_record).
    mrn: str = ""
    date_of_birth: date | None = None
    capacity_override: str = ""


@dataclass
class Admission:
    episode: Episode
    first_session: Slot | None
    rosters: list[str]
    skipped_series: list[str]
    baseline_reused: list[str]
    baseline_scheduled: list[str]
    plan_task: Alert | None


def earliest_admission(inquiry: Inquiry) -> date:
    """Not before the inquiry, nor before the record's last status change (a planned or
    waitlisted episode's history must stay in date order)."""
    zone = inquiry.program.organization.tz
    earliest = inquiry.received_at.astimezone(zone).date()
    if inquiry.episode is not None and inquiry.episode.is_open:
        last = (
            inquiry.episode.status_changes.order_by("-effective_on")
            .values_list("effective_on", flat=True)
            .first()
        )
        if last is not None:
            earliest = max(earliest, last)
    elif inquiry.episode is None or not inquiry.episode.is_open:
        earliest = max(earliest, inquiry.program.organization.today())
    return earliest


def check_admit(actor: User, inquiry: Inquiry, details: AdmissionDetails) -> Admission:
    errors: dict[str, str] = {}
    program = inquiry.program
    today = program.organization.today()
    if inquiry.status not in ADMITTABLE:
        errors["status"] = (
            f"An inquiry that is “{inquiry.get_status_display().lower()}” cannot be admitted."
        )
    track = details.track
    if track.program_id != program.pk or not track.is_active:
        errors["track"] = f"Choose one of {program.name}'s tracks."
    else:
        taken = seats_taken(track, exclude=inquiry.episode)
        if taken >= track.capacity and not details.capacity_override.strip():
            errors["track"] = (
                f"The {track.name} track is full ({taken} of {track.capacity} seats taken): "
                "add to its waitlist, or give a reason to admit over capacity."
            )
    if len(details.capacity_override) > 300:
        errors["capacity_override"] = "Keep the reason to 300 characters."
    earliest = earliest_admission(inquiry)
    if details.admitted_on < earliest:
        errors["admitted_on"] = f"Admission cannot be before {earliest:%b %-d, %Y}."
    elif details.admitted_on > today + ADMISSION_HORIZON:
        errors["admitted_on"] = "Admission is more than 30 days away: add them to the waitlist."
    if inquiry.participant is not None:
        others = Episode.objects.filter(
            participant=inquiry.participant,
            program=program,
            status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD],
        )
        if inquiry.episode_id is not None:
            others = others.exclude(pk=inquiry.episode_id)
        already = others.exists()
        if already or (inquiry.episode is not None and inquiry.episode.status == "active"):
            errors["program"] = f"This person is already admitted to {program.name}."
    if (
        inquiry.participant is None
        and details.date_of_birth is None
        and not (inquiry.date_of_birth)
    ):
        errors["date_of_birth"] = "A date of birth is needed for the record."
    given = {entry.document.pk: entry for entry in details.consents}
    for document in required_consents(program):
        if document.pk not in given:
            errors[f"consent_{document.key}"] = f"{document.title}: record how it is signed."
    for entry in details.consents:
        document = entry.document
        if document.program_id != program.pk or not document.is_active:
            errors[f"consent_{document.key}"] = f"{document.title} is not a current form here."
        else:
            errors.update(consent_errors(entry, today, field=f"consent_{document.key}"))
    if errors:
        raise ValidationError(errors)
    return do_admit(actor, inquiry, details)


@transaction.atomic
def do_admit(actor: User, inquiry: Inquiry, details: AdmissionDetails) -> Admission:
    track = Track.objects.select_for_update().get(pk=details.track.pk)
    fresh = lock_inquiry(inquiry)
    if fresh.status != inquiry.status:
        raise ValidationError({"status": "Someone else changed this inquiry: reload to see it."})
    taken = seats_taken(track, exclude=fresh.episode)
    over = taken >= track.capacity
    if over and not details.capacity_override.strip():
        raise ValidationError({"track": f"The {track.name} track filled up a moment ago."})
    fresh = check_open_record(actor, fresh, mrn=details.mrn, date_of_birth=details.date_of_birth)
    episode = fresh.episode
    assert episode is not None  # noqa: S101 - check_open_record gave it one
    organization = fresh.program.organization
    today = organization.today()
    episode.track = track
    episode.save(update_fields=["track"])
    do_change_status(actor, episode, status=EpisodeStatus.ACTIVE, effective_on=details.admitted_on)
    if episode.admitted_on != details.admitted_on:
        episode.admitted_on = details.admitted_on
        episode.save(update_fields=["admitted_on"])
    _care_team(actor, episode, details)
    first, rosters, skipped = _rosters(actor, episode, track, details)
    for entry in details.consents:
        do_record_consent(actor, episode, entry, today)
    reused, scheduled = _baseline(actor, episode, details.admitted_on)
    task = _plan_task(actor, episode, details)
    for waiting in WaitlistEntry.objects.filter(inquiry=fresh, status__in=["waiting", "offered"]):
        do_end_waitlist_entry(actor, waiting, WaitlistStatus.ADMITTED)
    if over:
        InquiryEvent.objects.create(
            inquiry=fresh, kind=EventKind.DECISION, by=actor,
            text=f"Admitted over the {track.name} track's capacity: "
            + details.capacity_override.strip(),
        )  # fmt: skip
    do_change_inquiry_status(actor, fresh, InquiryStatus.ADMITTED)
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=episode,
        purpose=Purpose.HOPERAT,
        detail={
            "admission": str(fresh.public_id),
            "track": str(track.public_id),
            "admitted_on": details.admitted_on.isoformat(),
            "capacity_override": over,
            "seats_taken": taken,
            "capacity": track.capacity,
        },
    )
    inquiry.status, inquiry.participant, inquiry.episode = fresh.status, fresh.participant, episode
    return Admission(episode, first, rosters, skipped, reused, scheduled, task)


def _care_team(actor: User, episode: Episode, details: AdmissionDetails) -> None:
    current = {m.user_id for m in episode.care_team.filter(end_date__isnull=True)}
    start = details.admitted_on
    if details.primary.pk not in current:
        has_primary = episode.care_team.filter(is_primary=True, end_date__isnull=True).exists()
        if has_primary:
            check_add_care_team_member_as_primary(
                actor, episode, details.primary, role=details.primary_role, start_date=start
            )
        else:
            check_add_care_team_member(
                actor, episode, details.primary, role=details.primary_role, is_primary=True,
                start_date=start,
            )  # fmt: skip
        current.add(details.primary.pk)
    for member, role in details.others:
        if member.pk not in current:
            check_add_care_team_member(actor, episode, member, role=role, start_date=start)
            current.add(member.pk)


def _rosters(
    actor: User, episode: Episode, track: Track, details: AdmissionDetails
) -> tuple[Slot | None, list[str], list[str]]:
    """The track's group series from the admission date (open groups; closed groups and
    cohorts that still admit). Returns the first session, the series joined and skipped."""
    start = details.admitted_on
    joined: list[str] = []
    skipped: list[str] = []
    series_list = []
    for series in track_admission_series(track, start):
        opens_until = series.admission_opens_until
        if opens_until is not None and start > opens_until:
            skipped.append(series.name)
            continue
        check_add_to_roster(
            actor, episode, series, start, override_reason=details.capacity_override.strip()
        )
        joined.append(series.name)
        series_list.append(series)
    slots = [
        s
        for s in occurrences_between(series_list, start, start + FIRST_SESSION_SEARCH)
        if not s.cancelled
    ]
    return (slots[0] if slots else None), joined, skipped


def _baseline(actor: User, episode: Episode, admitted_on: date) -> tuple[list[str], list[str]]:
    """Screening questionnaires completed within the program's days before admission are
    the baseline (the admission check-in of that instrument is paused for this episode, with
    the reason); other admission check-ins are created now, as the schedule would."""
    program = episode.program
    days = admission_settings(program).baseline_days
    zone = program.organization.tz
    since = datetime.combine(admitted_on - timedelta(days=days), time.min, tzinfo=zone)
    completed: dict[str, Administration] = {}
    for administration in Administration.objects.filter(
        episode=episode, status=AdministrationStatus.COMPLETED, completed_at__gte=since
    ).order_by("completed_at"):
        completed[administration.instrument_code] = administration
    reused: list[str] = []
    scheduled: list[str] = []
    schedules = Schedule.objects.filter(
        program=program, kind=ScheduleKind.ADMISSION, is_active=True
    ).order_by("instrument_code")
    for schedule in schedules:
        done = completed.get(schedule.instrument_code)
        if done is not None and done.completed_at is not None:
            on = done.completed_at.astimezone(zone).date()
            do_set_override(
                actor, episode, schedule, skip=True, weekday=None,
                reason=f"The screening completed on {on:%b %-d, %Y} is the admission baseline.",
            )  # fmt: skip
            reused.append(schedule.instrument_code)
        else:
            do_get_or_create_administration(
                actor, episode, schedule.instrument_code, due_on=admitted_on,
                schedule=schedule, window_days=schedule.window_days,
            )  # fmt: skip
            scheduled.append(schedule.instrument_code)
    return reused, scheduled


def _plan_task(actor: User, episode: Episode, details: AdmissionDetails) -> Alert | None:
    """The initial treatment plan, due within the program's days of admission, for the
    primary clinician. Plans raises review tasks only for plans that exist; an episode that
    already has a plan (a readmission carried one over) needs no task."""
    if TreatmentPlan.objects.filter(episode=episode).exists():
        return None
    days = admission_settings(episode.program).plan_due_days
    due = details.admitted_on + timedelta(days=days)
    zone = episode.program.organization.tz
    return do_raise_alert(
        actor,
        participant=episode.participant,
        episode=episode,
        kind=AlertKind.TASK,
        priority=Priority.NORMAL,
        title="Write the initial treatment plan",
        detail=f"Admitted {details.admitted_on:%b %-d}: the initial plan is due within "
        f"{days} days.",
        source="intake.admission",
        dedupe_key=f"intake.initial-plan:{episode.public_id}",
        owner=details.primary,
        due_at=datetime.combine(due, time(17, 0), tzinfo=zone),
        created_by=actor,
    )
