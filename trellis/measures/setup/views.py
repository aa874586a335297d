"""Check-in set-up pages: a program's schedules (its directors: list, add, edit, retire), one
episode's exception to a schedule (its care team, from the Measures tab), and importing an
instrument (administrators and directors: upload, preview, confirm)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.lib.ids import lookup_id
from trellis.lib.views import apply_validation_error
from trellis.measures.actions import (
    OverrideMode,
    ScheduleData,
    check_create_schedule,
    check_import_instrument,
    check_instrument_definition,
    check_retire_schedule,
    check_set_override,
    check_update_schedule,
)
from trellis.measures.models import Schedule, ScheduleKind
from trellis.measures.queries import (
    episode_schedules,
    imported_instruments,
    measures_episode,
    program_schedules,
)
from trellis.measures.registry import available_codes
from trellis.measures.setup.forms import (
    LARGEST_DEFINITION,
    InstrumentUploadForm,
    OverrideForm,
    ScheduleForm,
)
from trellis.participants.chart import chart_context
from trellis.privacy.access import Scope, access_directed_program, access_participant, deny_object
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program, Role


def _schedule_data(cleaned: dict[str, Any]) -> ScheduleData:
    return ScheduleData(
        instrument_code=cleaned["instrument_code"],
        kind=cleaned["kind"],
        weekday=cleaned["weekday"],
        offset_days=cleaned["offset_days"] or 0,
        window_days=cleaned["window_days"],
    )


def _schedules_page(
    request: AuthedRequest, program: Program, form: ScheduleForm, status: int = 200
) -> HttpResponse:
    schedules = program_schedules(program)
    return render(
        request,
        "measures/schedules.html",
        {
            "program": program,
            "form": form,
            "active": [s for s in schedules if s.is_active],
            "retired": [s for s in schedules if not s.is_active],
            "never_set": not schedules,
        },
        status=status,
    )


@staff_required()
def schedules(request: AuthedRequest, program_id: str) -> HttpResponse:
    """The program's check-in schedules, and a form to add one."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    form = ScheduleForm(request.POST or None, codes=available_codes())
    if request.method == "POST" and form.is_valid():
        try:
            check_create_schedule(request.user, program, _schedule_data(form.cleaned_data))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Check-in schedule added.")
            return redirect("measures:schedules", program_id=program.public_id)
    return _schedules_page(request, program, form, status=422 if form.is_bound else 200)


def _program_schedule(user: Any, program: Program, schedule_id: str) -> Schedule:
    schedule = program.measure_schedules.filter(public_id=lookup_id(schedule_id)).first()
    if schedule is None:
        raise deny_object(
            user, object_type="measures.schedule", object_id=schedule_id, purpose=Purpose.HOPERAT
        )
    return schedule


@staff_required()
def schedule_edit(request: AuthedRequest, program_id: str, schedule_id: str) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    program = access_directed_program(request.user, program_id, action=action)
    schedule = _program_schedule(request.user, program, schedule_id)
    initial = {
        "instrument_code": schedule.instrument_code,
        "kind": schedule.kind,
        "weekday": schedule.weekday,
        "offset_days": schedule.offset_days,
        "window_days": schedule.window_days,
    }
    form = ScheduleForm(
        request.POST or None, initial=initial, codes=available_codes(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = _schedule_data(form.cleaned_data)
        try:
            check_update_schedule(
                request.user,
                schedule,
                weekday=data.weekday,
                offset_days=data.offset_days,
                window_days=data.window_days,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Check-in schedule saved.")
            return redirect("measures:schedules", program_id=program.public_id)
    return render(
        request,
        "measures/schedule_edit.html",
        {"program": program, "schedule": schedule, "form": form},
        status=422 if form.is_bound else 200,
    )


@require_POST
@staff_required()
def schedule_retire(request: AuthedRequest, program_id: str, schedule_id: str) -> HttpResponse:
    program = access_directed_program(request.user, program_id, action=Action.UPDATE)
    schedule = _program_schedule(request.user, program, schedule_id)
    try:
        check_retire_schedule(request.user, schedule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{schedule} retired: no new check-ins from it.")
    return redirect("measures:schedules", program_id=program.public_id)


@staff_required()
def episode_override(request: AuthedRequest, public_id: str, schedule_id: str) -> HttpResponse:
    """Pause a check-in for this episode, or move its weekly day, with a reason."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL, action=action
    )
    episode = measures_episode(access)
    row = next(
        (
            r
            for r in (episode_schedules(episode) if episode is not None else [])
            if str(r.schedule.public_id) == str(lookup_id(schedule_id))
        ),
        None,
    )
    if episode is None or row is None:
        raise deny_object(
            request.user,
            object_type="measures.schedule",
            object_id=schedule_id,
            participant=access.participant,
            purpose=Purpose.TREAT,
        )
    override = row.override
    initial: dict[str, Any] = {"mode": OverrideMode.PROGRAM}
    if override is not None:
        initial = {
            "mode": OverrideMode.PAUSE
            if override.skip
            else OverrideMode.WEEKDAY
            if override.weekday is not None
            else OverrideMode.PROGRAM,
            "weekday": override.weekday,
        }
    weekly = row.schedule.kind == ScheduleKind.WEEKLY
    form = OverrideForm(request.POST or None, initial=initial, weekly=weekly)
    if request.method == "POST" and form.is_valid():
        try:
            check_set_override(
                request.user,
                episode,
                row.schedule,
                mode=form.cleaned_data["mode"],
                weekday=form.cleaned_data.get("weekday"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Check-in schedule changed for this episode.")
            return redirect("measures:chart-tab", public_id=access.participant.public_id)
    context = chart_context(access, "measures") | {
        "episode": episode,
        "row": row,
        "form": form,
    }
    return render(request, "measures/override.html", context, status=422 if form.is_bound else 200)


# --- importing an instrument ------------------------------------------------------------------

IMPORTERS = (Role.ADMINISTRATOR, Role.PROGRAM_DIRECTOR)


def _read_definition(raw: bytes) -> Any:
    """The uploaded file as JSON, or ValidationError naming the line and column."""
    if len(raw) > LARGEST_DEFINITION:
        raise ValidationError({"definition": "The file is over 1 MB: is it an instrument file?"})
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ValidationError({"definition": "The file is not UTF-8 text."}) from error
    except json.JSONDecodeError as error:
        raise ValidationError(
            {"definition": f"Line {error.lineno}, column {error.colno}: {error.msg}."}
        ) from error


@staff_required()
def instrument_import(request: AuthedRequest) -> HttpResponse:
    """Upload an instrument file, see what it would import, then confirm. Validated exactly
    as `manage.py import_instrument` validates it; nothing is stored until confirmed, and a
    refused file stores nothing."""
    if not grants_for(request.user).holds_any(IMPORTERS):
        raise deny_object(
            request.user,
            object_type="measures.importedinstrument",
            object_id="import",
            purpose=Purpose.HOPERAT,
        )
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    preview = None
    definition_text = ""
    if request.method == "POST" and request.POST.get("confirm"):
        definition_text = request.POST.get("definition_json", "")
        try:
            row = check_import_instrument(
                request.user, _read_definition(definition_text.encode("utf-8"))
            )
        except ValidationError as error:
            problems = error.message_dict.get("definition", error.messages)
        else:
            messages.success(request, f"Imported {row.code} version {row.version}.")
            return redirect("measures:instrument-import")
        form = InstrumentUploadForm()
    elif request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["definition"].read(LARGEST_DEFINITION + 1)
        try:
            data = _read_definition(raw)
            preview = check_instrument_definition(data)
        except ValidationError as error:
            problems = error.message_dict.get("definition", error.messages)
        else:
            definition_text = json.dumps(data)
    return render(
        request,
        "measures/instrument_import.html",
        {
            "form": form,
            "problems": problems,
            "preview": preview,
            "definition_text": definition_text,
            "imported": imported_instruments(),
        },
        status=422 if problems or form.errors else 200,
    )
