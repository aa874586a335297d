"""Attendance: the take-attendance sheet and the program's weekly attendance dashboard.

Attendance rows are htmx fragments: a tap posts and gets the updated row back.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.views import add_error_messages, is_htmx
from trellis.participants.models import Episode, EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.scheduling import actions, occurrence_panels
from trellis.scheduling.access import (
    access_attendee,
    access_occurrence,
    access_schedule_program,
    can_manage_schedule,
    can_take_attendance,
    sees_clinical_attendance,
)
from trellis.scheduling.forms import (
    CancelForm,
    MarkForm,
    RescheduleForm,
    SubstituteForm,
    TopicForm,
    UndoForm,
    WalkInForm,
)
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.models import AttendanceStatus
from trellis.scheduling.queries import (
    Slot,
    attendance_for,
    expected_episodes,
    find_slot,
    notice_prefills_excused,
    notices_for_slot,
    occurrences_between,
    program_series,
    roster_for,
)
from trellis.scheduling.views._shared import form_errors, program_today, week_nav, week_start


def _attendance_slot(
    user: Any, series_id: uuid.UUID, occurrence_date: str, action: str = Action.UPDATE
) -> Slot:
    slot = access_occurrence(user, series_id, occurrence_date, action=action)
    if not can_take_attendance(user, slot):
        raise PermissionDenied(
            "Only this session's facilitators and the front desk take attendance."
        )
    return slot


def _rows(slot: Slot) -> tuple[list[dict[str, Any]], list[Episode]]:
    roster = roster_for([slot.series.pk], slot.date, slot.date)
    expected = expected_episodes(slot, roster)
    attendance_for([slot])
    marks = {a.episode_id: a for a in slot.attendance}
    notices = notices_for_slot(slot)
    rows = [
        {"episode": e, "mark": marks.get(e.pk), "walk_in": False, "notice": notices.get(e.pk)}
        for e in expected
    ]
    expected_ids = {e.pk for e in expected}
    rows += [
        {"episode": a.episode, "mark": a, "walk_in": True, "notice": notices.get(a.episode_id)}
        for a in slot.attendance
        if a.episode_id not in expected_ids
    ]
    return rows, expected


def _notice_display(user: Any, slot: Slot) -> dict[str, bool]:
    """How the sheet shows participants' notices: the reason for "can't come" only to those
    who see attendance clinically (sees_clinical_attendance: the program's director); the
    Excused button suggested when the program lets a notice pre-fill it."""
    program = slot.series.track.program
    return {
        "show_reasons": sees_clinical_attendance(user, program),
        "suggest_excused": notice_prefills_excused(program),
    }


def _row_context(
    slot: Slot, row: dict[str, Any], display: dict[str, bool], error: str = ""
) -> dict[str, Any]:
    return {
        "slot": slot,
        "row": row,
        "error": error,
        "statuses": TAP_STATUSES,
        **display,
    }


def _counter(rows: list[dict[str, Any]]) -> dict[str, int]:
    """ "3 of 5 marked": everyone on the sheet, walk-ins included."""
    return {"marked": sum(1 for r in rows if r["mark"] is not None), "total": len(rows)}


TAP_STATUSES = [
    (AttendanceStatus.PRESENT, "Present"),
    (AttendanceStatus.LATE, "Late"),
    (AttendanceStatus.LEFT_EARLY, "Left early"),
    (AttendanceStatus.ABSENT_EXCUSED, "Excused"),
    (AttendanceStatus.ABSENT_UNEXCUSED, "No-show"),
]


@staff_required()
def occurrence(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    """The take-attendance page (and, for schedule managers, this session's exceptions)."""
    slot = _attendance_slot(request.user, series_id, occurrence_date, Action.VIEW)
    program = slot.series.track.program
    rows, expected = _rows(slot)
    record_list(
        request.user,
        object_type="scheduling.occurrence",
        object_id=slot.key,
        participants=[r["episode"].participant for r in rows],
        purpose=Purpose.TREAT,
        detail={"results": len(rows)},
    )
    listed = {r["episode"].pk for r in rows}
    candidates = [
        e
        for e in Episode.objects.visible_to(request.user)
        .filter(program=program)
        .exclude(status=EpisodeStatus.DISCHARGED)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_name")
        if e.pk not in listed
    ]
    can_manage = can_manage_schedule(request.user, program)
    return render(
        request,
        "scheduling/occurrence.html",
        {
            "slot": slot,
            "program": program,
            "rows": rows,
            "statuses": TAP_STATUSES,
            **_counter(rows),
            "started": timezone.now() >= slot.starts_at,
            "expected_count": len(expected),
            "candidates": candidates,
            "walk_in_form": WalkInForm(),
            "can_manage": can_manage,
            "today": program_today(program),
            "cancel_form": CancelForm(),
            "reschedule_form": RescheduleForm(
                program,
                initial={
                    "new_date": slot.date,
                    "start_time": slot.start_time,
                    "duration_minutes": slot.duration_minutes,
                    "mode": slot.mode,
                    "room": slot.room.public_id if slot.room else None,
                    "telehealth_url": slot.telehealth_url,
                },
            ),
            "substitute_form": SubstituteForm(program),
            "topic_form": TopicForm(initial={"topic": slot.topic}),
            "panels": occurrence_panels.panels_for(request.user, slot),
            **_notice_display(request.user, slot),
        },
    )


def _row_response(
    request: AuthedRequest, slot: Slot, episode: Episode, error: str = ""
) -> HttpResponse:
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(
            "scheduling:occurrence",
            series_id=slot.series.public_id,
            occurrence_date=f"{slot.original_date:%Y-%m-%d}",
        )
    fresh = find_slot(slot.series.public_id, slot.original_date) or slot
    rows, _ = _rows(fresh)
    row = next(
        (r for r in rows if r["episode"].pk == episode.pk),
        {"episode": episode, "mark": None, "walk_in": False, "notice": None},
    )
    # The row, and the sheet's counter swapped out of band so "2 of 5 marked" follows each tap
    # (the forms queue their requests, so responses arrive in the order of the taps).
    html = render_to_string(
        "scheduling/occurrence.html#row",
        _row_context(fresh, row, _notice_display(request.user, fresh), error),
        request=request,
    ) + render_to_string(
        "scheduling/occurrence.html#counter", {**_counter(rows), "oob": True}, request=request
    )
    return HttpResponse(html)


@staff_required()
@require_POST
def mark(
    request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str, episode_id: uuid.UUID
) -> HttpResponse:
    slot = _attendance_slot(request.user, series_id, occurrence_date)
    episode = access_attendee(request.user, slot, episode_id, action=Action.UPDATE)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _row_response(request, slot, episode, " ".join(form_errors(form.errors)))
    status = form.cleaned_data["status"]
    minutes = form.cleaned_data.get("minutes") or 0
    try:
        actions.check_record_attendance(
            request.user,
            slot,
            episode,
            actions.Mark(
                status=status,
                minutes_late=minutes if status == AttendanceStatus.LATE else 0,
                minutes_left_early=minutes if status == AttendanceStatus.LEFT_EARLY else 0,
                mode=form.cleaned_data.get("mode") or "",
            ),
            reason=form.cleaned_data.get("reason") or "",
        )
    except ValidationError as error:
        return _row_response(request, slot, episode, " ".join(error.messages))
    return _row_response(request, slot, episode)


@staff_required()
@require_POST
def undo(
    request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str, episode_id: uuid.UUID
) -> HttpResponse:
    slot = _attendance_slot(request.user, series_id, occurrence_date)
    episode = access_attendee(request.user, slot, episode_id, action=Action.UPDATE)
    form = UndoForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        actions.check_undo_attendance(request.user, slot, episode, reason=reason or "")
    except ValidationError as error:
        return _row_response(request, slot, episode, " ".join(error.messages))
    return _row_response(request, slot, episode)


@staff_required()
@require_POST
def walk_in(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    slot = _attendance_slot(request.user, series_id, occurrence_date)
    program = slot.series.track.program
    form = WalkInForm(request.POST)
    back = redirect(
        "scheduling:occurrence",
        series_id=slot.series.public_id,
        occurrence_date=f"{slot.original_date:%Y-%m-%d}",
    )
    if not form.is_valid():
        for message in form_errors(form.errors):
            messages.error(request, message)
        return back
    open_in_program = Episode.objects.filter(program=program).exclude(
        status=EpisodeStatus.DISCHARGED
    )
    episode: Episode | None = None
    if form.cleaned_data.get("episode"):
        # The list only offers people the user may see; check it again on the way in.
        episode = (
            Episode.objects.visible_to(request.user)
            .filter(pk__in=open_in_program.values("pk"), public_id=form.cleaned_data["episode"])
            .select_related("participant", "program")
            .first()
        )
    elif form.cleaned_data.get("mrn"):
        # An exact MRN is a lookup, not a search: it reveals a name only to someone who
        # already has the person's record number in front of them.
        episode = (
            open_in_program.filter(participant__mrn__iexact=form.cleaned_data["mrn"].strip())
            .select_related("participant", "program")
            .first()
        )
    if episode is None:
        messages.error(request, "Choose a current participant of this program, or enter their MRN.")
        return back
    status = form.cleaned_data["status"]
    try:
        actions.check_record_attendance(
            request.user,
            slot,
            episode,
            actions.Mark(
                status=status,
                minutes_late=(form.cleaned_data.get("minutes") or 0)
                if status == AttendanceStatus.LATE
                else 0,
            ),
            walk_in_reason=form.cleaned_data["reason"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, f"{episode.participant.display_name} added as a walk-in.")
    return back


@staff_required()
@require_POST
def complete(request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str) -> HttpResponse:
    slot = _attendance_slot(request.user, series_id, occurrence_date)
    _, expected = _rows(slot)
    try:
        actions.check_complete_attendance(request.user, slot, expected)
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Attendance complete and locked.")
    return redirect(
        "scheduling:occurrence",
        series_id=slot.series.public_id,
        occurrence_date=f"{slot.original_date:%Y-%m-%d}",
    )


@staff_required()
def dashboard(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """Participants × days of one ISO week, weekly totals against the minimum, and flags.

    Rows are the episodes the user may see (privacy decides: a clinician sees their care
    team, front desk and directors the program). Colouring and flags are shown only where
    the user sees the episode clinically.
    """
    program = access_schedule_program(request.user, program_id)
    today = program_today(program)
    monday = week_start(request, today)
    nav = week_nav(monday)
    episodes = list(
        Episode.objects.visible_to(request.user)
        .filter(program=program)
        .filter(admitted_on__isnull=False, admitted_on__lte=nav["sunday"])
        .exclude(discharged_on__lt=monday)
        .select_related("participant", "program", "track")
        .order_by("participant__family_name", "participant__given_name", "pk")
    )
    series = program_series(program, monday, nav["sunday"])
    slots = occurrences_between(series, monday, nav["sunday"])
    ledger = week_hours(episodes, monday, slots=slots)
    clinical = sees_clinical_attendance(request.user, program)
    flags = flags_for(episodes, min(today, nav["sunday"])) if clinical else {}
    record_list(
        request.user,
        object_type="scheduling.attendance",
        object_id=str(program.public_id),
        participants=[e.participant for e in episodes],
        purpose=Purpose.TREAT,
        detail={"week": nav["week_label"], "results": len(episodes)},
    )
    rows = [{"episode": e, "week": ledger[e.pk], "flags": flags.get(e.pk, [])} for e in episodes]
    return render(
        request,
        "scheduling/dashboard.html",
        {
            **nav,
            "program": program,
            "rows": rows,
            "clinical": clinical,
            "flagged": [r for r in rows if r["flags"]],
        },
    )


def attendance_url(slot: Slot) -> str:
    return reverse(
        "scheduling:occurrence",
        kwargs={
            "series_id": slot.series.public_id,
            "occurrence_date": f"{slot.original_date:%Y-%m-%d}",
        },
    )
