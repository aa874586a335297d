"""One inquiry: contact details, the reason (directors and intake only), its history, and
what the coordinator does with it (log a call, assign, change status, merge a duplicate, link
an existing participant). The front desk sees contact details, status, owner and next action,
and logs calls; the history's words are for intake and directors only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.intake.access import access_inquiry
from trellis.intake.actions import (
    check_assign_inquiry,
    check_change_inquiry_status,
    check_link_participant,
    check_merge_inquiry,
    check_refer_elsewhere,
    do_log_inquiry_event,
)
from trellis.intake.forms import AssignForm, CloseForm, LogForm, NoteForm, ReferForm
from trellis.intake.models import EventKind, InquiryStatus
from trellis.intake.queries import (
    inquiry_history,
    inquiry_owner_choices,
    merged_inquiries,
    possible_duplicates,
)
from trellis.lib.views import add_error_messages
from trellis.privacy.access import access_participant
from trellis.privacy.decorators import staff_required


@staff_required()
def detail(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    access = access_inquiry(request.user, inquiry_id)
    inquiry = access.inquiry
    context: dict[str, object] = {
        "inquiry": inquiry,
        "access": access,
        "history": inquiry_history(inquiry),
        "today": inquiry.program.today(),
        "log_form": LogForm(initial={"kind": EventKind.CALL}),
    }
    if access.clinical:
        owners = inquiry_owner_choices(inquiry.program)
        duplicates = possible_duplicates(request.user, inquiry) if inquiry.is_open else []
        people = [m.participant for m in duplicates if m.participant is not None]
        if people:
            # The possible matches name participants: recorded like any list of people.
            record_list(
                request.user,
                object_type="intake.duplicate",
                object_id=str(inquiry.public_id),
                participants=people,
                purpose=Purpose.HOPERAT,
                detail={"results": len(people)},
            )
        context |= {
            "assign_form": AssignForm(
                owners=[(str(u.public_id), u.name) for u in owners],
                initial={
                    "owner": str(inquiry.owner.public_id) if inquiry.owner else "",
                    "next_action": inquiry.next_action,
                    "next_action_due": inquiry.next_action_due,
                },
            ),
            "close_form": CloseForm(),
            "refer_form": ReferForm(),
            "note_form": NoteForm(),
            "duplicates": duplicates,
            "merged": merged_inquiries(inquiry),
        }
    return render(request, "intake/detail.html", context)


def _back(inquiry_id: str) -> HttpResponse:
    return redirect("intake:detail", inquiry_id=inquiry_id)


@require_POST
@staff_required()
def log_event(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    """A call, note or message. The front desk logs calls (their words are kept for intake)."""
    access = access_inquiry(request.user, inquiry_id, action=Action.UPDATE)
    form = LogForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what happened (up to 2,000 characters).")
    elif not access.clinical and form.cleaned_data["kind"] != EventKind.CALL:
        messages.error(request, "The front desk logs calls; notes and messages are for intake.")
    else:
        try:
            do_log_inquiry_event(
                request.user, access.inquiry, form.cleaned_data["kind"], form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, f"{EventKind(form.cleaned_data['kind']).label} recorded.")
    return _back(inquiry_id)


@require_POST
@staff_required()
def assign(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    access = access_inquiry(request.user, inquiry_id, clinical=True, action=Action.UPDATE)
    owners = {str(u.public_id): u for u in inquiry_owner_choices(access.inquiry.program)}
    form = AssignForm(request.POST, owners=[(k, u.name) for k, u in owners.items()])
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(e) for e in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return _back(inquiry_id)
    data = form.cleaned_data
    try:
        check_assign_inquiry(
            request.user,
            access.inquiry,
            owner=owners.get(data["owner"]),
            next_action=data["next_action"],
            next_action_due=data["next_action_due"],
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Owner and next action saved.")
    return _back(inquiry_id)


@require_POST
@staff_required()
def change_status(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    """Contacted, closed with a reason, referred elsewhere, or reopened."""
    access = access_inquiry(request.user, inquiry_id, clinical=True, action=Action.UPDATE)
    inquiry = access.inquiry
    move = request.POST.get("to", "")
    try:
        if move == "referred":
            refer = ReferForm(request.POST)
            destination = refer.cleaned_data["destination"] if refer.is_valid() else ""
            check_refer_elsewhere(request.user, inquiry, destination)
        elif move == InquiryStatus.CLOSED:
            close = CloseForm(request.POST)
            if not close.is_valid():
                raise ValidationError({"close_reason": "Say why the inquiry is closed."})
            check_change_inquiry_status(
                request.user, inquiry, InquiryStatus.CLOSED,
                close_reason=close.cleaned_data["close_reason"], note=close.cleaned_data["note"],
            )  # fmt: skip
        elif move in (InquiryStatus.CONTACTED, InquiryStatus.NEW):
            note = NoteForm(request.POST)
            text = note.cleaned_data["note"] if note.is_valid() else ""
            check_change_inquiry_status(request.user, inquiry, move, note=text)
        else:
            raise ValidationError({"status": "Choose a status."})
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, f"The inquiry is now “{inquiry.get_status_display()}”.")
    return _back(inquiry_id)


@require_POST
@staff_required()
def merge(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    """Merge this inquiry (the duplicate) into another: the coordinator's choice, never
    automatic. Lands on the surviving inquiry."""
    access = access_inquiry(request.user, inquiry_id, clinical=True, action=Action.UPDATE)
    survivor = access_inquiry(
        request.user, request.POST.get("into", ""), clinical=True, action=Action.UPDATE
    ).inquiry
    try:
        check_merge_inquiry(request.user, access.inquiry, survivor)
    except ValidationError as error:
        add_error_messages(request, error)
        return _back(inquiry_id)
    messages.success(request, "Merged: this is the inquiry that stays open.")
    return redirect("intake:detail", inquiry_id=survivor.public_id)


@require_POST
@staff_required()
def link(request: AuthedRequest, inquiry_id: str) -> HttpResponse:
    """Link the inquiry to a participant the program already knows (one the user sees)."""
    access = access_inquiry(request.user, inquiry_id, clinical=True, action=Action.UPDATE)
    person = access_participant(
        request.user, request.POST.get("participant", ""), purpose=Purpose.HOPERAT
    ).participant
    try:
        check_link_participant(request.user, access.inquiry, person)
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Linked to the existing record.")
    return _back(inquiry_id)
