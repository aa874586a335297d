"""Schedule pages: program week, room week, my week, series, occurrences and attendance.

Access first (scheduling.access on top of privacy's grants), then the form, then the action.
Attendance rows are htmx fragments: a tap posts and gets the updated row back.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.clock import local_today
from trellis.lib.ids import lookup_id
from trellis.lib.views import add_error_messages, apply_validation_error, is_htmx
from trellis.participants.models import Episode, EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Program, Room, Track
from trellis.scheduling import actions, recurrence
from trellis.scheduling.access import (
    access_attendee,
    access_occurrence,
    access_schedule_program,
    access_series,
    can_manage_schedule,
    can_take_attendance,
    facilitates,
    schedule_programs,
    sees_clinical_attendance,
)
from trellis.scheduling.forms import (
    CancelForm,
    ClosureForm,
    MarkForm,
    RescheduleForm,
    RosterForm,
    SeriesForm,
    SubstituteForm,
    TopicForm,
    UndoForm,
    WalkInForm,
)
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.models import AttendanceStatus, ProgramClosure
from trellis.scheduling.queries import (
    Slot,
    attendance_for,
    expected_episodes,
    find_slot,
    occurrences_between,
    program_series,
    roster_for,
    series_for_facilitator,
    series_queryset,
)

# --- helpers ------------------------------------------------------------------------------


def _week_start(request: AuthedRequest, today: date) -> date:
    return recurrence.parse_iso_week(request.GET.get("week", "")) or recurrence.iso_week_start(
        today
    )


def _local_today(program: Program) -> date:
    return program.organization.today()


def _week_nav(monday: date) -> dict[str, Any]:
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [monday + timedelta(days=n) for n in range(7)],
        "week_label": recurrence.iso_week_label(monday),
        "previous_week": recurrence.iso_week_label(monday - timedelta(days=7)),
        "next_week": recurrence.iso_week_label(monday + timedelta(days=7)),
    }


def _by_day(slots: list[Slot], days: list[date]) -> list[tuple[date, list[Slot]]]:
    grouped: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.date].append(slot)
    return [(day, grouped.get(day, [])) for day in days]


def _form_errors(form_errors: Any) -> list[str]:
    return [str(message) for messages_ in form_errors.values() for message in messages_]


# --- weeks --------------------------------------------------------------------------------


@staff_required()
def week(request: AuthedRequest) -> HttpResponse:
    """A program's week, track by track."""
    programs = list(schedule_programs(request.user))
    if not programs:
        return render(request, "scheduling/no_programs.html")
    wanted = request.GET.get("program", "")
    program = next((p for p in programs if str(p.public_id) == wanted), programs[0])
    monday = _week_start(request, _local_today(program))
    nav = _week_nav(monday)
    series = program_series(program, monday, nav["sunday"])
    slots = occurrences_between(series, monday, nav["sunday"])
    tracks = list(Track.objects.filter(program=program).order_by("name"))
    by_track = [
        (track, _by_day([s for s in slots if s.series.track_id == track.pk], nav["days"]))
        for track in tracks
    ]
    closures = ProgramClosure.objects.filter(program=program, date__range=(monday, nav["sunday"]))
    return render(
        request,
        "scheduling/week.html",
        {
            **nav,
            "program": program,
            "programs": programs,
            "by_track": by_track,
            "closures": list(closures),
            "can_manage": can_manage_schedule(request.user, program),
            "rooms": Room.objects.filter(site__organization_id=program.organization_id),
        },
    )


@staff_required()
def room_week(request: AuthedRequest, room_id: uuid.UUID) -> HttpResponse:
    programs = list(schedule_programs(request.user))
    organizations = {p.organization_id for p in programs}
    room = (
        Room.objects.filter(public_id=room_id, site__organization_id__in=organizations)
        .select_related("site", "site__organization")
        .first()
    )
    if room is None:
        raise Http404("No such room.")
    today = room.site.organization.today()
    monday = _week_start(request, today)
    nav = _week_nav(monday)
    series = series_queryset().filter(track__program__organization=room.site.organization)
    slots = [
        s
        for s in occurrences_between(
            series.overlapping(monday, nav["sunday"]), monday, nav["sunday"]
        )
        if s.room is not None and s.room.pk == room.pk
    ]
    return render(
        request,
        "scheduling/room_week.html",
        {
            **nav,
            "room": room,
            "by_day": _by_day(slots, nav["days"]),
            "new_feed_url": request.session.pop("trellis_new_feed_url", ""),
        },
    )


@staff_required()
def my_week(request: AuthedRequest) -> HttpResponse:
    """The sessions a clinician facilitates (or covers as a substitute) this week."""
    programs = list(schedule_programs(request.user))
    zone = programs[0].organization.tz if programs else timezone.get_current_timezone()
    today = local_today(zone)
    monday = _week_start(request, today)
    nav = _week_nav(monday)
    slots = [
        s
        for s in occurrences_between(
            series_for_facilitator(request.user, monday, nav["sunday"]), monday, nav["sunday"]
        )
        if facilitates(request.user, s)
    ]
    feeds = request.user.calendar_feeds.filter(revoked_at__isnull=True)
    return render(
        request,
        "scheduling/my_week.html",
        {
            **nav,
            "by_day": _by_day(slots, nav["days"]),
            "feeds": list(feeds),
            "today": today,
            "new_feed_url": request.session.pop("trellis_new_feed_url", ""),
        },
    )


# --- series -------------------------------------------------------------------------------


def _managed_track(user: Any, track_id: str) -> Track:
    track = (
        Track.objects.filter(public_id=lookup_id(track_id))
        .select_related("program", "program__organization")
        .first()
    )
    if track is None or not schedule_programs(user).filter(pk=track.program_id).exists():
        raise Http404("No such track.")
    if not can_manage_schedule(user, track.program):
        raise PermissionDenied("Only directors and front desk manage the schedule.")
    return track


@staff_required()
def series_new(request: AuthedRequest) -> HttpResponse:
    track = _managed_track(request.user, request.GET.get("track", ""))
    form = SeriesForm(track.program, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = actions.check_create_series(
                request.user,
                track,
                form.data_for_action(),
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Series created.")
            return redirect("scheduling:series", series_id=series.public_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "scheduling/series_form.html", {"form": form, "track": track}, status=status
    )


@staff_required()
def series_detail(request: AuthedRequest, series_id: uuid.UUID) -> HttpResponse:
    series = access_series(request.user, series_id)
    program = series.track.program
    today = _local_today(program)
    upcoming = occurrences_between([series], today, today + timedelta(days=28))
    past = occurrences_between([series], today - timedelta(days=28), today - timedelta(days=1))
    can_manage = can_manage_schedule(request.user, program)
    context: dict[str, Any] = {
        "series": series,
        "program": program,
        "rule": series.rule,
        "upcoming": upcoming,
        "past": list(reversed(past)),
        "can_manage": can_manage,
        "continuations": list(series.continuations.all()),
    }
    if can_manage:
        roster = list(
            series.roster.select_related("episode", "episode__participant").order_by(
                "-end_date", "episode__participant__family_name"
            )
        )
        record_list(
            request.user,
            object_type="scheduling.roster",
            object_id=str(series.public_id),
            participants=[m.episode.participant for m in roster],
            purpose=Purpose.TREAT,
            detail={"results": len(roster)},
        )
        rostered = {m.episode_id for m in roster if m.active_on(today)}
        context["roster"] = roster
        context["candidates"] = [
            e
            for e in Episode.objects.visible_to(request.user)
            .filter(program=program)
            .exclude(status=EpisodeStatus.DISCHARGED)
            .select_related("participant")
            .order_by("participant__family_name")
            if e.pk not in rostered
        ]
        context["roster_form"] = RosterForm(initial={"start_date": today})
    return render(request, "scheduling/series_detail.html", context)


@staff_required()
@require_POST
def series_roster_add(request: AuthedRequest, series_id: uuid.UUID) -> HttpResponse:
    series = access_series(request.user, series_id, action=Action.UPDATE)
    if not can_manage_schedule(request.user, series.track.program):
        raise PermissionDenied("Only directors and front desk manage rosters.")
    form = RosterForm(request.POST)
    if form.is_valid():
        episode = (
            Episode.objects.visible_to(request.user)
            .filter(public_id=form.cleaned_data["episode"])
            .select_related("participant", "program")
            .first()
        )
        if episode is None:
            messages.error(request, "Choose a participant of this program.")
        else:
            try:
                actions.check_add_to_roster(
                    request.user,
                    episode,
                    series,
                    form.cleaned_data["start_date"],
                    form.cleaned_data.get("end_date"),
                    override_reason=form.cleaned_data.get("override_reason") or "",
                )
            except ValidationError as error:
                add_error_messages(request, error)
            else:
                messages.success(request, "Added to the roster.")
    else:
        for message in _form_errors(form.errors):
            messages.error(request, message)
    return redirect("scheduling:series", series_id=series.public_id)


@staff_required()
def series_edit(request: AuthedRequest, series_id: uuid.UUID) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    series = access_series(request.user, series_id, action=action)
    program = series.track.program
    if not can_manage_schedule(request.user, program):
        raise PermissionDenied("Only directors and front desk manage the schedule.")
    initial = {
        "name": series.name,
        "kind": series.kind,
        "start_time": series.start_time,
        "duration_minutes": series.duration_minutes,
        "rrule": series.rrule,
        "dtstart": series.dtstart,
        "mode": series.mode,
        "room": series.room.public_id if series.room else None,
        "telehealth_url": series.telehealth_url,
        "facilitators": [u.public_id for u in series.facilitators.all()],
        "capacity": series.capacity,
        "topics": "\n".join(series.topics or []),
        "participant_specific": series.participant_specific,
    }
    form = SeriesForm(program, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            carried = actions.check_update_series(
                request.user,
                series,
                form.data_for_action(),
                from_date=form.cleaned_data.get("from_date"),
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Series saved.")
            return redirect("scheduling:series", series_id=carried.public_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "scheduling/series_form.html",
        {"form": form, "track": series.track, "series": series},
        status=status,
    )


# --- one occurrence: attendance and exceptions -----------------------------------------


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
    rows = [{"episode": e, "mark": marks.get(e.pk), "walk_in": False} for e in expected]
    expected_ids = {e.pk for e in expected}
    rows += [
        {"episode": a.episode, "mark": a, "walk_in": True}
        for a in slot.attendance
        if a.episode_id not in expected_ids
    ]
    return rows, expected


def _row_context(slot: Slot, row: dict[str, Any], error: str = "") -> dict[str, Any]:
    return {
        "slot": slot,
        "row": row,
        "error": error,
        "statuses": TAP_STATUSES,
    }


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
            "marked": sum(1 for r in rows if r["mark"] is not None),
            "expected_count": len(expected),
            "candidates": candidates,
            "walk_in_form": WalkInForm(),
            "can_manage": can_manage,
            "today": _local_today(program),
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
        {"episode": episode, "mark": None, "walk_in": False},
    )
    return render(request, "scheduling/occurrence.html#row", _row_context(fresh, row, error))


@staff_required()
@require_POST
def mark(
    request: AuthedRequest, series_id: uuid.UUID, occurrence_date: str, episode_id: uuid.UUID
) -> HttpResponse:
    slot = _attendance_slot(request.user, series_id, occurrence_date)
    episode = access_attendee(request.user, slot, episode_id, action=Action.UPDATE)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _row_response(request, slot, episode, " ".join(_form_errors(form.errors)))
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
        for message in _form_errors(form.errors):
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


# --- program pages: attendance dashboard, closures -------------------------------------


@staff_required()
def dashboard(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """Participants × days of one ISO week, weekly totals against the minimum, and flags.

    Rows are the episodes the user may see (privacy decides: a clinician sees their care
    team, front desk and directors the program). Colouring and flags are shown only where
    the user sees the episode clinically.
    """
    program = access_schedule_program(request.user, program_id)
    today = _local_today(program)
    monday = _week_start(request, today)
    nav = _week_nav(monday)
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
                program=program, date__gte=_local_today(program) - timedelta(days=365)
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


def attendance_url(slot: Slot) -> str:
    return reverse(
        "scheduling:occurrence",
        kwargs={
            "series_id": slot.series.public_id,
            "occurrence_date": f"{slot.original_date:%Y-%m-%d}",
        },
    )
