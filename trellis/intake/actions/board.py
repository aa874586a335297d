"""What the coordinator does from the board and an inquiry's page: assign it, refer the
person elsewhere, merge a duplicate, link the inquiry to a participant the program already
knows, and set the program's reply time. Never automatic: Trellis only proposes duplicates
(`queries.possible_duplicates`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.access import may_own_inquiry
from trellis.intake.actions.inquiries import (
    check_change_inquiry_status,
    do_assign_inquiry,
    do_change_inquiry_status,
    lock_inquiry,
)
from trellis.intake.models import (
    CloseReason,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    IntakeSettings,
)
from trellis.participants.models import Participant
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User


def check_assign_inquiry(
    actor: User,
    inquiry: Inquiry,
    *,
    owner: User | None,
    next_action: str,
    next_action_due: date | None,
) -> Inquiry:
    """Set who works the inquiry and what happens next, by when."""
    errors: dict[str, str] = {}
    if owner is not None and not may_own_inquiry(owner, inquiry.program):
        errors["owner"] = f"{owner.name} is not an intake coordinator or director of the program."
    if len(next_action.strip()) > 200:
        errors["next_action"] = "Keep the next action to 200 characters."
    if next_action_due is not None and not next_action.strip():
        errors["next_action"] = "Say what the next action is."
    if not inquiry.is_open:
        errors["owner"] = "This inquiry is finished."
    if errors:
        raise ValidationError(errors)
    return do_assign_inquiry(
        actor, inquiry, owner=owner, next_action=next_action, next_action_due=next_action_due
    )


def check_refer_elsewhere(actor: User, inquiry: Inquiry, destination: str) -> Inquiry:
    """Referred elsewhere, with where to in free text (a directory listing comes with the
    provider finder)."""
    destination = destination.strip()
    if not destination:
        raise ValidationError({"destination": "Say where the person was referred."})
    if len(destination) > 300:
        raise ValidationError({"destination": "Keep the destination to 300 characters."})
    return check_change_inquiry_status(
        actor, inquiry, InquiryStatus.REFERRED, note="Referred to " + destination
    )


def check_merge_inquiry(actor: User, duplicate: Inquiry, survivor: Inquiry) -> Inquiry:
    """Merge `duplicate` into `survivor`: the duplicate is closed as a duplicate pointing at
    the survivor, keeps its history (shown on the survivor's page), and the survivor keeps
    what the duplicate knew that it did not (phone, email, date of birth)."""
    errors: dict[str, str] = {}
    if duplicate.pk == survivor.pk:
        errors["into"] = "An inquiry cannot be merged into itself."
    elif survivor.organization_id != duplicate.organization_id:
        errors["into"] = "That inquiry belongs to another organization."
    elif not (
        may_own_inquiry(actor, duplicate.program) and may_own_inquiry(actor, survivor.program)
    ):
        errors["into"] = "Only intake coordinators and directors of both programs may merge."
    elif not survivor.is_open or survivor.merged_into_id is not None:
        errors["into"] = "That inquiry is finished: merge into an open one."
    elif not duplicate.is_open:
        errors["into"] = "This inquiry is finished."
    elif duplicate.participant_id and survivor.participant_id not in (
        None,
        duplicate.participant_id,
    ):
        errors["into"] = "The two inquiries are linked to different participants."
    if errors:
        raise ValidationError(errors)
    return do_merge_inquiry(actor, duplicate, survivor)


@transaction.atomic
def do_merge_inquiry(actor: User, duplicate: Inquiry, survivor: Inquiry) -> Inquiry:
    fresh_survivor = lock_inquiry(survivor)
    do_change_inquiry_status(
        actor, duplicate, InquiryStatus.CLOSED, close_reason=CloseReason.DUPLICATE,
        note="Merged into another inquiry.",
    )  # fmt: skip
    duplicate.merged_into = fresh_survivor
    duplicate.save(update_fields=["merged_into"])
    filled = []
    for name in ("phone", "email", "date_of_birth", "family_name", "participant"):
        if not getattr(fresh_survivor, name) and getattr(duplicate, name):
            setattr(fresh_survivor, name, getattr(duplicate, name))
            filled.append(name)
    if filled:
        fresh_survivor.save(update_fields=filled)
    InquiryEvent.objects.create(
        inquiry=fresh_survivor, kind=EventKind.MERGED, by=actor,
        text=f"{duplicate.display_name}'s inquiry of {duplicate.received_at:%b %-d} merged in.",
    )  # fmt: skip
    record(
        actor,
        Action.UPDATE,
        participant=fresh_survivor.participant,
        obj=fresh_survivor,
        purpose=Purpose.HOPERAT,
        detail={"merged": str(duplicate.public_id), "filled": filled},
    )
    for name in filled:
        setattr(survivor, name, getattr(fresh_survivor, name))
    return survivor


def check_link_participant(actor: User, inquiry: Inquiry, participant: Participant) -> Inquiry:
    """The coordinator says the inquiry is from someone the program already knows. The
    record's new episode is opened later, by screening or admission
    (`check_open_record(participant=...)`)."""
    errors: dict[str, str] = {}
    if not may_own_inquiry(actor, inquiry.program):
        errors["participant"] = "Only intake coordinators and directors may link a record."
    elif participant.organization_id != inquiry.organization_id:
        errors["participant"] = "That person belongs to another organization."
    elif inquiry.participant_id is not None:
        errors["participant"] = "This inquiry is already linked to a participant."
    elif not inquiry.is_open:
        errors["participant"] = "This inquiry is finished."
    if errors:
        raise ValidationError(errors)
    return do_link_participant(actor, inquiry, participant)


@transaction.atomic
def do_link_participant(actor: User, inquiry: Inquiry, participant: Participant) -> Inquiry:
    fresh = lock_inquiry(inquiry)
    if fresh.participant_id is not None:
        raise ValidationError({"participant": "Someone linked this inquiry a moment ago."})
    fresh.participant = participant
    fresh.save(update_fields=["participant"])
    InquiryEvent.objects.create(
        inquiry=fresh, kind=EventKind.NOTE, by=actor,
        text="Linked to the participant's existing record.",
    )  # fmt: skip
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=fresh,
        purpose=Purpose.HOPERAT,
        detail={"linked": "participant"},
    )
    inquiry.participant = participant
    return inquiry


def check_save_intake_settings(
    actor: User, program: Program, *, reply_within_days: int, notify_email: str
) -> IntakeSettings:
    if not 1 <= reply_within_days <= 10:
        raise ValidationError({"reply_within_days": "Choose between 1 and 10 business days."})
    return do_save_intake_settings(
        actor, program, reply_within_days=reply_within_days, notify_email=notify_email
    )


@transaction.atomic
def do_save_intake_settings(
    actor: User, program: Program, *, reply_within_days: int, notify_email: str
) -> IntakeSettings:
    settings, _ = IntakeSettings.objects.update_or_create(
        program=program,
        defaults={"reply_within_days": reply_within_days, "notify_email": notify_email.strip()},
    )
    record(
        actor,
        Action.UPDATE,
        obj=settings,
        purpose=Purpose.HOPERAT,
        detail={"program": str(program.public_id), "reply_within_days": reply_within_days},
    )
    return settings
