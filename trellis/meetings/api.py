"""Team meetings over JSON, mounted at /api/v1/meetings/: list, agenda (read, generate),
decisions (read, record). Same rules as the pages: directors and the program's clinicians,
and only the participants each may see clinically."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.api import error_responses
from trellis.meetings import actions
from trellis.meetings.access import access_meeting, access_meeting_episode
from trellis.meetings.models import Decision, Meeting
from trellis.meetings.queries import (
    meeting_view,
    meetings_for,
)

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    public_id: UUID
    program: UUID
    title: str
    starts_at: datetime
    agenda_generated_at: datetime | None
    signed_at: datetime | None
    signer_name: str


class AgendaItemOut(Schema):
    public_id: UUID
    participant: UUID
    episode: UUID
    rule: str
    reason: str
    evidence_url: str


class AgendaOut(Schema):
    meeting: MeetingOut
    items: list[AgendaItemOut]
    hidden_participants: int = Field(
        description="Participants on the agenda you may not see clinically (not listed)."
    )


class DecisionOut(Schema):
    public_id: UUID
    participant: UUID
    kind: str
    text: str
    owner: UUID | None
    due_on: date | None
    task: UUID | None
    plan_version_number: int | None
    created_at: datetime


class DecisionIn(Schema):
    episode: UUID
    kind: str = Field(description='"task", "plan_revision" or "record"')
    text: str = Field(max_length=4000)
    owner: UUID | None = None
    due_on: date | None = None


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        public_id=meeting.public_id,
        program=meeting.program.public_id,
        title=meeting.series.title,
        starts_at=meeting.starts_at,
        agenda_generated_at=meeting.agenda_generated_at,
        signed_at=meeting.signed_at,
        signer_name=meeting.signer_name,
    )


def decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        public_id=decision.public_id,
        participant=decision.episode.participant.public_id,
        kind=decision.kind,
        text=decision.text,
        owner=decision.owner.public_id if decision.owner else None,
        due_on=decision.due_on,
        task=decision.task.public_id if decision.task else None,
        plan_version_number=decision.plan_version_number,
        created_at=decision.created_at,
    )


def _meeting(request: HttpRequest, meeting_id: str, action: str = Action.VIEW) -> Meeting:
    return access_meeting(acting_user(request), meeting_id, action=action)


@router.get("/", response={200: list[MeetingOut], **error_responses(401, 403)})
def list_meetings(request: HttpRequest) -> list[MeetingOut]:
    """Upcoming meetings, then past ones, of the programs whose meetings you run."""
    user = acting_user(request)
    upcoming, past = meetings_for(user)
    record_list(
        user,
        object_type="meetings.meeting",
        participants=[],  # meetings, not people
        purpose=Purpose.TREAT,
        detail={"results": len(upcoming) + len(past)},
    )
    return [meeting_out(m) for m in upcoming + past]


def _agenda(user: User, meeting: Meeting) -> AgendaOut:
    view = meeting_view(user, meeting)
    return AgendaOut(
        meeting=meeting_out(meeting),
        items=[
            AgendaItemOut(
                public_id=item.public_id,
                participant=b.participant.public_id,
                episode=b.episode.public_id,
                rule=item.rule,
                reason=item.reason,
                evidence_url=item.evidence_url,
            )
            for b in view.blocks
            for item in b.items
        ],
        hidden_participants=view.hidden,
    )


@router.get("/{meeting_id}/agenda", response={200: AgendaOut, **error_responses(401, 403, 404)})
def agenda(request: HttpRequest, meeting_id: str) -> AgendaOut:
    """The agenda items about participants you may see clinically."""
    return _agenda(acting_user(request), _meeting(request, meeting_id))


@router.post(
    "/{meeting_id}/agenda", response={200: AgendaOut, **error_responses(401, 403, 404, 422)}
)
def generate_agenda(request: HttpRequest, meeting_id: str) -> AgendaOut:
    """Generate (or refresh) the agenda from the data."""
    user = acting_user(request)
    meeting = _meeting(request, meeting_id, Action.UPDATE)
    actions.do_generate_agenda(user, meeting)  # refuses signed minutes (422)
    return _agenda(user, meeting)


@router.get(
    "/{meeting_id}/decisions", response={200: list[DecisionOut], **error_responses(401, 403, 404)}
)
def decisions(request: HttpRequest, meeting_id: str) -> list[DecisionOut]:
    user = acting_user(request)
    view = meeting_view(user, _meeting(request, meeting_id))
    return [decision_out(d) for b in view.blocks for d in b.decisions]


@router.post(
    "/{meeting_id}/decisions", response={201: DecisionOut, **error_responses(401, 403, 404, 422)}
)
def decide(request: HttpRequest, meeting_id: str, payload: DecisionIn) -> Status[DecisionOut]:
    """Record a decision about a participant: `task` creates a worklist task for `owner` due
    `due_on`; `plan_revision` requests the plan review and opens a draft revision."""
    user = acting_user(request)
    meeting = _meeting(request, meeting_id, Action.UPDATE)
    episode = access_meeting_episode(user, meeting, payload.episode)
    owner = User.objects.filter(public_id=payload.owner).first() if payload.owner else None
    decision = actions.check_decide(
        user,
        meeting,
        episode,
        kind=payload.kind,
        text=payload.text,
        owner=owner,
        due_on=payload.due_on,
    )
    return Status(201, decision_out(decision))
