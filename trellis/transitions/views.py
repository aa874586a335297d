"""Discharge from the chart, the discharge summary with its aftercare plan (draft, sign,
addenda), the participant's printable copy, and a participant's own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.lib.views import add_error_messages, apply_validation_error, posted_revision
from trellis.participants.models import DischargeReason
from trellis.privacy.access import Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.transitions import actions
from trellis.transitions.access import access_discharge, access_summary
from trellis.transitions.forms import AddendumForm, AppointmentForm, DischargeForm, SummaryForm
from trellis.transitions.models import DischargeSummary
from trellis.transitions.queries import (
    discharge_owners,
    figures_of,
    follow_ups,
    last_attended_on,
    open_items,
    plain_measures,
    summaries_of,
)


@staff_required()
def discharge(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Discharge the participant's open episode: reason, date, and a decision for every open
    worklist item; then on to the summary."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    access, episode = access_discharge(request.user, public_id, action=action)
    today = episode.program.organization.today()
    last_attended = last_attended_on(episode)
    items = open_items(episode)
    possible_owners = discharge_owners(episode, items)
    initial_date = today
    if request.GET.get("reason") == DischargeReason.DROPPED_OUT and last_attended:
        initial_date = last_attended
    form = DischargeForm(
        request.POST or None,
        initial={"discharged_on": initial_date, "reason": request.GET.get("reason", "")},
    )
    item_errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        owners = {str(u.public_id): u for u in possible_owners}
        choices = {str(a.public_id): request.POST.get(f"item_{a.public_id}", "") for a in items}
        decisions = actions.parse_decisions(items, choices, owners)
        reason = form.cleaned_data["reason"]
        discharged_on = form.cleaned_data["discharged_on"]
        if discharged_on is None and reason == DischargeReason.DROPPED_OUT:
            discharged_on = last_attended
        try:
            summary = actions.check_discharge_episode(
                request.user,
                episode,
                discharged_on=discharged_on,
                reason=reason,
                decisions=decisions,
            )
        except ValidationError as error:
            item_errors = {
                k: " ".join(v) for k, v in error.message_dict.items() if k.startswith("item_")
            }
            rest = {k: v for k, v in error.message_dict.items() if not k.startswith("item_")}
            if rest:
                apply_validation_error(form, ValidationError(rest))
            if item_errors and not rest:
                form.add_error(None, "Decide what happens to each open item below.")
        else:
            messages.success(request, "Discharged. Write the summary and the aftercare plan.")
            return redirect("transitions:summary", summary_id=summary.public_id)
    rows = [
        {
            "alert": a,
            "owners": possible_owners,
            "chosen": request.POST.get(f"item_{a.public_id}", ""),
            "error": item_errors.get(f"item_{a.public_id}", ""),
        }
        for a in items
    ]
    context = {
        "participant": access.participant,
        "episode": episode,
        "form": form,
        "rows": rows,
        "last_attended": last_attended,
        "today": today,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "transitions/discharge.html", context, status=status)


def _summary_context(summary: DischargeSummary, **extra: Any) -> dict[str, Any]:
    plan = summary.aftercare
    return {
        "summary": summary,
        "episode": summary.episode,
        "participant": summary.episode.participant,
        "figures": (figures := figures_of(summary)),
        "plain_measures": plain_measures(figures),
        "plan": plan,
        "appointments": list(plan.appointments.all()),
        "follow_ups": list(follow_ups(plan)),
        "today": summary.episode.program.organization.today(),
        "addenda": list(summary.addenda.all()),
        "missing": actions.missing_for_signing(summary) if not summary.is_signed else {},
    } | extra


@staff_required()
def summary_page(request: AuthedRequest, summary_id: str) -> HttpResponse:
    """The summary: figures from the record, the narrative and aftercare plan while a draft,
    signing; once signed, read-only with addenda."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    summary = access_summary(request.user, summary_id, action=action)
    plan = summary.aftercare
    form = SummaryForm(
        request.POST or None,
        initial={
            "narrative": summary.narrative,
            "step_down_level": plan.step_down_level,
            "provider": plan.provider,
            "alumni_group": plan.alumni_group,
            "crisis_steps": plan.crisis_steps,
            "notes_for_participant": plan.notes_for_participant,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_save_summary(
                request.user,
                summary,
                narrative=data["narrative"],
                aftercare=actions.AftercareInput(
                    step_down_level=data["step_down_level"],
                    provider=data["provider"],
                    alumni_group=data["alumni_group"],
                    crisis_steps=data["crisis_steps"],
                    notes_for_participant=data["notes_for_participant"],
                ),
                revision=posted_revision(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("transitions:summary", summary_id=summary.public_id)
    status = 422 if request.method == "POST" else 200
    context = _summary_context(
        summary, form=form, appointment_form=AppointmentForm(), addendum_form=AddendumForm()
    )
    return render(request, "transitions/summary.html", context, status=status)


@staff_required()
@require_POST
def add_appointment(request: AuthedRequest, summary_id: str) -> HttpResponse:
    summary = access_summary(request.user, summary_id, action=Action.UPDATE)
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the appointment's date and time as a date and a time.")
    else:
        try:
            actions.check_add_appointment(
                request.user,
                summary,
                starts_at=form.cleaned_data["starts_at"],
                with_whom=form.cleaned_data["with_whom"],
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, "Appointment added.")
    return redirect("transitions:summary", summary_id=summary.public_id)


@staff_required()
@require_POST
def remove_appointment(request: AuthedRequest, summary_id: str) -> HttpResponse:
    summary = access_summary(request.user, summary_id, action=Action.UPDATE)
    try:
        actions.check_remove_appointment(request.user, summary, request.POST.get("appointment", ""))
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Appointment removed.")
    return redirect("transitions:summary", summary_id=summary.public_id)


@staff_required()
@require_POST
def sign(request: AuthedRequest, summary_id: str) -> HttpResponse:
    summary = access_summary(request.user, summary_id, action=Action.SIGN)
    try:
        actions.check_sign_summary(
            request.user,
            summary,
            typed_name=request.POST.get("typed_name", ""),
            password=request.POST.get("password", ""),
            revision=posted_revision(request),
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(
            request, "Signed. The participant can now read their aftercare plan and summary."
        )
    return redirect("transitions:summary", summary_id=summary.public_id)


@staff_required()
@require_POST
def add_addendum(request: AuthedRequest, summary_id: str) -> HttpResponse:
    summary = access_summary(request.user, summary_id, action=Action.UPDATE)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the addendum (under 20,000 characters).")
    else:
        try:
            actions.check_add_summary_addendum(
                request.user, summary, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, "Addendum added.")
    return redirect("transitions:summary", summary_id=summary.public_id)


@staff_required()
def printable(request: AuthedRequest, summary_id: str) -> HttpResponse:
    """The participant's copy of the aftercare plan, to print and hand over."""
    summary = access_summary(request.user, summary_id)
    return render(request, "transitions/print.html", _summary_context(summary, staff=True))


@login_required
def my_aftercare(request: AuthedRequest) -> HttpResponse:
    """A participant's own aftercare plans and discharge summaries, in plain words: signed
    ones only (a draft is still the clinician's)."""
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    access = access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )
    summaries = summaries_of(access.episodes)
    entries = [_summary_context(s) for s in summaries]
    return render(
        request,
        "transitions/mine.html",
        {"participant": access.participant, "entries": entries},
    )
