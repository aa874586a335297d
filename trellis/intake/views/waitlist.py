"""Waitlists: each track's line (position, waiting since, expected start), putting an
inquiry on one, and the coordinator's moves: reorder with a reason, offer the first person
a start date, record their answer (accept opens the admission page prefilled)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.intake.access import (
    access_inquiry,
    access_waitlist,
    access_waitlist_entry,
    inquiry_programs,
)
from trellis.intake.actions import (
    check_add_to_waitlist,
    check_decline_offer,
    check_leave_waitlist,
    check_move_entry,
    check_offer_seat,
)
from trellis.intake.forms import DeclineForm, LeaveForm, MoveForm, OfferForm, WaitlistForm
from trellis.intake.models import WaitlistEntry, WaitlistStatus
from trellis.intake.queries import program_waitlists, seats_taken, waitlist_rows
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.privacy.decorators import staff_required


@staff_required()
def index(request: AuthedRequest) -> HttpResponse:
    """Every track of the programs whose inquiries the user works, with how many wait."""
    programs = [(p, program_waitlists(p)) for p in inquiry_programs(request.user)]
    return render(request, "intake/waitlists.html", {"programs": programs})


@staff_required()
def track(request: AuthedRequest, track_id: uuid.UUID) -> HttpResponse:
    gate = access_waitlist(request.user, track_id)
    line = gate.track
    today = line.program.organization.today()
    rows = waitlist_rows(line, today)
    record_list(
        request.user,
        object_type="intake.waitlistentry",
        participants=[row.entry.episode.participant for row in rows],
        purpose=Purpose.HOPERAT,
        role=gate.role,
        detail={"track": str(line.public_id)},
    )
    return render(
        request,
        "intake/waitlist.html",
        {
            "track": line,
            "rows": rows,
            "manages": gate.manages,
            "taken": seats_taken(line),
            "today": today,
            "leave_form": LeaveForm(),
            "decline_form": DeclineForm(),
        },
    )


@staff_required()
def add(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    """Put a decided inquiry on a track's waitlist."""
    posting = request.method == "POST"
    inquiry = access_inquiry(
        request.user, inquiry_id, clinical=True, action=Action.UPDATE if posting else Action.VIEW
    ).inquiry
    tracks = list(inquiry.program.tracks.filter(is_active=True).order_by("name"))
    needs_record = inquiry.episode is None or not inquiry.episode.is_open
    form = WaitlistForm(request.POST if posting else None, tracks=tracks, needs_record=needs_record)
    if posting and form.is_valid():
        data = form.cleaned_data
        try:
            entry = check_add_to_waitlist(
                request.user, inquiry, data["track"], step_down=data["step_down"],
                mrn=data.get("mrn") or "", date_of_birth=data.get("date_of_birth"),
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{inquiry.display_name} is on the {entry.track.name} waitlist at position "
                f"{entry.rank}.",
            )
            return redirect("intake:waitlist", track_id=entry.track.public_id)
    return render(
        request,
        "intake/waitlist_add.html",
        {"inquiry": inquiry, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


def _back(entry: WaitlistEntry) -> HttpResponse:
    return redirect("intake:waitlist", track_id=entry.track.public_id)


@staff_required()
@require_POST
def move(request: AuthedRequest, waitlist_entry_id: uuid.UUID) -> HttpResponse:
    entry = access_waitlist_entry(request.user, waitlist_entry_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new position (a number) and the reason.")
        return _back(entry)
    try:
        check_move_entry(
            request.user, entry, form.cleaned_data["position"], form.cleaned_data["reason"]
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(
            request,
            f"{entry.inquiry.display_name} is now at position {form.cleaned_data['position']}.",
        )
    return _back(entry)


@staff_required()
@require_POST
def offer(request: AuthedRequest, waitlist_entry_id: uuid.UUID) -> HttpResponse:
    entry = access_waitlist_entry(request.user, waitlist_entry_id)
    form = OfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the start date offered.")
        return _back(entry)
    try:
        check_offer_seat(request.user, entry, form.cleaned_data["offered_start"])
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(
            request,
            f"Offer recorded: {entry.inquiry.display_name} may start on "
            f"{entry.offered_start:%A %b %-d}. Call them, then record their answer.",
        )
    return _back(entry)


@staff_required()
@require_POST
def accept(request: AuthedRequest, waitlist_entry_id: uuid.UUID) -> HttpResponse:
    """They said yes: the admission page, prefilled with the track and the offered date."""
    entry = access_waitlist_entry(request.user, waitlist_entry_id, action=Action.VIEW)
    if entry.status != WaitlistStatus.OFFERED or entry.offered_start is None:
        messages.error(request, "There is no open offer to accept.")
        return _back(entry)
    query = urlencode(
        {"track": str(entry.track.public_id), "start": entry.offered_start.isoformat()}
    )
    return redirect(
        reverse("intake:admit", kwargs={"inquiry_id": entry.inquiry.public_id}) + "?" + query
    )


@staff_required()
@require_POST
def decline(request: AuthedRequest, waitlist_entry_id: uuid.UUID) -> HttpResponse:
    entry = access_waitlist_entry(request.user, waitlist_entry_id)
    form = DeclineForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        check_decline_offer(
            request.user, entry, leave=bool(data.get("leave")),
            leave_reason=data.get("leave_reason") or "",
        )  # fmt: skip
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Their answer is recorded.")
    return _back(entry)


@staff_required()
@require_POST
def leave(request: AuthedRequest, waitlist_entry_id: uuid.UUID) -> HttpResponse:
    entry = access_waitlist_entry(request.user, waitlist_entry_id)
    form = LeaveForm(request.POST)
    form.is_valid()
    try:
        check_leave_waitlist(request.user, entry, form.cleaned_data.get("leave_reason") or "")
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, f"{entry.inquiry.display_name} has left the waitlist.")
    return _back(entry)
