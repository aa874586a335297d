"""My work (alerts), one alert with acknowledge and follow-up, and the Today panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import grants_for
from trellis.worklist.actions import check_document_follow_up, do_acknowledge_alert
from trellis.worklist.forms import FollowUpForm
from trellis.worklist.queries import alert_list, my_open_alerts, open_alert


@staff_required()
def my_work(request: AuthedRequest) -> HttpResponse:
    resolved = request.GET.get("status") == "resolved"
    alerts = list(alert_list(request.user, resolved=resolved))
    record(
        request.user,
        Action.LIST,
        object_type="worklist.alert",
        purpose=Purpose.TREAT,
        detail={"resolved": resolved, "results": len(alerts)},
    )
    return render(request, "worklist/list.html", {"alerts": alerts, "resolved": resolved})


@staff_required()
def alert_detail(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = open_alert(request.user, alert_id)
    return render(
        request,
        "worklist/detail.html",
        {
            "alert": alert,
            "form": FollowUpForm(),
            "recipients": alert.recipients.select_related("user"),
        },
    )


@require_POST
@staff_required()
def alert_acknowledge(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = open_alert(request.user, alert_id)
    do_acknowledge_alert(request.user, alert)
    messages.success(request, "Alert acknowledged.")
    return redirect("worklist:detail", alert_id=alert.public_id)


@require_POST
@staff_required()
def alert_follow_up(request: AuthedRequest, alert_id: str) -> HttpResponse:
    alert = open_alert(request.user, alert_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            check_document_follow_up(
                request.user,
                alert,
                risk_assessment_done=form.cleaned_data["risk_assessment_done"],
                safety_plan_reviewed=form.cleaned_data["safety_plan_reviewed"],
                referred_higher_level=form.cleaned_data["referred_higher_level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Follow-up documented; the alert is resolved.")
            return redirect("worklist:detail", alert_id=alert.public_id)
    return render(
        request,
        "worklist/detail.html",
        {"alert": alert, "form": form, "recipients": alert.recipients.select_related("user")},
        status=422,
    )


def today_alerts(user: Any) -> dict[str, Any] | None:
    """Today panel: the user's unresolved urgent and high alerts (fixed query count)."""
    if not grants_for(user).is_staff_member:
        return None
    alerts = list(my_open_alerts(user)[:20])
    if not alerts:
        return None
    return {"alerts": alerts}
