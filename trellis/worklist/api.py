"""The worklist over JSON, mounted at /api/v1/worklist/: my open alerts, acknowledge; my
tasks, create, reassign, comment, complete."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.api import error_responses
from trellis.privacy.access import Scope, access_episode
from trellis.worklist.access import access_alert
from trellis.worklist.actions import (
    check_add_comment,
    check_complete_task,
    check_create_task,
    check_reassign,
    do_acknowledge_alert,
)
from trellis.worklist.models import Alert
from trellis.worklist.queries import alert_list, my_open_alerts

router = Router(tags=["worklist"])


class AlertOut(Schema):
    public_id: UUID
    participant: UUID
    owner: UUID | None
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
        owner=alert.owner.public_id if alert.owner else None,
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
    record_list(
        user,
        object_type="worklist.alert",
        participants=[a.participant for a in alerts],
        purpose=Purpose.TREAT,
        detail={"results": len(alerts)},
    )
    return [alert_out(a) for a in alerts]


@router.get("/alerts/{alert_id}", response={200: AlertOut, **error_responses(401, 403, 404)})
def get_alert(request: HttpRequest, alert_id: str) -> AlertOut:
    return alert_out(access_alert(acting_user(request), alert_id))


@router.post(
    "/alerts/{alert_id}/acknowledge", response={200: AlertOut, **error_responses(401, 403, 404)}
)
def acknowledge(request: HttpRequest, alert_id: str) -> AlertOut:
    user = acting_user(request)
    alert = access_alert(user, alert_id)
    return alert_out(do_acknowledge_alert(user, alert))


class TaskFilters(Schema):
    status: Literal["open", "closed"] = "open"
    kind: str = Field("", description='"tasks", "alerts", or one kind; empty for all')
    overdue: bool = False


class TaskIn(Schema):
    episode: UUID = Field(description="The episode the task is about")
    title: str = Field(max_length=200)
    due_at: AwareDatetime = Field(description="With its time zone offset, e.g. …T17:00:00-06:00")
    priority: Literal["urgent", "high", "normal"] = "normal"
    owner: UUID | None = Field(None, description="Defaults to you")


class ReassignIn(Schema):
    owner: UUID


class CommentIn(Schema):
    text: str = Field(max_length=4000)


class CommentOut(Schema):
    public_id: UUID
    author: str
    text: str
    created_at: datetime


class CompleteIn(Schema):
    note: str = Field("", max_length=2000)


def _staff(public_id: UUID) -> User:
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None:
        raise DjangoValidationError({"owner": "No such staff member."})
    return user


@router.get("/tasks", response={200: list[AlertOut], **error_responses(401, 403)})
def my_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> list[AlertOut]:
    """Tasks and alerts I own or was sent (open by default; closed: the latest 200)."""
    user = acting_user(request)
    items = list(
        alert_list(
            user,
            resolved=filters.status == "closed",
            kind=filters.kind,
            mine=True,
            overdue=filters.overdue,
        )
    )
    record_list(
        user,
        object_type="worklist.alert",
        participants=[a.participant for a in items],
        purpose=Purpose.TREAT,
        detail={"results": len(items), "status": filters.status, "kind": filters.kind[:30]},
    )
    return [alert_out(a) for a in items]


@router.post("/tasks", response={201: AlertOut, **error_responses(401, 403, 404, 422)})
def create_task(request: HttpRequest, payload: TaskIn) -> Status[AlertOut]:
    """Create a task about a participant whose chart you may see."""
    user = acting_user(request)
    access = access_episode(
        user, payload.episode, purpose=Purpose.TREAT, action=Action.UPDATE, minimum=Scope.CLINICAL
    )
    if access.participant_access.is_own_record:  # the API is for staff; never one's own chart
        raise Http404
    owner = _staff(payload.owner) if payload.owner else user
    task = check_create_task(
        user,
        episode=access.episode,
        owner=owner,
        title=payload.title,
        due_at=payload.due_at,
        priority=payload.priority,
    )
    return Status(201, alert_out(task))


@router.post(
    "/tasks/{alert_id}/reassign", response={200: AlertOut, **error_responses(401, 403, 404, 422)}
)
def reassign(request: HttpRequest, alert_id: str, payload: ReassignIn) -> AlertOut:
    user = acting_user(request)
    alert = access_alert(user, alert_id)
    return alert_out(check_reassign(user, alert, _staff(payload.owner)))


@router.post(
    "/tasks/{alert_id}/comments",
    response={201: CommentOut, **error_responses(401, 403, 404, 422)},
)
def comment(request: HttpRequest, alert_id: str, payload: CommentIn) -> Status[CommentOut]:
    user = acting_user(request)
    alert = access_alert(user, alert_id)
    made = check_add_comment(user, alert, payload.text)
    return Status(
        201,
        CommentOut(
            public_id=made.public_id, author=user.name, text=made.text, created_at=made.created_at
        ),
    )


@router.get(
    "/tasks/{alert_id}/comments", response={200: list[CommentOut], **error_responses(401, 403, 404)}
)
def comments(request: HttpRequest, alert_id: str) -> list[CommentOut]:
    alert = access_alert(acting_user(request), alert_id)
    return [
        CommentOut(
            public_id=c.public_id, author=c.author.name, text=c.text, created_at=c.created_at
        )
        for c in alert.comments.select_related("author")
    ]


@router.post(
    "/tasks/{alert_id}/complete", response={200: AlertOut, **error_responses(401, 403, 404, 422)}
)
def complete(request: HttpRequest, alert_id: str, payload: CompleteIn) -> AlertOut:
    user = acting_user(request)
    alert = access_alert(user, alert_id)
    return alert_out(check_complete_task(user, alert, note=payload.note))
