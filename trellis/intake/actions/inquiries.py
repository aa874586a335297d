"""Receiving an inquiry, moving it through its statuses, and its history.

Every change leaves an `InquiryEvent` (what the coordinator sees) and an audit event (what
compliance sees). Audit details carry codes and field names, never the person's words."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.models import (
    CloseReason,
    ContactPreference,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquirySource,
    InquiryStatus,
    Payment,
    PreferredSchedule,
)
from trellis.participants.actions import do_change_status
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass
class InquiryDetails:
    """What a person (or their referrer) tells the program. Pages and the API fill it."""

    source: str
    given_name: str
    family_name: str = ""
    preferred_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    language: str = "en"
    consent_to_contact: bool = False
    contact_preference: str = ContactPreference.PHONE
    reason: str = ""
    preferred_schedule: str = PreferredSchedule.ANY
    schedule_notes: str = ""
    payment: str = Payment.UNKNOWN
    payer_name: str = ""
    referrer_organization: str = ""
    referrer_name: str = ""
    referrer_contact: str = ""


def _validate_details(details: InquiryDetails, program: Program) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.given_name.strip():
        errors["given_name"] = "A first name (or the name they go by) is needed."
    if not details.phone.strip() and not details.email.strip():
        errors["phone"] = "A phone number or an email address is needed to reach them."
    if details.source not in InquirySource.values:
        errors["source"] = "Choose where the inquiry came from."
    if details.source == InquirySource.REFERRAL and not details.referrer_organization.strip():
        errors["referrer_organization"] = "A referral names the referring organization."
    if details.date_of_birth is not None and details.date_of_birth > program.organization.today():
        errors["date_of_birth"] = "The date of birth is in the future."
    if details.contact_preference not in ContactPreference.values:
        errors["contact_preference"] = "Choose how they prefer to be contacted."
    if details.preferred_schedule not in PreferredSchedule.values:
        errors["preferred_schedule"] = "Choose a schedule."
    if details.payment not in Payment.values:
        errors["payment"] = "Choose how care would be paid for."
    if not program.is_active:
        errors["program"] = f"{program.name} is not taking inquiries."
    return errors


def check_create_inquiry(
    actor: User | None, program: Program, details: InquiryDetails, *, owner: User | None = None
) -> Inquiry:
    """Validate and record a new inquiry. `actor` is None for the program's public web form."""
    errors = _validate_details(details, program)
    if errors:
        raise ValidationError(errors)
    return do_create_inquiry(actor, program, details, owner=owner)


@transaction.atomic
def do_create_inquiry(
    actor: User | None,
    program: Program,
    details: InquiryDetails,
    *,
    owner: User | None = None,
    received_at: datetime | None = None,
) -> Inquiry:
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip()
    at = received_at or timezone.now()
    inquiry = Inquiry.objects.create(
        organization=program.organization,
        program=program,
        owner=owner,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        received_at=at,
        status_changed_at=at,
        **values,
    )
    InquiryEvent.objects.create(
        inquiry=inquiry, kind=EventKind.RECEIVED, at=at, by=inquiry.created_by,
        to_status=InquiryStatus.NEW,
    )  # fmt: skip
    record(
        actor,
        Action.CREATE,
        obj=inquiry,
        purpose=Purpose.HOPERAT,
        detail={"source": inquiry.source, "program": str(program.public_id)},
        actor_label="" if actor is not None else "web form",
    )
    return inquiry


def lock_inquiry(inquiry: Inquiry) -> Inquiry:
    """Lock the inquiry's row until the transaction ends and return it fresh: two
    coordinators moving one inquiry at once get one change and a clear message."""
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def check_change_inquiry_status(
    actor: User,
    inquiry: Inquiry,
    status: str,
    *,
    close_reason: str = "",
    note: str = "",
) -> Inquiry:
    """Move an inquiry along `TRANSITIONS`. Closing needs a reason from `CloseReason`.
    Admission and the waitlist have their own actions, which call `do_change_inquiry_status`
    after their own checks."""
    errors: dict[str, str] = {}
    if status not in InquiryStatus.values:
        errors["status"] = "Choose a status."
    elif status in (InquiryStatus.ADMITTED, InquiryStatus.WAITLISTED):
        errors["status"] = "Admission and the waitlist have their own steps."
    elif not inquiry.may_become(status):
        errors["status"] = (
            f"An inquiry that is “{inquiry.get_status_display().lower()}” cannot become "
            f"“{InquiryStatus(status).label.lower()}”."
        )
    if status == InquiryStatus.CLOSED and close_reason not in CloseReason.values:
        errors["close_reason"] = "Say why the inquiry is closed."
    if len(note) > 300:
        errors["note"] = "Keep the note to 300 characters."
    if errors:
        raise ValidationError(errors)
    return do_change_inquiry_status(actor, inquiry, status, close_reason=close_reason, note=note)


@transaction.atomic
def do_change_inquiry_status(
    actor: User | None,
    inquiry: Inquiry,
    status: str,
    *,
    close_reason: str = "",
    note: str = "",
) -> Inquiry:
    fresh = lock_inquiry(inquiry)
    if fresh.status != inquiry.status:
        raise ValidationError(
            {"status": "Someone else changed this inquiry a moment ago: reload to see it."}
        )
    now = timezone.now()
    previous = fresh.status
    fresh.status = status
    fresh.status_changed_at = now
    update = ["status", "status_changed_at"]
    if status == InquiryStatus.CLOSED:
        fresh.close_reason, fresh.close_note = close_reason, note.strip()
        update += ["close_reason", "close_note"]
    elif previous == InquiryStatus.CLOSED:
        fresh.close_reason, fresh.close_note = "", ""
        update += ["close_reason", "close_note"]
    fresh.save(update_fields=update)
    _close_planned_episode(actor, fresh)
    InquiryEvent.objects.create(
        inquiry=fresh, kind=EventKind.STATUS, at=now, by=actor, from_status=previous,
        to_status=status, text=note.strip(),
    )  # fmt: skip
    record(
        actor,
        Action.UPDATE,
        participant=fresh.participant,
        obj=fresh,
        purpose=Purpose.HOPERAT,
        detail={"status": status, "from": previous, "close_reason": close_reason},
    )
    inquiry.status, inquiry.status_changed_at = fresh.status, fresh.status_changed_at
    inquiry.close_reason, inquiry.close_note = fresh.close_reason, fresh.close_note
    return inquiry


def _close_planned_episode(actor: User | None, inquiry: Inquiry) -> None:
    """An inquiry closed or referred elsewhere after screening closes its planned or
    waitlisted episode as "closed before admission": the screening stays on the record, the
    person is no longer counted as coming. Admitted episodes are never touched here."""
    episode = inquiry.episode
    if inquiry.status not in (InquiryStatus.CLOSED, InquiryStatus.REFERRED) or episode is None:
        return
    if episode.status not in (EpisodeStatus.PLANNED, EpisodeStatus.WAITLIST):
        return
    do_change_status(
        actor,
        episode,
        status=EpisodeStatus.CANCELLED,
        effective_on=inquiry.program.organization.today(),
    )


@transaction.atomic
def do_log_inquiry_event(actor: User, inquiry: Inquiry, kind: str, text: str) -> InquiryEvent:
    """A call, a note or a message sent, in the inquiry's history."""
    if kind not in (EventKind.CALL, EventKind.NOTE, EventKind.MESSAGE):
        raise ValidationError({"kind": "Record a call, a note or a message."})
    if not text.strip():
        raise ValidationError({"text": "Write what happened."})
    event = InquiryEvent.objects.create(inquiry=inquiry, kind=kind, by=actor, text=text.strip())
    record(
        actor,
        Action.UPDATE,
        participant=inquiry.participant,
        obj=inquiry,
        purpose=Purpose.HOPERAT,
        detail={"event": kind},
    )
    return event


@transaction.atomic
def do_assign_inquiry(
    actor: User,
    inquiry: Inquiry,
    *,
    owner: User | None,
    next_action: str,
    next_action_due: date | None,
) -> Inquiry:
    """Who works the inquiry and what happens next. Callers check that `owner` works intake
    in the program (the access module's `may_own_inquiry`)."""
    changed_owner = inquiry.owner_id != (owner.pk if owner else None)
    inquiry.owner = owner
    inquiry.next_action = next_action.strip()
    inquiry.next_action_due = next_action_due
    inquiry.save(update_fields=["owner", "next_action", "next_action_due"])
    if changed_owner:
        InquiryEvent.objects.create(
            inquiry=inquiry,
            kind=EventKind.ASSIGNED,
            by=actor,
            text=owner.get_full_name() if owner else "",
        )
    record(
        actor,
        Action.UPDATE,
        participant=inquiry.participant,
        obj=inquiry,
        purpose=Purpose.HOPERAT,
        detail={"fields": ["owner", "next_action", "next_action_due"]},
    )
    return inquiry
