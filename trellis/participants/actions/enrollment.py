"""Enrollment: registering participants, opening episodes, status changes, planned
discharge and discharge, and a participant's own sign-in. Atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.languages import ISO_639_1
from trellis.lib.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from trellis.participants.actions.details import next_mrn
from trellis.participants.actions.invitations import do_end_invitations_at_discharge
from trellis.participants.models import (
    OPEN_STATUSES,
    CareTeamMember,
    DischargeReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    Participant,
    initial_status_changes,
)
from trellis.programs.models import Organization, Program, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# How far ahead admissions and planned discharges may be set: an intensive outpatient episode
# lasts weeks to months, so a date beyond this is a typo (9999-12-31), not a plan.
PLANNING_HORIZON = timedelta(days=365)


@dataclass
class ParticipantDetails:
    """What a person registering a participant enters (already type-checked by a form/schema)."""

    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date
    preferred_name: str = ""
    pronouns: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    emergency_contact_name: str = ""
    emergency_contact_relationship: str = ""
    emergency_contact_phone: str = ""
    language: str = "en"


def _validate_details(details: ParticipantDetails, organization: Organization) -> None:
    errors: dict[str, str] = {}
    for detail in fields(details):
        value = getattr(details, detail.name)
        if isinstance(value, str) and has_control_characters(value):
            # The forms refuse NUL already; names travel on to lists, exports and other
            # systems, where a direction override makes one name read as another.
            errors[detail.name] = CONTROL_CHARACTERS_MESSAGE
    details.mrn = details.mrn.strip()
    if not details.mrn:
        pass  # assigned from the organization's sequence (details.next_mrn)
    elif (
        "mrn" not in errors
        and Participant.objects.filter(organization=organization, mrn__iexact=details.mrn).exists()
    ):
        errors["mrn"] = f"MRN {details.mrn} is already used by another participant."
    if not details.given_name.strip():
        errors.setdefault("given_name", "Enter the legal given name.")
    if not details.family_name.strip():
        errors.setdefault("family_name", "Enter the legal family name.")
    today = organization.today()
    if details.date_of_birth > today:
        errors["date_of_birth"] = "Date of birth cannot be in the future."
    elif details.date_of_birth < EARLIEST_BIRTH_DATE:
        errors["date_of_birth"] = "Date of birth is before 1900: check the year."
    if details.state and (len(details.state) != 2 or not details.state.isalpha()):
        errors["state"] = "Use the two-letter state code, e.g. OR."
    details.language = details.language.strip() or "en"
    if details.language not in ISO_639_1:
        errors["language"] = "Choose a language from the list (ISO 639-1: en, es, vi…)."
    if errors:
        raise ValidationError(errors)


def _validate_enrollment(
    organization: Organization,
    program: Program,
    track: Track | None,
    status: str,
    admitted_on: date | None,
    date_of_birth: date | None,
) -> None:
    errors: dict[str, str] = {}
    if program.organization_id != organization.pk:
        errors["program"] = "That program belongs to another organization."
    if track is not None and track.program_id != program.pk:
        errors["track"] = f"The {track.name} track is not part of {program.name}."
    if status not in OPEN_STATUSES:
        errors["status"] = "A new episode is planned, on the waitlist, active or on hold."
    if status == EpisodeStatus.ACTIVE and admitted_on is None:
        errors["admitted_on"] = "An active episode needs its admission date."
    if admitted_on is not None:
        if date_of_birth is not None and admitted_on < date_of_birth:
            errors["admitted_on"] = "Admission cannot be before the date of birth."
        elif admitted_on > organization.today() + PLANNING_HORIZON:
            errors["admitted_on"] = "Admission is more than a year away: check the date."
    if errors:
        raise ValidationError(errors)


def check_create_participant(
    actor: User,
    organization: Organization,
    details: ParticipantDetails,
    *,
    program: Program | None = None,
    track: Track | None = None,
    status: str = EpisodeStatus.PLANNED,
    admitted_on: date | None = None,
) -> Participant:
    """Validate, then register a participant (and open their first episode if a program is
    given). Raises ValidationError naming the field; writes nothing on error."""
    _validate_details(details, organization)
    if program is not None:
        _validate_enrollment(
            organization, program, track, status, admitted_on, details.date_of_birth
        )
    try:
        return do_create_participant(
            actor,
            organization,
            details,
            program=program,
            track=track,
            status=status,
            admitted_on=admitted_on,
        )
    except IntegrityError as error:
        # Two people registering the same MRN at once: the constraint decides.
        raise ValidationError({"mrn": f"MRN {details.mrn} is already in use."}) from error


@transaction.atomic
def do_create_participant(
    actor: User | None,
    organization: Organization,
    details: ParticipantDetails,
    *,
    program: Program | None = None,
    track: Track | None = None,
    status: str = EpisodeStatus.PLANNED,
    admitted_on: date | None = None,
) -> Participant:
    participant = Participant.objects.create(
        organization=organization,
        mrn=details.mrn.strip() or next_mrn(organization),
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        preferred_name=details.preferred_name.strip(),
        pronouns=details.pronouns.strip(),
        date_of_birth=details.date_of_birth,
        email=details.email.strip(),
        phone=details.phone.strip(),
        address_line1=details.address_line1.strip(),
        address_line2=details.address_line2.strip(),
        city=details.city.strip(),
        state=details.state.strip().upper(),
        postal_code=details.postal_code.strip(),
        emergency_contact_name=details.emergency_contact_name.strip(),
        emergency_contact_relationship=details.emergency_contact_relationship.strip(),
        emergency_contact_phone=details.emergency_contact_phone.strip(),
        language=details.language.strip() or "en",
    )
    record(actor, Action.CREATE, participant=participant, obj=participant, purpose=Purpose.HOPERAT)
    if program is not None:
        do_open_episode(
            actor,
            participant,
            program,
            track=track,
            status=status,
            admitted_on=admitted_on,
        )
    return participant


def check_open_episode(
    actor: User,
    participant: Participant,
    program: Program,
    *,
    track: Track | None = None,
    status: str = EpisodeStatus.PLANNED,
    admitted_on: date | None = None,
    concurrent: bool = False,
) -> Episode:
    """Open an episode. One open episode per program; an open episode in another program the
    actor knows of (`status_known_to`: programs where they hold a role) refuses too, naming it,
    unless `concurrent` says the enrolment runs alongside it (co-occurring care). An episode
    the actor may not know of (a Part 2 program where they hold no role) neither refuses nor
    is named: its existence is itself protected, and the two programs may treat at once."""
    _validate_enrollment(
        participant.organization, program, track, status, admitted_on, participant.date_of_birth
    )
    if Episode.objects.open().filter(participant=participant, program=program).exists():
        raise ValidationError({"program": f"There is already an open episode in {program.name}."})
    elsewhere = (
        Episode.objects.open()
        .status_known_to(actor)
        .filter(participant=participant)
        .select_related("program")
        .order_by("program__name")
        .first()
    )
    if elsewhere is not None and not concurrent:
        raise ValidationError(
            {
                "program": f"Already {elsewhere.get_status_display().lower()} in "
                f"{elsewhere.program.name}: discharge that episode first, or enrol alongside "
                "it on purpose (co-occurring care)."
            }
        )
    return do_open_episode(
        actor, participant, program, track=track, status=status, admitted_on=admitted_on
    )


@transaction.atomic
def do_open_episode(
    actor: User | None,
    participant: Participant,
    program: Program,
    *,
    track: Track | None = None,
    status: str = EpisodeStatus.PLANNED,
    admitted_on: date | None = None,
) -> Episode:
    episode = Episode.objects.create(
        participant=participant,
        program=program,
        track=track,
        status=status,
        admitted_on=admitted_on,
    )
    EpisodeStatusChange.objects.bulk_create(
        initial_status_changes(episode, program.organization.today())
    )
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=episode,
        purpose=Purpose.HOPERAT,
        detail={"program": str(program.public_id), "status": status},
    )
    return episode


def check_discharge(actor: User, episode: Episode, *, discharged_on: date, reason: str) -> Episode:
    errors: dict[str, str] = {}
    if not episode.is_open:
        errors["status"] = "This episode is already discharged."
    if reason not in DischargeReason.values:
        errors["discharge_reason"] = "Choose a discharge reason."
    if episode.admitted_on is None:
        errors["discharged_on"] = "The episode has no admission date: record the admission first."
    elif discharged_on < episode.admitted_on:
        errors["discharged_on"] = "Discharge cannot be before admission."
    if discharged_on > episode.program.organization.today():
        errors["discharged_on"] = "Discharge cannot be in the future."
    if errors:
        raise ValidationError(errors)
    return do_discharge(actor, episode, discharged_on=discharged_on, reason=reason)


@transaction.atomic
def do_discharge(
    actor: User | None, episode: Episode, *, discharged_on: date, reason: str
) -> Episode:
    episode.status = EpisodeStatus.DISCHARGED
    episode.discharged_on = discharged_on
    episode.discharge_reason = reason
    episode.save(update_fields=["status", "discharged_on", "discharge_reason"])
    EpisodeStatusChange.objects.create(
        episode=episode, status=EpisodeStatus.DISCHARGED, effective_on=discharged_on
    )
    CareTeamMember.objects.filter(episode=episode, end_date__isnull=True).update(
        end_date=discharged_on
    )
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=episode,
        purpose=Purpose.HOPERAT,
        detail={"status": "discharged", "reason": reason},
    )
    # No open episode left: an open portal invitation ends (docs/portal.md, "Accounts").
    do_end_invitations_at_discharge(actor, episode.participant)
    return episode


# Changes between admission and discharge: active, on hold, and back (discharge has its own).
CHANGEABLE_STATUSES = {
    EpisodeStatus.PLANNED: {EpisodeStatus.WAITLIST, EpisodeStatus.ACTIVE, EpisodeStatus.CANCELLED},
    EpisodeStatus.WAITLIST: {EpisodeStatus.PLANNED, EpisodeStatus.ACTIVE, EpisodeStatus.CANCELLED},
    EpisodeStatus.ACTIVE: {EpisodeStatus.ON_HOLD},
    EpisodeStatus.ON_HOLD: {EpisodeStatus.ACTIVE},
}


def lock_episode(episode: Episode) -> None:
    """Lock the episode's row until the transaction ends: writes that must not interleave
    (status changes, swapping the primary clinician) wait for each other."""
    Episode.objects.select_for_update().filter(pk=episode.pk).first()


def check_change_status(
    actor: User,
    episode: Episode,
    *,
    status: str,
    effective_on: date,
    reason: str = "",
    expected_return_on: date | None = None,
) -> Episode:
    """Put an episode on hold, resume it, or admit a planned or waitlisted one, from a date
    that is not in the future and not before its last change."""
    errors: dict[str, str] = {}
    allowed = CHANGEABLE_STATUSES.get(EpisodeStatus(episode.status), set())
    if status not in allowed:
        errors["status"] = (
            f"An episode that is {episode.get_status_display().lower()} cannot become "
            f"“{status}” here."
        )
    last = episode.status_changes.order_by("-effective_on").values_list("effective_on", flat=True)
    latest = last.first()
    if effective_on > episode.program.organization.today():
        errors["effective_on"] = "The change cannot take effect in the future."
    elif latest is not None and effective_on < latest:
        errors["effective_on"] = (
            f"The last change took effect on {latest:%Y-%m-%d}: choose a later date."
        )
    elif episode.admitted_on is not None and effective_on < episode.admitted_on:
        errors["effective_on"] = "The change cannot take effect before admission."
    if has_control_characters(reason):
        errors["reason"] = CONTROL_CHARACTERS_MESSAGE
    if expected_return_on is not None and expected_return_on <= effective_on:
        errors["expected_return_on"] = "The expected return is not after the start of the hold."
    if errors:
        raise ValidationError(errors)
    return do_change_status(
        actor,
        episode,
        status=status,
        effective_on=effective_on,
        reason=reason,
        expected_return_on=expected_return_on,
    )


@transaction.atomic
def do_change_status(
    actor: User | None,
    episode: Episode,
    *,
    status: str,
    effective_on: date,
    reason: str = "",
    expected_return_on: date | None = None,
) -> Episode:
    """Record a status change in the history and make it the episode's status now. The
    reason is kept (encrypted) on the history row; the audit event says only that one was
    given."""
    lock_episode(episode)
    EpisodeStatusChange.objects.create(
        episode=episode,
        status=status,
        effective_on=effective_on,
        reason=reason.strip(),
        expected_return_on=expected_return_on,
        recorded_by=actor,
    )
    episode.status = status
    fields = ["status"]
    if status == EpisodeStatus.ACTIVE and episode.admitted_on is None:
        episode.admitted_on = effective_on
        fields.append("admitted_on")
    episode.save(update_fields=fields)
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=episode,
        purpose=Purpose.HOPERAT,
        detail={
            "status": status,
            "effective_on": effective_on.isoformat(),
            "reason_given": bool(reason.strip()),
        },
    )
    if status == EpisodeStatus.CANCELLED:
        do_end_invitations_at_discharge(actor, episode.participant)
    return episode


@transaction.atomic
def do_link_participant_user(actor: User | None, participant: Participant, user: User) -> None:
    """Give a participant their own sign-in (the portal). One sign-in per participant."""
    participant.user = user
    participant.save(update_fields=["user"])
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=participant,
        purpose=Purpose.HOPERAT,
        detail={"linked_user": str(user.public_id)},
    )


def check_set_planned_discharge(actor: User, episode: Episode, planned: date | None) -> Episode:
    """Set or clear the date the team plans to discharge; validated against the episode."""
    errors: dict[str, str] = {}
    if not episode.is_open:
        errors["planned_discharge_on"] = "This episode is already discharged."
    elif planned is not None:
        if episode.admitted_on is not None and planned < episode.admitted_on:
            errors["planned_discharge_on"] = "The planned discharge is before the admission."
        elif planned < episode.program.organization.today():
            errors["planned_discharge_on"] = "That date has passed: choose a later one."
        elif planned > episode.program.organization.today() + PLANNING_HORIZON:
            errors["planned_discharge_on"] = "That is more than a year away: check the date."
    if errors:
        raise ValidationError(errors)
    return do_set_planned_discharge(actor, episode, planned)


@transaction.atomic
def do_set_planned_discharge(actor: User | None, episode: Episode, planned: date | None) -> Episode:
    episode.planned_discharge_on = planned
    episode.save(update_fields=["planned_discharge_on"])
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=episode,
        purpose=Purpose.TREAT,
        detail={"planned_discharge_on": planned.isoformat() if planned else ""},
    )
    return episode


@transaction.atomic
def do_change_track(
    actor: User | None,
    episode: Episode,
    track: Track,
    *,
    effective_on: date,
    override_reason: str = "",
) -> Episode:
    """Move an open episode to another track of its program from `effective_on`. Rosters
    move with it in the same transaction (the caller, `transitions`, ends and opens them:
    participants cannot import scheduling). A full track taken anyway keeps its reason in
    the audit event."""
    lock_episode(episode)
    previous = episode.track
    episode.track = track
    episode.save(update_fields=["track"])
    detail: dict[str, str] = {
        "track": str(track.public_id),
        "from_track": str(previous.public_id) if previous else "",
        "effective_on": effective_on.isoformat(),
    }
    if override_reason:
        detail["capacity_override"] = override_reason
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=episode,
        purpose=Purpose.HOPERAT,
        detail=detail,
    )
    return episode
