"""The episode-changes page of a chart: hold and resume, change of track, step up or down.
Open to the program's director and the episode's care team today (as discharge); anyone
else gets the same 404 as a missing record, with a `deny` event."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.lib.views import apply_validation_error
from trellis.participants.models import EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Track
from trellis.transitions.access import access_discharge
from trellis.transitions.changes import actions
from trellis.transitions.changes.forms import HoldForm, ResumeForm, StepForm, TrackForm
from trellis.transitions.changes.queries import (
    current_hold,
    status_history,
    step_programs,
    track_seats,
)
from trellis.transitions.changes.requests import is_pending, latest_request

# Keys the participants actions use, renamed to the fields of the form that fed them.
HOLD_KEYS = {"effective_on": "starts_on"}
RESUME_KEYS = {"effective_on": "resumes_on", "reason": "note"}


def _show_error(form: Form, error: ValidationError, renames: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError({renames.get(k, k): v for k, v in error.message_dict.items()})
    apply_validation_error(form, error)


@staff_required()
def episode_changes(request: AuthedRequest, public_id: str) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    access, episode = access_discharge(request.user, public_id, action=action)
    today = episode.program.organization.today()
    seats = track_seats(episode.program)
    labels = {s.track.pk: s.label for s in seats}
    tracks = Track.objects.filter(pk__in=[s.track.pk for s in seats]).exclude(
        pk=episode.track_id or 0
    )
    programs = step_programs(episode)
    asked = latest_request(episode)
    pending = asked if is_pending(asked) else None
    track_initial: dict[str, Any] = {"effective_on": today}
    if pending is not None:
        track_initial = {
            "track": pending.track,
            "effective_on": max(today, pending.starting_from or today),
        }
    change = request.POST.get("change", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    forms: dict[str, Any] = {
        "hold": HoldForm(data if change == "hold" else None, initial={"starts_on": today}),
        "resume": ResumeForm(data if change == "resume" else None, initial={"resumes_on": today}),
        "track": TrackForm(
            tracks, labels, data if change == "track" else None, initial=track_initial
        ),
        "step": StepForm(programs, data if change == "step" else None, initial={"step_on": today}),
    }
    form = forms.get(change)
    if form is not None and form.is_valid():
        done = _apply(request, change, episode, form)
        if done is not None:
            messages.success(request, done[0])
            return redirect(done[1])
    context = {
        "participant": access.participant,
        "episode": episode,
        "today": today,
        "history": status_history(episode),
        "hold": current_hold(episode),
        "track_request": pending,
        "seats": seats,
        "programs": programs,
        "forms": forms,
        "can_hold": episode.status == EpisodeStatus.ACTIVE,
        "can_resume": episode.status == EpisodeStatus.ON_HOLD,
        "admitted": episode.status in (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "transitions/episode_changes.html", context, status=status)


def _apply(request: AuthedRequest, change: str, episode: Any, form: Form) -> tuple[str, str] | None:
    """Run the chosen change; the message and where to go next, or None (errors on `form`)."""
    data = form.cleaned_data
    chart = f"/participants/{episode.participant.public_id}/"
    try:
        if change == "hold":
            actions.check_hold(
                request.user,
                episode,
                starts_on=data["starts_on"],
                reason=data["reason"],
                expected_return_on=data["expected_return_on"],
            )
            return "On hold: off rosters, hours and attendance alerts from that date.", chart
        if change == "resume":
            actions.check_resume(
                request.user, episode, resumes_on=data["resumes_on"], note=data["note"]
            )
            return "Resumed: back on rosters, hours and alerts from that date.", chart
        if change == "track":
            actions.check_change_track(
                request.user,
                episode,
                data["track"],
                effective_on=data["effective_on"],
                override_reason=data["override_reason"],
            )
            return f"Moved to the {data['track'].name} track.", chart
        summary, _ = actions.check_step(
            request.user,
            episode,
            data["program"],
            on=data["step_on"],
            status=data["step_status"],
            track=data["step_track"],
        )
    except ValidationError as error:
        _show_error(form, error, HOLD_KEYS if change == "hold" else RESUME_KEYS)
        return None
    return (
        f"Moved to {data['program'].name}. Complete the transfer summary below.",
        f"/discharge-summaries/{summary.public_id}/",
    )
