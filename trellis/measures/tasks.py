"""Background sweeps of measures (registered as periodic jobs in apps.py). Each is
idempotent: the state is in the database, so running twice or late does no harm."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task

from trellis.measures.actions import (
    do_claim_reminder,
    do_mark_missed,
    do_queue_checkin_notice,
    do_schedule_checkins,
)
from trellis.measures.models import Administration

# Reminders carry no clinical content: no instrument, no score (docs/engineering.md).
REMINDER_SUBJECT = "You have a new check-in in Trellis"
REMINDER_BODY = (
    "Hello,\n\nYou have a new check-in from your care team in Trellis. It takes about two "
    "minutes:\n\n{url}\n\nThe link works once and closes on {expires:%B %-d}.\n\n"
    "If you are in crisis, call or text 988 any time."
)


def base_url() -> str:
    return str(settings.TRELLIS_BASE_URL)


@task
def schedule_checkins() -> int:
    return len(do_schedule_checkins())


@task
def mark_missed() -> int:
    return do_mark_missed()


@task
def send_reminders() -> int:
    """Remind once of each open check-in. A participant with a portal sign-in gets a
    content-free notification through their preferences (docs/portal.md, "Notifications");
    one without gets an email with a one-time link, if they have an address. Marked before
    sending: a crash may skip a reminder, never send two."""
    sent = 0
    due = (
        Administration.objects.open_now()
        .filter(reminded_at__isnull=True)
        .filter(Q(participant__email__gt="") | Q(participant__user__isnull=False))
        .select_related("participant")
    )
    for administration in due[:500]:
        if administration.participant.user_id is not None:
            sent += do_queue_checkin_notice(administration)
            continue
        token = do_claim_reminder(administration)
        if token is None:
            continue
        send_mail(
            REMINDER_SUBJECT,
            REMINDER_BODY.format(
                url=f"{base_url()}/measures/c/{token}/", expires=administration.expires_at
            ),
            None,
            [administration.participant.email],
        )
        sent += 1
    return sent
