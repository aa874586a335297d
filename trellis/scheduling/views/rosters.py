"""Rosters: adding a participant of the program to a series' roster."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.lib.views import add_error_messages
from trellis.participants.models import Episode
from trellis.privacy.decorators import staff_required
from trellis.scheduling import actions
from trellis.scheduling.access import access_series, can_manage_schedule
from trellis.scheduling.forms import RosterForm
from trellis.scheduling.views._shared import form_errors


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
        for message in form_errors(form.errors):
            messages.error(request, message)
    return redirect("scheduling:series", series_id=series.public_id)
