"""The worklist over JSON, mounted at /api/v1/worklist/: my open alerts, acknowledge."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.api import error_responses, parse_public_id
from trellis.worklist.actions import do_acknowledge_alert
from trellis.worklist.models import Alert
from trellis.worklist.queries import my_open_alerts, open_alert

router = Router(tags=["worklist"])


class AlertOut(Schema):
    public_id: UUID
    participant: UUID
    kind: str
    priority: str
    title: str
    status: str
    created_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    resolved_at: datetime | None


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        public_id=alert.public_id,
        participant=alert.participant.public_id,
        kind=alert.kind,
        priority=alert.priority,
        title=alert.title,
        status=alert.status,
        created_at=alert.created_at,
        due_at=alert.due_at,
        acknowledged_at=alert.acknowledged_at,
        escalated_at=alert.escalated_at,
        resolved_at=alert.resolved_at,
    )


@router.get("/alerts", response={200: list[AlertOut], **error_responses(401, 403)})
def my_alerts(request: HttpRequest) -> list[AlertOut]:
    """Unresolved alerts sent to me, urgent first."""
    user = acting_user(request)
    alerts = list(my_open_alerts(user))
    record(
        user,
        Action.LIST,
        object_type="worklist.alert",
        purpose=Purpose.TREAT,
        detail={"results": len(alerts)},
    )
    return [alert_out(a) for a in alerts]


@router.get("/alerts/{alert_id}", response={200: AlertOut, **error_responses(401, 403, 404)})
def get_alert(request: HttpRequest, alert_id: str) -> AlertOut:
    return alert_out(open_alert(acting_user(request), str(parse_public_id(alert_id))))


@router.post(
    "/alerts/{alert_id}/acknowledge", response={200: AlertOut, **error_responses(401, 403, 404)}
)
def acknowledge(request: HttpRequest, alert_id: str) -> AlertOut:
    user = acting_user(request)
    alert = open_alert(user, str(parse_public_id(alert_id)))
    return alert_out(do_acknowledge_alert(user, alert))
