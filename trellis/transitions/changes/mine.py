"""The participant's side of a track change (`/me/schedule/track/`): see the program's
tracks, ask to move to one, see where the request stands, withdraw it. The decision is the
team's (the episode-changes page); these pages only ask."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.privacy.access import ParticipantAccess, access_own_record
from trellis.transitions.changes.forms import TrackRequestForm
from trellis.transitions.changes.requests import (
    check_request_track_change,
    check_withdraw_track_request,
    is_pending,
    latest_request,
    requestable_tracks,
    requesting_episode,
)


def _own(request: AuthedRequest, action: str) -> ParticipantAccess:
    return access_own_record(request.user, action=action)


@login_required
def my_track(request: AuthedRequest) -> HttpResponse:
    """The tracks of the participant's program and the request form, or where their
    request stands."""
    access = _own(request, Action.UPDATE if request.method == "POST" else Action.VIEW)
    episode = requesting_episode(access.episodes)
    context: dict[str, Any] = {"participant": access.participant, "episode": episode}
    if episode is None:
        return render(request, "transitions/my_track.html", context)
    tracks = requestable_tracks(episode)
    latest = latest_request(episode)
    form = TrackRequestForm(tracks, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = check_request_track_change(
                request.user,
                episode,
                form.cleaned_data["track"],
                starting_from=form.cleaned_data["starting_from"],
                reason=form.cleaned_data["reason"] or "",
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Sent: your team will talk with you about moving to the %(track)s track.")
                % {"track": sent.track.name},
            )
            return redirect("transitions:my-track")
    context |= {
        "form": form,
        "tracks": list(tracks),
        "request_sent": latest,
        "pending": is_pending(latest),
        "program": episode.program,
        "zone": episode.program.tz,
    }
    return render(request, "transitions/my_track.html", context)


@login_required
@require_POST
def withdraw_track_request(request: AuthedRequest) -> HttpResponse:
    access = _own(request, Action.UPDATE)
    try:
        check_withdraw_track_request(request.user, requesting_episode(access.episodes))
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect("transitions:my-track")
    messages.success(request, _("Your request is withdrawn. You stay on your track."))
    return redirect("transitions:my-track")
