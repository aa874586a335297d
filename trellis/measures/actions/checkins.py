"""Check-ins: administrations and their links, drafts, submissions, past responses and
corrections, then the score of each response and the alerts it raises (to the worklist,
through its actions). Atomic and audited.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.measures.change import Change
from trellis.measures.models import (
    OPEN_ADMINISTRATION,
    Administration,
    AdministrationStatus,
    Channel,
    Response,
    Schedule,
    Score,
)
from trellis.measures.queries import ON_TRACK_WEEKS, episode_change, hash_token, open_in_window
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import (
    AnswerError,
    Instrument,
    check_complete,
    score,
    validate_answers,
)
from trellis.participants.models import Episode
from trellis.programs.models import Organization
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User


def _local_midnight(day: date, organization: Organization) -> datetime:
    return datetime.combine(day, time.min, tzinfo=organization.tz)


# --- administrations ------------------------------------------------------------------------


DEFAULT_WINDOW_DAYS = 3


def check_start_administration(
    actor: User, episode: Episode, instrument_code: str
) -> Administration:
    """Start a check-in today (staff, by hand); refused when one of that instrument is
    already open for today, which staff then hand over or send instead."""
    instrument = get_instrument(instrument_code)
    organization = episode.program.organization
    available = _local_midnight(organization.today(), organization)
    existing = open_in_window(
        episode.pk, instrument.code, available, available + timedelta(days=DEFAULT_WINDOW_DAYS)
    )
    if existing is not None:
        raise ValidationError(
            {
                "instrument": f"A {instrument.code} check-in is already open (due "
                f"{existing.due_on:%b} {existing.due_on.day}): hand the tablet to the "
                "participant or send its link."
            }
        )
    return do_create_administration(actor, episode, instrument.code, due_on=organization.today())


@transaction.atomic
def do_create_administration(
    actor: User | None,
    episode: Episode,
    instrument_code: str,
    *,
    due_on: date,
    schedule: Schedule | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> Administration:
    """The check-in due on that date: the one already open for its window, or a new one."""
    administration, _created = do_get_or_create_administration(
        actor, episode, instrument_code, due_on=due_on, schedule=schedule, window_days=window_days
    )
    return administration


@transaction.atomic
def do_get_or_create_administration(
    actor: User | None,
    episode: Episode,
    instrument_code: str,
    *,
    due_on: date,
    schedule: Schedule | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> tuple[Administration, bool]:
    """One open check-in per instrument and due window: a check-in of the same instrument
    whose window overlaps this one's is returned instead of a second (the admission
    check-in, open a week, covers the weekly one due inside it). The database holds the
    same rule per due date; a concurrent creation that wins the race is returned too."""
    instrument = get_instrument(instrument_code)
    organization = episode.program.organization
    available = _local_midnight(due_on, organization)
    expires = available + timedelta(days=window_days)
    existing = open_in_window(episode.pk, instrument.code, available, expires)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            administration = Administration.objects.create(
                episode=episode,
                participant_id=episode.participant_id,
                schedule=schedule,
                instrument_code=instrument.code,
                instrument_version=instrument.version,
                due_on=due_on,
                available_from=available,
                expires_at=expires,
            )
    except IntegrityError:
        existing = open_in_window(episode.pk, instrument.code, available, expires)
        if existing is None:
            raise
        return existing, False
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=administration,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={"instrument": instrument.key, "due_on": due_on.isoformat()},
    )
    return administration, True


def _close_duplicates(actor: User | None, done: Administration, response: Response) -> None:
    """A completed check-in answers its window: close any other check-in of the same
    instrument still open over the moment it was answered (kept, cancelled, audited)."""
    duplicates = list(
        Administration.objects.select_for_update()
        .filter(
            episode_id=done.episode_id,
            instrument_code=done.instrument_code,
            status__in=OPEN_ADMINISTRATION,
            available_from__lte=response.submitted_at,
            expires_at__gt=response.submitted_at,
        )
        .exclude(pk=done.pk)
    )
    for duplicate in duplicates:
        duplicate.status = AdministrationStatus.CANCELLED
        duplicate.link_token_hash = ""
        duplicate.save(update_fields=["status", "link_token_hash"])
        record(
            actor,
            Action.UPDATE,
            participant=done.participant,
            obj=duplicate,
            purpose=Purpose.TREAT,
            actor_label="" if actor and actor.is_authenticated else "system",
            detail={"cancelled": True, "superseded_by": str(response.public_id)},
        )


@transaction.atomic
def do_issue_link(actor: User | None, administration: Administration) -> str:
    """A new one-time link token for the check-in (replaces any earlier one). Only its hash
    is stored; the caller sends the token and then forgets it."""
    token = secrets.token_urlsafe(32)
    Administration.objects.filter(pk=administration.pk).update(link_token_hash=hash_token(token))
    administration.link_token_hash = hash_token(token)
    record(
        actor,
        Action.UPDATE,
        participant=administration.participant,
        obj=administration,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={"link_issued": True},
    )
    return token


# --- drafts and submissions -----------------------------------------------------------------


def _checked_answers(
    instrument: Instrument, answers: dict[str, Any], *, complete: bool = True
) -> dict[str, str]:
    """The answers without blanks, as codes; refused with a message per item when an item or
    code is unknown, or (unless a draft: `complete=False`) when an item is unanswered."""
    cleaned = {str(k): str(v) for k, v in answers.items() if v not in (None, "")}
    try:
        validate_answers(instrument, cleaned)
        if complete:
            check_complete(instrument, cleaned)
    except AnswerError as error:
        raise ValidationError(
            {key or "__all__": message for key, message in error.errors.items()}
        ) from error
    return cleaned


@transaction.atomic
def do_claim_reminder(administration: Administration) -> str | None:
    """Mark the check-in reminded and issue its link, once: None if another sweep already
    claimed it. Marked before the email goes: a crash may skip a reminder, never send two."""
    claimed = Administration.objects.filter(pk=administration.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    )
    if not claimed:
        return None
    return do_issue_link(None, administration)


@transaction.atomic
def do_queue_checkin_notice(administration: Administration) -> bool:
    """For a participant with a portal sign-in: mark the check-in reminded and queue a
    content-free "a check-in is waiting" notification, once (their notification preferences
    decide how and when it goes; docs/portal.md, "Notifications"). False if already claimed."""
    from trellis.notifications.actions import queue_notification
    from trellis.notifications.models import Kind

    claimed = Administration.objects.filter(pk=administration.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    )
    if not claimed:
        return False
    return queue_notification(
        administration.participant,
        Kind.CHECKIN,
        f"checkin:{administration.public_id}",
        expires_at=administration.expires_at,
    )


def _checkin_purpose(channel: str) -> str:
    """Staff entering or relaying answers treat; a participant answering asks for their care."""
    return (
        Purpose.TREAT if channel in {Channel.TABLET, Channel.STAFF, Channel.API} else Purpose.PATRQT
    )


def _checkin_label(actor: User | None, channel: str) -> str:
    return "" if actor and actor.is_authenticated else f"participant ({channel})"


def check_save_draft(
    actor: User | None, administration: Administration, answers: dict[str, Any], *, channel: str
) -> Administration:
    """Keep partial answers (validated codes only) so the participant can come back."""
    instrument = get_instrument(administration.instrument_code, administration.instrument_version)
    cleaned = _checked_answers(instrument, answers, complete=False)
    return do_save_draft(actor, administration, cleaned, channel=channel)


@transaction.atomic
def do_save_draft(
    actor: User | None, administration: Administration, answers: dict[str, str], *, channel: str
) -> Administration:
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    _check_open(locked)
    locked.draft_answers = answers
    locked.status = AdministrationStatus.IN_PROGRESS
    locked.save(update_fields=["draft_answers", "status"])
    # How many items are answered, never which answers.
    record(
        actor,
        Action.UPDATE,
        participant=administration.participant,
        obj=locked,
        purpose=_checkin_purpose(channel),
        actor_label=_checkin_label(actor, channel),
        detail={"draft": True, "answered": len(answers), "channel": channel},
    )
    return locked


@transaction.atomic
def do_hand_over_tablet(actor: User, administration: Administration) -> None:
    """Record that staff handed the tablet to the participant for this check-in (the view
    then signs the staff member out)."""
    record(
        actor,
        Action.UPDATE,
        participant=administration.participant,
        obj=administration,
        purpose=Purpose.TREAT,
        detail={"tablet_hand_over": True},
    )


def _check_open(administration: Administration) -> None:
    if administration.status == AdministrationStatus.COMPLETED:
        raise ValidationError({"__all__": "This check-in was already submitted. Thank you."})
    if administration.status not in OPEN_ADMINISTRATION or administration.is_expired:
        raise ValidationError({"__all__": "This check-in has expired or was cancelled."})
    if timezone.now() < administration.available_from:
        raise ValidationError({"__all__": "This check-in is not open yet."})


def check_submit_response(
    actor: User | None,
    administration: Administration,
    answers: dict[str, Any],
    *,
    channel: str,
    idempotency_key: str | None = None,
    instrument_version: str | None = None,
) -> Response:
    """Validate and submit a check-in: all or nothing, once.

    A repeated submission with the same idempotency key (a double tap, a retried request)
    returns the first response instead of storing a second.
    """
    if idempotency_key:
        existing = Response.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.administration_id != administration.pk:
                raise ValidationError(
                    {"__all__": "This submission key was used for another check-in."}
                )
            return existing
    if instrument_version is not None and instrument_version != administration.instrument_version:
        raise ValidationError(
            {
                "questionnaire": f"This check-in is {administration.instrument_code} version "
                f"{administration.instrument_version}, not version {instrument_version}."
            }
        )
    instrument = get_instrument(administration.instrument_code, administration.instrument_version)
    cleaned = _checked_answers(instrument, answers)
    try:
        return _do_submit(actor, administration, instrument, cleaned, channel, idempotency_key)
    except IntegrityError:
        # Two identical submissions raced past the check above: the first one stands.
        existing = Response.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _do_submit(
    actor: User | None,
    administration: Administration,
    instrument: Instrument,
    answers: dict[str, str],
    channel: str,
    idempotency_key: str | None,
) -> Response:
    locked = (
        Administration.objects.select_for_update(of=("self",))
        .select_related("episode__program__organization", "participant")
        .get(pk=administration.pk)
    )
    _check_open(locked)
    response = Response.objects.create(
        administration=locked,
        episode=locked.episode,
        participant=locked.participant,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        answers=answers,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        channel=channel,
        idempotency_key=idempotency_key or None,
    )
    locked.status = AdministrationStatus.COMPLETED
    locked.completed_at = response.submitted_at
    locked.draft_answers = {}
    locked.link_token_hash = ""  # one-time: the link is spent
    locked.save(update_fields=["status", "completed_at", "draft_answers", "link_token_hash"])
    _close_duplicates(actor, locked, response)
    record(
        actor,
        Action.CREATE,
        participant=locked.participant,
        obj=response,
        purpose=_checkin_purpose(channel),
        actor_label=_checkin_label(actor, channel),
        detail={"instrument": instrument.key, "channel": channel},
    )
    _score_and_alert(response, instrument, locked.episode)
    return response


@transaction.atomic
def do_record_past_response(
    actor: User | None,
    episode: Episode,
    instrument_code: str,
    answers: dict[str, str],
    *,
    submitted_at: datetime,
    channel: str = Channel.STAFF,
) -> Response:
    """Record a check-in completed in the past (paper forms, another system, demo history):
    a completed administration, the response with its real time, its score and alerts.
    Answers must already be valid (check_* callers validate; demo data is generated)."""
    instrument = get_instrument(instrument_code)
    organization = episode.program.organization
    day = timezone.localtime(submitted_at, organization.tz).date()
    available = _local_midnight(day, organization)
    administration = Administration.objects.create(
        episode=episode,
        participant_id=episode.participant_id,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        due_on=day,
        available_from=available,
        expires_at=available + timedelta(days=3),
        status=AdministrationStatus.COMPLETED,
        completed_at=submitted_at,
    )
    response = Response.objects.create(
        administration=administration,
        episode=episode,
        participant_id=episode.participant_id,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        answers=answers,
        submitted_at=submitted_at,
        submitted_by=actor,
        channel=channel,
    )
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=response,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={"instrument": instrument.key, "channel": channel, "past": True},
    )
    _close_duplicates(actor, administration, response)
    _score_and_alert(response, instrument, episode)
    return response


CORRECTION_REASON_LENGTH = 500


def check_correct_response(
    actor: User, original: Response, answers: dict[str, Any], *, reason: str
) -> Response:
    """Record a correction: a new response linked to the original, which stays as it was."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the response is corrected."})
    if original.corrections.exists():
        raise ValidationError({"__all__": "Correct the latest version of this response."})
    if len(reason.strip()) > CORRECTION_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason under {CORRECTION_REASON_LENGTH} characters."}
        )
    instrument = get_instrument(original.instrument_code, original.instrument_version)
    cleaned = _checked_answers(instrument, answers)
    return do_correct_response(actor, original, instrument, cleaned, reason=reason.strip())


@transaction.atomic
def do_correct_response(
    actor: User,
    original: Response,
    instrument: Instrument,
    answers: dict[str, str],
    *,
    reason: str,
) -> Response:
    episode = Episode.objects.select_related("program__organization").get(pk=original.episode_id)
    correction = Response.objects.create(
        administration=original.administration,
        episode=episode,
        participant=original.participant,
        instrument_code=original.instrument_code,
        instrument_version=original.instrument_version,
        answers=answers,
        submitted_by=actor,
        channel=Channel.STAFF,
        corrects=original,
        correction_reason=reason,
    )
    record(
        actor,
        Action.UPDATE,
        participant=original.participant,
        obj=correction,
        purpose=Purpose.TREAT,
        detail={"corrects": str(original.public_id), "reason_given": True},
    )
    _score_and_alert(correction, instrument, episode)
    return correction


# --- scores, change and alerts --------------------------------------------------------------


def _score_and_alert(response: Response, instrument: Instrument, episode: Episode) -> Score:
    result = score(instrument, response.answers)
    organization = episode.program.organization
    observed_on = timezone.localtime(response.submitted_at, organization.tz).date()
    stored = Score.objects.create(
        response=response,
        episode=episode,
        participant_id=response.participant_id,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        observed_at=response.submitted_at,
        observed_on=observed_on,
        total=result.total,
        raw_sum=result.raw_sum,
        band_code=result.band.code if result.band else "",
        band_label=result.band.label if result.band else "",
        subscales=result.subscales,
        answered=result.answered,
        missing_items=list(result.missing),
        prorated=result.prorated,
        critical_items=[x for rule in result.critical for x in (rule.items or (rule.item,))],
    )
    for rule in result.critical:
        # PHQ-9 item 9 > 0 is always urgent, to the primary and the on-call clinician, and
        # never waits for a total (docs/domain.md §4).
        do_raise_alert(
            None,
            participant=response.participant,
            episode=episode,
            kind=AlertKind.CRITICAL_ITEM,
            priority=rule.priority,
            title=f"{instrument.code}: {rule.label or f'{rule.item} answered above {rule.above}'}",
            detail=rule.detail
            or "Document the follow-up: risk assessment, safety plan review, or referral "
            "to a higher level of care.",
            source=f"measures.response:{response.public_id}",
            dedupe_key=f"measures:critical:{response.public_id}:{rule.item}",
            notify_on_call=rule.priority == Priority.URGENT,
        )
    if result.total is not None:
        # Judged as of the check-in, not as of today: a late-entered or historical response
        # must not be called "not on track" for weeks that came after it.
        summary = episode_change(episode, instrument, today=observed_on)
        _raise_change_alerts(response, episode, instrument, summary, at=stored.observed_at)
    return stored


def _raise_change_alerts(
    response: Response, episode: Episode, instrument: Instrument, summary: Change, *, at: datetime
) -> None:
    # One alert of each kind per episode and instrument: a weekly repeat would bury it.
    if summary.reliable_deterioration:
        do_raise_alert(
            None,
            participant=response.participant,
            episode=episode,
            kind=AlertKind.RELIABLE_DETERIORATION,
            priority=Priority.HIGH,
            title=f"{instrument.code}: reliable deterioration since baseline",
            source=f"measures.response:{response.public_id}",
            dedupe_key=f"measures:deterioration:{episode.public_id}:{instrument.code}",
            now=at,
        )
    if summary.not_on_track:
        do_raise_alert(
            None,
            participant=response.participant,
            episode=episode,
            kind=AlertKind.NOT_ON_TRACK,
            priority=Priority.NORMAL,
            title=f"{instrument.code}: not on track (no reliable improvement by week "
            f"{ON_TRACK_WEEKS})",
            source=f"measures.response:{response.public_id}",
            dedupe_key=f"measures:not-on-track:{episode.public_id}:{instrument.code}",
            now=at,
        )
