"""The intake funnel: a program director's figures for the inquiries of a period.

Aggregates only: no names, no list of people. Reading the report is one audited `view` event
on the program's funnel (object `intake.funnel`), with the period and the number of inquiries
it counted."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.charts import waitlist_chart
from trellis.intake.forms import FunnelForm
from trellis.intake.queries import (
    FUNNEL_DEFAULT_DAYS,
    MEDIAN_MIN_N,
    P90_MIN_N,
    Funnel,
    default_funnel_period,
    funnel,
    funnel_period_errors,
    funnel_programs,
)
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Program, Role


def record_funnel_view(user: User, figures: Funnel) -> None:
    """The one audit event of a funnel read (page or API): the program, the period and how
    many inquiries it counted; no person."""
    record(
        user,
        Action.VIEW,
        object_type="intake.funnel",
        object_id=str(figures.program.public_id),
        purpose=Purpose.HOPERAT,
        role=Role.PROGRAM_DIRECTOR,
        detail={
            "start": figures.start.isoformat(),
            "end": figures.end.isoformat(),
            "inquiries": figures.received,
        },
    )


@staff_required()
def funnel_page(request: AuthedRequest) -> HttpResponse:
    programs = funnel_programs(request.user)
    if not programs:
        raise PermissionDenied("The intake funnel is for program directors.")
    data = request.GET.copy()
    data.setdefault("program", str(programs[0].public_id))
    form = FunnelForm(data, programs=programs)
    context: dict[str, object] = {
        "form": form,
        "default_days": FUNNEL_DEFAULT_DAYS,
        "median_min_n": MEDIAN_MIN_N,
        "p90_min_n": P90_MIN_N,
    }
    if not form.is_valid():
        return render(request, "intake/funnel.html", context, status=422)
    program: Program = form.programs[form.cleaned_data["program"]]
    default_start, default_end = default_funnel_period(program)
    end: date = form.cleaned_data["end"] or default_end
    start: date = form.cleaned_data["start"] or min(default_start, end)
    errors = funnel_period_errors(program, start, end)
    if errors:
        for field, message in errors.items():
            form.add_error(field, message)
        return render(request, "intake/funnel.html", context, status=422)
    figures = funnel(program, start, end)
    record_funnel_view(request.user, figures)
    shown = {"program": str(program.public_id), "start": start, "end": end}
    context |= {
        "form": FunnelForm(shown, programs=programs),  # the dates the figures are for
        "program": program,
        "funnel": figures,
        "chart": waitlist_chart(figures.waitlist),
        "today": program.today(),
    }
    return render(request, "intake/funnel.html", context)
