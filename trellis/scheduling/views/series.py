"""A series: its page (upcoming and past sessions, the roster for managers), new and edit."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.ids import lookup_id
from trellis.lib.views import apply_validation_error
from trellis.participants.models import Episode, EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Track
from trellis.scheduling import actions
from trellis.scheduling.access import access_series, can_manage_schedule, schedule_programs
from trellis.scheduling.conflicts import CONFLICT_HORIZON_WEEKS, conflicts_between
from trellis.scheduling.forms import RosterForm, SeriesForm
from trellis.scheduling.queries import occurrences_between
from trellis.scheduling.views._shared import program_today


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
    today = program_today(program)
    upcoming = occurrences_between([series], today, today + timedelta(days=28))
    # Double bookings that already exist, over the horizon new changes are checked on.
    horizon_end = today + timedelta(weeks=CONFLICT_HORIZON_WEEKS)
    found = conflicts_between(program.organization, today, horizon_end)
    for slot in upcoming:
        slot.conflicts = found.get(slot.key, [])
    clashes = [
        (slot, found[slot.key])
        for slot in occurrences_between([series], today, horizon_end)
        if slot.key in found
    ]
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
        "clashes": clashes,
        "horizon_weeks": CONFLICT_HORIZON_WEEKS,
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
        "group_type": series.group_type,
        "cohort_start": series.cohort_start,
        "cohort_end": series.cohort_end,
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
