"""One person's weekly hours: the program's range, or an override for their episode (a
payer's rule, a step-down week) with its reason and dates, set by the program's director or
a clinician on the care team. Reached from the hours line in the chart's header."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Purpose
from trellis.lib.views import apply_validation_error
from trellis.participants.chart import chart_context
from trellis.privacy.access import Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.scheduling import actions, recurrence
from trellis.scheduling.access import sets_weekly_hours
from trellis.scheduling.forms import HoursOverrideForm
from trellis.scheduling.hours import week_hours
from trellis.scheduling.queries import hours_override_for


@staff_required()
def hours_override(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    episode = access.current_episode
    if episode is None or not episode.is_open or not access.is_clinical_for(episode):
        raise Http404("No open episode.")
    may_change = sets_weekly_hours(request.user, episode)
    if request.method == "POST" and not may_change:
        raise PermissionDenied("The program's director or the care team set weekly hours.")
    override = hours_override_for(episode)
    initial = (
        {
            "min_hours_per_week": override.min_hours_per_week,
            "max_hours_per_week": override.max_hours_per_week,
            "starts_on": override.starts_on,
            "ends_on": override.ends_on,
            "reason": override.reason,
        }
        if override is not None
        else {
            "min_hours_per_week": episode.program.min_hours_per_week,
            "max_hours_per_week": episode.program.max_hours_per_week,
        }
    )
    form = HoursOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("end") == "1":
            actions.do_end_hours_override(request.user, episode)
            messages.success(request, "Back to the program's weekly hours.")
            return redirect("scheduling:hours-override", public_id=access.participant.public_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_set_hours_override(
                    request.user,
                    episode,
                    data["min_hours_per_week"],
                    data["max_hours_per_week"],
                    data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Weekly hours saved.")
                return redirect("scheduling:hours-override", public_id=access.participant.public_id)
    today = episode.program.organization.today()
    monday = recurrence.iso_week_start(today)
    context = chart_context(access, "schedule") | {
        "episode": episode,
        "override": override,
        "override_now": override is not None and override.covers_week(monday),
        "week": week_hours([episode], monday)[episode.pk],
        "week_label": recurrence.iso_week_label(monday),
        "form": form,
        "may_change": may_change,
    }
    return render(
        request, "scheduling/hours_override.html", context, status=400 if form.errors else 200
    )
