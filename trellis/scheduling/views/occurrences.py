"""Changes to the schedule: one session's exceptions, the program's closure days."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.privacy.decorators import staff_required
from trellis.scheduling import actions
from trellis.scheduling.access import (
    access_occurrence,
    access_schedule_program,
    can_manage_schedule,
)
from trellis.scheduling.forms import (
    CancelForm,
    ClosureForm,
    RescheduleForm,
    SubstituteForm,
    TopicForm,
)
from trellis.scheduling.models import ProgramClosure
from trellis.scheduling.views._shared import program_today


@staff_required()
@require_POST
def change(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    """One exception to one occurrence: cancel, restore, reschedule, substitute, topic."""
    slot = access_occurrence(request.user, series_id, occurrence_date, action=Action.UPDATE)
    program = slot.series.track.program
    if not can_manage_schedule(request.user, program):
        raise PermissionDenied("Only directors and front desk change the schedule.")
    kind = request.POST.get("change", "")
    try:
        if kind == "cancel":
            cancel = CancelForm(request.POST)
            if not cancel.is_valid():
                raise ValidationError({"reason": "Give the reason for cancelling."})
            actions.do_cancel_occurrence(request.user, slot, cancel.cleaned_data["reason"])
        elif kind == "restore":
            actions.do_restore_occurrence(request.user, slot)
        elif kind == "reschedule":
            move = RescheduleForm(program, request.POST)
            if not move.is_valid():
                raise ValidationError(move.errors.get_json_data())
            data = move.cleaned_data
            actions.check_reschedule_occurrence(
                request.user,
                slot,
                new_date=data["new_date"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                room=data.get("room"),
                telehealth_url=data.get("telehealth_url") or "",
                override_reason=data.get("override_reason") or "",
            )
        elif kind == "substitute":
            sub = SubstituteForm(program, request.POST)
            if not sub.is_valid():
                raise ValidationError({"substitute": "Choose who covers the session."})
            actions.check_substitute_facilitator(
                request.user,
                slot,
                substitute=sub.cleaned_data["substitute"],
                replaced=sub.cleaned_data.get("replaced"),
            )
        elif kind == "topic":
            topic = TopicForm(request.POST)
            if not topic.is_valid():
                raise ValidationError({"topic": "Enter the topic."})
            actions.do_change_topic(request.user, slot, topic.cleaned_data["topic"])
        else:
            raise ValidationError({"change": "Unknown change."})
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Session updated.")
    return redirect(
        "scheduling:occurrence",
        series_id=slot.series.public_id,
        occurrence_date=f"{slot.original_date:%Y-%m-%d}",
    )


@staff_required()
def closures(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_schedule_program(request.user, program_id, action=action)
    can_manage = can_manage_schedule(request.user, program)
    form = ClosureForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only directors and front desk close the program.")
        if form.is_valid():
            try:
                actions.check_add_closure(
                    request.user, program, form.cleaned_data["date"], form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Closure added: every session that day is cancelled.")
                return redirect("scheduling:closures", program_id=program.public_id)
    return render(
        request,
        "scheduling/closures.html",
        {
            "program": program,
            "form": form,
            "can_manage": can_manage,
            "closures": ProgramClosure.objects.filter(
                program=program, date__gte=program_today(program) - timedelta(days=365)
            ),
        },
        status=422 if request.method == "POST" else 200,
    )
