"""Practice pages: the adherence part — the chart's Practice tab (docs/practice.md)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Purpose
from trellis.participants.chart import chart_context
from trellis.practice.panels import assign_options
from trellis.practice.queries.adherence import practice_tab
from trellis.practice.queries.diary import chart_diary_week
from trellis.practice.queries.safety import safety_plan_summary
from trellis.privacy.access import Scope, access_participant
from trellis.privacy.decorators import staff_required


@staff_required()
def chart_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Open assignments, recent entries, adherence and its weekly chart. Clinical scope only:
    front desk and facilitators outside the care team get the audited 404."""
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    context = chart_context(access, "practice") | practice_tab(access)
    episode = access.current_episode
    if episode is not None:
        context["diary"] = chart_diary_week(access, episode)
        context["safety"] = safety_plan_summary(access, episode)
        if episode.is_open and access.is_clinical_for(episode):
            context["assign"] = assign_options(episode)
    return render(request, "practice/adherence/chart_tab.html", context)


urlpatterns: list[URLPattern] = [
    path("participants/<uuid:public_id>/practice/", chart_tab, name="chart-tab"),
]
