"""Project-level pages: Today, and error pages that never show health information."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Purpose
from trellis.audit.trail import record_list
from trellis.lib.panels import panels_for
from trellis.participants.guardianship import is_guardian
from trellis.participants.queries import today_summary
from trellis.privacy.policy import grants_for


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    grants = grants_for(request.user)
    if not grants.is_staff_member:
        if hasattr(request.user, "participant"):
            return redirect("portal:home")
        if is_guardian(request.user):
            return redirect("portal:family")
        return render(request, "no_role.html", status=403)
    summary = today_summary(request.user)
    panels = panels_for("today", request.user)
    # Panels that name people say whom (`participants_shown`): Today records one list event
    # per person, like every list page (docs/audit.md, "List pages").
    shown = [p for panel in panels for p in panel.context.get("participants_shown", [])]
    if shown:
        record_list(
            request.user,
            object_type="today",
            participants=shown,
            purpose=Purpose.TREAT,
            detail={"panels": [panel.key for panel in panels]},
        )
    programs = summary.programs
    # The organization's date, not the server's: Today is the day the program is living.
    organization = programs[0].organization if programs else None
    return render(
        request,
        "today.html",
        {
            "summary": summary,
            "panels": panels,
            "date": organization.today() if organization is not None else None,
            "counts": [count for panel in panels for count in panel.context.get("counts", [])],
            # The program scores page is for clinicians and directors (measures.views).
            "sees_scores": grants.is_clinician or grants.is_director_anywhere,
        },
    )


# Error pages render fixed templates with no request context: nothing from the failed request
# (names, record numbers, query strings) can reach them.


def _static_page(template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.get_template(template).render(), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _static_page("errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _static_page("errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _static_page("errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _static_page("errors/500.html", 500)
