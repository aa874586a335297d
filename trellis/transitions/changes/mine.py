"""The participant's side of a track change (`/me/schedule/track/`): see the program's
tracks, ask to move to one, see where the request stands, withdraw it. The decision is the
team's (the episode-changes page); these pages only ask."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.privacy.access import ParticipantAccess, Scope, access_participant
from trellis.programs.models import Track
from trellis.transitions.changes.forms import TrackRequestForm
from trellis.transitions.changes.requests import (
    check_request_track_change,
    do_withdraw_track_request,
    is_pending,
    latest_request,
    requesting_episode,
)


def _own(request: AuthedRequest, action: str) -> ParticipantAccess:
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    return access_participant(
        request.user,
        participant.public_id,
        purpose=Purpose.PATRQT,
        minimum=Scope.CLINICAL,
        action=action,
    )


@login_required
def my_track(request: AuthedRequest) -> HttpResponse:
    """The tracks of the participant's program and the request form, or where their
    request stands."""
    access = _own(request, Action.UPDATE if request.method == "POST" else Action.VIEW)
    episode = requesting_episode(access.episodes)
    context: dict[str, Any] = {"participant": access.participant, "episode": episode}
    if episode is None:
        return render(request, "transitions/my_track.html", context)
    tracks = (
        Track.objects.filter(program=episode.program, is_active=True)
        .exclude(pk=episode.track_id or 0)
        .order_by("name")
    )
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
    episode = requesting_episode(access.episodes)
    latest = latest_request(episode) if episode is not None else None
    if latest is None or not is_pending(latest):
        add_error_messages(
            request, ValidationError(_("There is no request with your team to withdraw."))
        )
        return redirect("transitions:my-track")
    do_withdraw_track_request(request.user, latest)
    messages.success(request, _("Your request is withdrawn. You stay on your track."))
    return redirect("transitions:my-track")
