"""Screening pages: the inquiry's screening (send a link, screen now, results, the
recommendation and the decision), staff entry of the battery, and the person's one-time link.

Directors and intake coordinators start screenings; the program's clinicians see results and
decide (`access_screening`); the front desk gets the audited 404 everywhere here."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.intake.access import access_inquiry, access_screening, may_decide_level_of_care
from trellis.intake.actions import (
    check_decide_level_of_care,
    check_start_screening,
    do_note_screening_progress,
)
from trellis.intake.forms import DecisionForm, StartScreeningForm
from trellis.intake.models import Inquiry, InquiryStatus, Screening, ScreeningChannel
from trellis.intake.queries import (
    battery,
    open_tracks,
    program_rules,
    screening_facts,
    screening_for_link,
    screening_view,
)
from trellis.intake.rules import recommend
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.measures.actions import check_submit_response
from trellis.measures.forms import KEY_FIELD, answers_from_post, form_items, submission_key
from trellis.measures.models import Administration, Channel
from trellis.measures.registry import get_instrument
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Track


def _page(request: AuthedRequest, inquiry: Inquiry, role: str, **extra: Any) -> HttpResponse:
    view = screening_view(inquiry)
    recommendation = None
    if view.screening is not None and view.screening.is_complete:
        rules, _own = program_rules(inquiry.program)
        recommendation = recommend(rules, screening_facts(inquiry, view))
    tracks = [(str(t.id), t.name) for t in open_tracks(inquiry.program)]
    context = {
        "inquiry": inquiry,
        "view": view,
        "recommendation": recommendation,
        "starts": role != "clinician",
        "decides": may_decide_level_of_care(request.user, inquiry.program),
        "needs_record": inquiry.participant is None,
        "start_form": StartScreeningForm(),
        "decision_form": DecisionForm(tracks),
        "waiting": inquiry.status == InquiryStatus.DECISION,
    } | extra
    return render(request, "intake/screening.html", context, status=422 if extra else 200)


@staff_required()
def screening(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    if request.method != "POST":
        access = access_screening(request.user, inquiry_id)
        return _page(request, access.inquiry, access.role)
    # Starting a screening: directors and intake coordinators only.
    access = access_inquiry(request.user, inquiry_id, clinical=True, action=Action.UPDATE)
    inquiry = access.inquiry
    form = StartScreeningForm(request.POST)
    channel = (
        ScreeningChannel.STAFF if request.POST.get("action") == "now" else ScreeningChannel.LINK
    )
    if form.is_valid():
        try:
            check_start_screening(
                request.user,
                inquiry,
                channel=channel,
                mrn=form.cleaned_data["mrn"] or "",
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
    if not form.is_valid() or form.errors:
        return _page(request, inquiry, access.role, start_form=form)
    if channel == ScreeningChannel.STAFF:
        return redirect("intake:screen-now", inquiry_id=inquiry.public_id)
    messages.success(
        request, f"Screening link sent to {inquiry.email}. It works once, for 72 hours."
    )
    return redirect("intake:screening", inquiry_id=inquiry.public_id)


@require_POST
@staff_required()
def decide(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    access = access_screening(request.user, inquiry_id, action=Action.UPDATE)
    inquiry = access.inquiry
    if not may_decide_level_of_care(request.user, inquiry.program):
        messages.error(request, "Only a clinician of the program decides the level of care.")
        return redirect("intake:screening", inquiry_id=inquiry.public_id)
    view = screening_view(inquiry)
    if view.screening is None or not view.screening.is_complete:
        messages.error(request, "The screening is not complete yet.")
        return redirect("intake:screening", inquiry_id=inquiry.public_id)
    rules, _own = program_rules(inquiry.program)
    recommendation = recommend(rules, screening_facts(inquiry, view))
    tracks = {str(t.id): t for t in open_tracks(inquiry.program)}
    form = DecisionForm([(k, t.name) for k, t in tracks.items()], request.POST)
    if form.is_valid():
        track_id = form.cleaned_data["track"]
        track = Track.objects.filter(pk=int(track_id)).first() if track_id else None
        try:
            check_decide_level_of_care(
                request.user,
                inquiry,
                recommendation,
                accept=form.cleaned_data["choice"] == "accept",
                level=form.cleaned_data["level"],
                track=track,
                rationale=form.cleaned_data["rationale"],
                destination=form.cleaned_data["destination"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
    if not form.is_valid() or form.errors:
        return _page(request, inquiry, access.role, decision_form=form)
    messages.success(request, "Decision recorded.")
    return redirect("intake:screening", inquiry_id=inquiry.public_id)


# --- the battery, question by question --------------------------------------------------


def _next_open(screening: Screening) -> tuple[Administration | None, int, int]:
    rows = battery(screening)
    for n, administration in enumerate(rows, start=1):
        if administration.is_open:
            return administration, n, len(rows)
    return None, len(rows), len(rows)


def _battery_form(
    request: HttpRequest,
    screening: Screening,
    administration: Administration,
    position: tuple[int, int],
    *,
    answers: dict[str, str] | None = None,
    errors: dict[str, Any] | None = None,
    mode: str,
    status: int = 200,
) -> HttpResponse:
    instrument = get_instrument(administration.instrument_code, administration.instrument_version)
    answers = answers or {}
    errors = errors or {}
    items = form_items(instrument, answers, errors)
    acuity = instrument.acuity
    if acuity is not None and not instrument.asks_acuity(answers):
        items = [row for row in items if row["item"].link_id != acuity.item]
    asking_acuity = acuity is not None and instrument.asks_acuity(answers)
    return render(
        request,
        "intake/battery_form.html",
        {
            "screening": screening,
            "instrument": instrument,
            "items": items,
            "number": position[0],
            "count": position[1],
            "errors": errors,
            "asking_acuity": asking_acuity and acuity is not None and acuity.item not in answers,
            "key_field": KEY_FIELD,
            "key": str(uuid.uuid4()),
            "mode": mode,
            "first_name": screening.inquiry.preferred_name or screening.inquiry.given_name,
        },
        status=status,
    )


def _walk(
    request: HttpRequest, screening: Screening, actor: User | None, mode: str, done_url: str
) -> HttpResponse:
    administration, number, count = _next_open(screening)
    if administration is None:
        do_note_screening_progress(actor, screening)
        return redirect(done_url)
    if request.method != "POST":
        return _battery_form(request, screening, administration, (number, count), mode=mode)
    instrument = get_instrument(administration.instrument_code, administration.instrument_version)
    answers = answers_from_post(instrument, request.POST)
    acuity = instrument.acuity
    if acuity is not None and instrument.asks_acuity(answers) and acuity.item not in answers:
        # The ASQ's item 5 is asked only after a "yes": show it, keep the answers.
        return _battery_form(
            request, screening, administration, (number, count), answers=answers, mode=mode
        )
    try:
        check_submit_response(
            actor,
            administration,
            answers,
            channel=Channel.STAFF if mode == "staff" else Channel.LINK,
            idempotency_key=submission_key(request.POST),
        )
    except ValidationError as error:
        errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        return _battery_form(
            request,
            screening,
            administration,
            (number, count),
            answers=answers,
            errors=errors,
            mode=mode,
            status=422,
        )
    if do_note_screening_progress(actor, screening):
        return redirect(done_url)
    return redirect(request.path)


def battery_link(request: HttpRequest, token: str) -> HttpResponse:
    """The person's one-time link: every questionnaire of the battery in turn, no sign-in.
    A used, replaced, expired or mistyped link gets a page that reveals nothing."""
    screening = screening_for_link(token)
    if screening is None:
        return render(request, "intake/battery_closed.html", {"reason": "unknown"}, status=404)
    if screening.is_expired or not screening.inquiry.is_open:
        return render(request, "intake/battery_closed.html", {"reason": "expired"}, status=410)
    return _walk(request, screening, None, "link", reverse("intake:battery-done"))


def battery_done(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/battery_done.html", {})


@staff_required()
def screen_now(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    """Staff complete the battery with the person on the phone (recorded as entered by
    staff). Directors and intake coordinators only."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    access = access_inquiry(
        request.user, inquiry_id, clinical=True, action=action, purpose=Purpose.TREAT
    )
    view = screening_view(access.inquiry)
    screening_ = view.screening
    if screening_ is None or screening_.is_complete or screening_.is_expired:
        if screening_ is None or not screening_.is_complete:
            add_error_messages(request, ValidationError("Start a screening first: “Screen now”."))
        return redirect("intake:screening", inquiry_id=access.inquiry.public_id)
    done = reverse("intake:screening", kwargs={"inquiry_id": access.inquiry.public_id})
    return _walk(request, screening_, request.user, "staff", done)
