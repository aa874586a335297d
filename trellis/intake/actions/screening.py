"""Screening: send the program's battery by one-time link, or complete it with staff; when
every questionnaire is done, the inquiry waits on a level-of-care decision.

The questionnaires are `measures` check-ins on the inquiry's planned episode (opened here
through `check_open_record`), so a positive risk screen raises measures' urgent alert to the
program's on-call clinician (or its directors) before any admission exists."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.actions.inquiries import do_change_inquiry_status, lock_inquiry
from trellis.intake.actions.records import check_open_record
from trellis.intake.models import (
    DEFAULT_BATTERY,
    LINK_HOURS,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    Screening,
    ScreeningChannel,
)
from trellis.measures.actions import do_get_or_create_administration
from trellis.measures.models import OPEN_ADMINISTRATION, Administration, AdministrationStatus
from trellis.measures.queries import hash_token
from trellis.participants.models import Participant

if TYPE_CHECKING:
    from trellis.accounts.models import User

# The email says who asked and nothing else: no program name, no instrument, no reason.
LINK_SUBJECT = "Riverbend Health asked you to complete a short questionnaire"
LINK_BODY = (
    "Hello,\n\nRiverbend Health asked you to complete a short questionnaire. It takes about "
    "five minutes:\n\n{url}\n\nThe link works once and until {expires:%B} {expires.day}. "
    "If you did not expect this message, you can ignore it.\n"
)
SCREENABLE = frozenset(
    {
        InquiryStatus.NEW,
        InquiryStatus.CONTACTED,
        InquiryStatus.SCREENING,
        InquiryStatus.DECISION,
    }
)


def check_start_screening(
    actor: User,
    inquiry: Inquiry,
    *,
    channel: str,
    mrn: str = "",
    date_of_birth: date | None = None,
    participant: Participant | None = None,
) -> tuple[Screening, str]:
    """Open the record if needed, create the battery's check-ins and (for a link) email ONE
    one-time link for all of them. Returns the screening and the link token ("" when staff
    complete it). One transaction: a refusal leaves nothing; the email goes after commit."""
    errors: dict[str, str] = {}
    if inquiry.status not in SCREENABLE:
        errors["status"] = (
            f"An inquiry that is “{inquiry.get_status_display().lower()}” is not screened."
        )
    if channel not in ScreeningChannel.values:
        errors["channel"] = "Send a link or screen now."
    if channel == ScreeningChannel.LINK and not inquiry.email:
        errors["email"] = "The inquiry has no email address: add one, or screen now with them."
    if errors:
        raise ValidationError(errors)
    return do_start_screening(
        actor,
        inquiry,
        channel=channel,
        mrn=mrn,
        date_of_birth=date_of_birth,
        participant=participant,
    )


@transaction.atomic
def do_start_screening(
    actor: User | None,
    inquiry: Inquiry,
    *,
    channel: str,
    mrn: str = "",
    date_of_birth: date | None = None,
    participant: Participant | None = None,
    battery: tuple[str, ...] = DEFAULT_BATTERY,
) -> tuple[Screening, str]:
    if actor is not None:
        inquiry = check_open_record(
            actor, inquiry, mrn=mrn, date_of_birth=date_of_birth, participant=participant
        )
    else:
        inquiry = lock_inquiry(inquiry)
    episode = inquiry.episode
    if episode is None:
        raise ValidationError({"date_of_birth": "The inquiry needs a record before screening."})
    now = timezone.now()
    organization = inquiry.program.organization
    # An earlier link stops working: one battery link at a time.
    Screening.objects.filter(inquiry=inquiry, completed_at__isnull=True).update(link_token_hash="")
    screening = Screening.objects.create(
        inquiry=inquiry,
        episode=episode,
        channel=channel,
        expires_at=now + timedelta(hours=LINK_HOURS),
        created_by=actor,
    )
    administrations: list[Administration] = []
    for code in battery:
        administration, _ = do_get_or_create_administration(
            actor, episode, code, due_on=organization.today(), window_days=LINK_HOURS // 24
        )
        administrations.append(administration)
    screening.administrations.set(administrations)
    # The battery's link is the reminder: measures' reminder sweep must not send four more.
    Administration.objects.filter(pk__in=[a.pk for a in administrations]).update(reminded_at=now)
    token = ""
    if channel == ScreeningChannel.LINK:
        token = secrets.token_urlsafe(32)
        screening.link_token_hash = hash_token(token)
        screening.save(update_fields=["link_token_hash"])
        email, expires = inquiry.email, screening.expires_at
        url = f"{settings.TRELLIS_BASE_URL}/intake/s/{token}/"
        transaction.on_commit(
            lambda: send_mail(
                LINK_SUBJECT, LINK_BODY.format(url=url, expires=expires), None, [email]
            )
        )
    if inquiry.status != InquiryStatus.SCREENING:
        do_change_inquiry_status(actor, inquiry, InquiryStatus.SCREENING)
    InquiryEvent.objects.create(
        inquiry=inquiry,
        kind=EventKind.SCREENING,
        by=actor,
        text="Screening link sent by email (works once, for 72 hours)."
        if channel == ScreeningChannel.LINK
        else "Screening started with staff.",
    )
    record(
        actor,
        Action.CREATE,
        participant=inquiry.participant,
        obj=screening,
        purpose=Purpose.TREAT,
        detail={"channel": channel, "instruments": list(battery)},
    )
    return screening, token


@transaction.atomic
def do_note_screening_progress(actor: User | None, screening: Screening) -> bool:
    """After a questionnaire is submitted: when every check-in of the battery is done, the
    screening is complete, its link spent, and the inquiry waits on a decision (True)."""
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if locked.completed_at is not None:
        return True
    statuses = list(locked.administrations.values_list("status", flat=True))
    if any(status in OPEN_ADMINISTRATION for status in statuses):
        return False
    now = timezone.now()
    locked.completed_at, locked.link_token_hash = now, ""
    locked.save(update_fields=["completed_at", "link_token_hash"])
    screening.completed_at, screening.link_token_hash = now, ""
    inquiry = Inquiry.objects.get(pk=locked.inquiry_id)
    done = sum(status == AdministrationStatus.COMPLETED for status in statuses)
    InquiryEvent.objects.create(
        inquiry=inquiry,
        kind=EventKind.SCREENING,
        by=actor,
        text=f"Screening completed ({done} of {len(statuses)} questionnaires); "
        "waiting on a level-of-care decision.",
    )
    if inquiry.may_become(InquiryStatus.DECISION):
        do_change_inquiry_status(actor, inquiry, InquiryStatus.DECISION)
    record(
        actor,
        Action.UPDATE,
        participant=inquiry.participant,
        obj=locked,
        purpose=Purpose.TREAT,
        actor_label="" if actor is not None else "person screened (link)",
        detail={"completed": True},
    )
    return True
