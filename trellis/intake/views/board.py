"""The intake board (open inquiries by status), a new inquiry typed by staff, and the
program's intake settings. Office staff at a desktop (1280 px)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record, record_list
from trellis.intake.access import inquiry_programs, may_own_inquiry
from trellis.intake.actions import InquiryDetails, check_create_inquiry, check_save_intake_settings
from trellis.intake.forms import InquiryForm, SettingsForm
from trellis.intake.models import IntakeSettings
from trellis.intake.queries import intake_board
from trellis.lib.views import apply_validation_error
from trellis.privacy.access import access_directed_program
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import grants_for

OWNER_FILTERS = [("", "Anyone"), ("mine", "Mine"), ("none", "Nobody yet")]


@staff_required()
def board(request: AuthedRequest) -> HttpResponse:
    program_id = request.GET.get("program", "")
    owner = request.GET.get("owner", "")
    if owner not in dict(OWNER_FILTERS):
        owner = ""
    result = intake_board(request.user, program_id=program_id, owner=owner)
    if not result.programs:
        raise Http404("Not found.")  # not a director, intake coordinator or front desk
    grants = grants_for(request.user)
    filters = {"program": program_id, "owner": owner, "results": result.count}
    # One `list` event per person who already has a record, and one for the list itself
    # naming the inquiries without one (docs/intake-and-discharge.md, "Audit").
    if result.participants_shown:
        record_list(
            request.user,
            object_type="intake.inquiry",
            participants=result.participants_shown,
            purpose=Purpose.HOPERAT,
            detail=filters,
        )
    record(
        request.user,
        Action.LIST,
        object_type="intake.inquiry",
        purpose=Purpose.HOPERAT,
        detail={**filters, "inquiries": result.inquiries_without_record},
    )
    return render(
        request,
        "intake/board.html",
        {
            "board": result,
            "filters": {"program": program_id, "owner": owner},
            "owner_filters": OWNER_FILTERS,
            # The reply time is set by the program's directors (the set-up hub).
            "may_reply_settings": [p for p in result.programs if grants.directs(p)],
        },
    )


@staff_required()
def inquiry_new(request: AuthedRequest) -> HttpResponse:
    """A phone call, walk-in or referral, typed by whoever answered (front desk included)."""
    programs = inquiry_programs(request.user)
    if not programs:
        raise Http404("Not found.")
    by_id = {str(p.public_id): p for p in programs}
    choices = [(key, p.name) for key, p in by_id.items()]
    form = InquiryForm(request.POST or None, programs=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        program = by_id[data["program"]]
        details = InquiryDetails(
            **{k: v for k, v in data.items() if k != "program" and v is not None},
        )
        details.date_of_birth = data["date_of_birth"]
        owner = request.user if may_own_inquiry(request.user, program) else None
        try:
            inquiry = check_create_inquiry(request.user, program, details, owner=owner)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Inquiry from {inquiry.display_name} recorded.")
            return redirect("intake:detail", inquiry_id=inquiry.public_id)
    return render(request, "intake/new.html", {"form": form})


@staff_required()
def intake_settings(request: AuthedRequest, program_id: str) -> HttpResponse:
    """The program's reply time and web-form notice, for its directors (set-up hub)."""
    program = access_directed_program(request.user, program_id)
    current = IntakeSettings.for_program(program)
    form = SettingsForm(
        request.POST or None,
        initial={
            "reply_within_days": current.reply_within_days,
            "notify_email": current.notify_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            check_save_intake_settings(request.user, program, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Intake settings saved.")
            return redirect("intake:settings", program_id=program.public_id)
    return render(
        request,
        "intake/settings.html",
        {
            "program": program,
            "form": form,
            "web_form_url": request.build_absolute_uri(
                reverse("intake:inquire", kwargs={"program_id": program.public_id})
            ),
        },
    )
