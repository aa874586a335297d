"""Queueing and sending notifications, and saving a participant's preferences.

Other apps call `queue_notification` inside their own transaction (a staff reply, the session
reminder sweep, the check-in sweep); the periodic job `notifications.deliver` calls
`do_deliver_due`, which sends what is due in each participant's organization's zone:

- exactly once per event: the outbox row is unique per (participant, key), and a row is claimed
  (pending -> sending) by one conditional UPDATE before anything is sent, so two workers or a
  second run never send it twice. A worker that dies between the claim and the send's end
  leaves the row "sending": it is never resent (at most once), and every run after an hour
  logs a warning with the number of such rows;
- quiet hours hold a row until they end; with the digest on, rows wait for the chosen hour and
  go out together (counts only), one email and/or one text a day;
- a failed send is retried with a growing delay, then given up ("failed") visibly: the row,
  the audit trail and a warning in the log (ids only);
- every send, skip and give-up is audited, without any content.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record
from trellis.lib.languages import portal_language
from trellis.lib.sms import SmsError, get_backend, send_text
from trellis.notifications import texts
from trellis.notifications.models import Channel, Kind, Notification, Preference, Status
from trellis.notifications.preferences import (
    Choices,
    can_text,
    email_address,
    preference_for,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_AFTER = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20 minutes
BATCH = 500
STUCK_AFTER = timedelta(hours=1)  # a claimed row not finished by then: its worker died
ACTOR = "notifications"


# --- queue -------------------------------------------------------------------------------


def queue_notification(
    participant: Participant,
    kind: Kind,
    key: str,
    *,
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Put one notification in the outbox, once per (participant, key); True if queued now.

    `key` is made of ids ("message:<thread id>:<message id>"), never of text. Call it inside
    the caller's transaction: the row is written, or not, with the event it announces."""
    now = now or timezone.now()
    _, created = Notification.objects.get_or_create(
        participant=participant,
        key=key,
        defaults={
            "kind": kind,
            "starts_at": starts_at,
            "expires_at": expires_at,
            "created_at": now,
            "not_before": now,
        },
    )
    return created


# --- preferences -------------------------------------------------------------------------


@transaction.atomic
def do_save_preferences(
    user: User, participant: Participant, choices: Choices, *, now: datetime | None = None
) -> Preference:
    """Store the participant's choices (checked by `preferences.parse_choices`), audited."""
    now = now or timezone.now()
    current = preference_for(participant)
    preference = Preference.objects.filter(participant=participant).first() or current
    preference.message_channel = choices.channels[Kind.MESSAGE]
    preference.checkin_channel = choices.channels[Kind.CHECKIN]
    preference.session_channel = choices.channels[Kind.SESSION]
    preference.quiet_start, preference.quiet_end = choices.quiet_start, choices.quiet_end
    preference.digest, preference.digest_hour = choices.digest, choices.digest_hour
    phone = participant.phone.strip()
    if not choices.text_consent:
        preference.text_consent_at, preference.text_consent_to = None, ""
    elif preference.text_consent_at is None or preference.text_consent_to != phone:
        preference.text_consent_at, preference.text_consent_to = now, phone
    preference.updated_at = now
    preference.save()
    record(
        user,
        Action.UPDATE,
        participant=participant,
        obj=preference,
        object_id=str(participant.public_id),
        purpose=Purpose.PATRQT,
        role="participant" if participant.user_id == user.pk else "",
        detail={
            "channels": dict(choices.channels),
            "quiet_hours": choices.quiet_start is not None,
            "digest": choices.digest,
            "text_consent": preference.text_consent_at is not None,
        },
    )
    return preference


# --- deliver -----------------------------------------------------------------------------


def in_quiet_hours(preference: Preference, at: time) -> bool:
    start, end = preference.quiet_start, preference.quiet_end
    if start is None or end is None:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end  # the window wraps midnight (21:00-08:00)


def next_local(at: datetime, wall: time, zone: ZoneInfo) -> datetime:
    """The first instant at or after `at` whose wall-clock time in `zone` is `wall`."""
    local = at.astimezone(zone)
    candidate = datetime.combine(local.date(), wall, tzinfo=zone)
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), wall, tzinfo=zone)
    return candidate


def _audit(row: Notification, outcome: Outcome, reason: str = "") -> None:
    detail: dict[str, str | bool] = {"kind": row.kind, "channel": row.channel, "digest": row.digest}
    if reason:
        detail["reason"] = reason
    record(
        None,
        Action.CREATE,
        participant=row.participant,
        obj=row,
        outcome=outcome,
        purpose=Purpose.HOPERAT,
        actor_label=ACTOR,
        detail=detail,
    )


def _finish(rows: list[Notification], status: Status, now: datetime, reason: str = "") -> None:
    with transaction.atomic():
        for row in rows:
            row.status = status
            row.last_error = reason[:80]
            if status == Status.SENT:
                row.sent_at = now
            row.save(update_fields=["status", "last_error", "sent_at", "channel", "digest"])
            outcome = Outcome.FAILURE if status == Status.FAILED else Outcome.SUCCESS
            _audit(row, outcome, reason if status == Status.SENT else f"{status}: {reason}")


def _claim(rows: list[Notification]) -> list[Notification]:
    """Pending -> sending, one row at a time: only the rows this worker won."""
    return [
        row
        for row in rows
        if Notification.objects.filter(pk=row.pk, status=Status.PENDING).update(
            status=Status.SENDING
        )
    ]


def _send(participant: Participant, channel: str, words: texts.Words) -> None:
    if channel == Channel.EMAIL:
        send_mail(words.subject, texts.email_body(words), None, [email_address(participant)])
    else:
        send_text(participant.phone, texts.text_body(words))


def _deliver(
    participant: Participant,
    rows: list[Notification],
    channel: str,
    words: texts.Words,
    now: datetime,
) -> int:
    rows = _claim(rows)
    if not rows:
        return 0
    for row in rows:
        row.channel = channel
    if channel == Channel.TEXT and not get_backend().available:
        _finish(rows, Status.FAILED, now, "texting is not set up")
        logger.warning("notification not sent: texting is not set up (%s)", rows[0].public_id)
        return 0
    try:
        _send(participant, channel, words)
    except (OSError, smtplib.SMTPException, SmsError) as error:
        reason = type(error).__name__
        with transaction.atomic():
            for row in rows:
                row.attempts += 1
                row.last_error = reason
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = Status.FAILED
                    _audit(row, Outcome.FAILURE, f"gave up after {row.attempts} attempts")
                    logger.warning("notification %s failed for good (%s)", row.public_id, reason)
                else:
                    row.status = Status.PENDING
                    row.not_before = now + RETRY_AFTER * 2 ** (row.attempts - 1)
                row.save(
                    update_fields=["attempts", "last_error", "status", "not_before", "channel"]
                )
        return 0
    _finish(rows, Status.SENT, now)
    return len(rows)


def _skip(rows: list[Notification], reason: str, now: datetime) -> None:
    _finish(_claim(rows), Status.SKIPPED, now, reason)


def _hold(rows: list[Notification], until: datetime) -> None:
    Notification.objects.filter(pk__in=[r.pk for r in rows], status=Status.PENDING).update(
        not_before=until
    )


def _deliver_participant(participant: Participant, rows: list[Notification], now: datetime) -> int:
    preference = preference_for(participant)
    zone = participant.organization.tz
    local = now.astimezone(zone)
    expired = [r for r in rows if r.expires_at is not None and r.expires_at <= now]
    _skip(expired, "too late", now)
    rows = [r for r in rows if r not in expired]
    quiet_end = preference.quiet_end
    if rows and quiet_end is not None and in_quiet_hours(preference, local.time()):
        _hold(rows, next_local(now, quiet_end, zone))
        return 0
    by_channel: dict[str, list[Notification]] = defaultdict(list)
    for row in rows:
        channel = preference.channel_for(row.kind)
        if channel == Channel.NONE:
            row.channel = channel
            _skip([row], "turned off", now)
        elif channel == Channel.EMAIL and not email_address(participant):
            row.channel = channel
            _skip([row], "no email address", now)
        elif channel == Channel.TEXT and not can_text(participant, preference):
            row.channel = channel
            _skip([row], "no mobile number or consent", now)
        else:
            by_channel[channel].append(row)
    sent = 0
    for channel, waiting in by_channel.items():
        if preference.digest:
            digest_at = time(preference.digest_hour)
            ready = [r for r in waiting if next_local(r.created_at, digest_at, zone) <= now]
            later = [r for r in waiting if r not in ready]
            if later:
                _hold(later, min(next_local(r.created_at, digest_at, zone) for r in later))
            if ready:
                for row in ready:
                    row.digest = True
                words = texts.digest_words([r.kind for r in ready])
                sent += _deliver(participant, ready, channel, words, now)
            continue
        for row in waiting:
            starts = row.starts_at.astimezone(zone) if row.starts_at is not None else None
            sent += _deliver(participant, [row], channel, texts.words_for(row.kind, starts), now)
    return sent


def do_deliver_due(now: datetime | None = None) -> int:
    """Send what is due now; the number of notifications sent (a digest counts its rows).
    Safe to run twice, at once or late (see the module docstring)."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(status=Status.PENDING, not_before__lte=now)
        .select_related("participant__organization", "participant__user")
        .order_by("not_before", "pk")[:BATCH]
    )
    by_participant: dict[int, list[Notification]] = defaultdict(list)
    for row in due:
        by_participant[row.participant_id].append(row)
    sent = 0
    for rows in by_participant.values():
        participant = rows[0].participant
        # The words in the participant's own language (docs/portal.md, "Spanish").
        with translation.override(portal_language(participant.language)):
            sent += _deliver_participant(participant, rows, now)
    stuck = Notification.objects.filter(
        status=Status.SENDING, not_before__lt=now - STUCK_AFTER
    ).count()
    if stuck:
        logger.warning("%d notifications claimed over an hour ago were never finished", stuck)
    return sent
