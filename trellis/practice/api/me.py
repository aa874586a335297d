"""The practice API for the participant themself, under /api/v1/practice/me/ (docs/practice.md).

Any signed-in user may call these (API token or session), but each one opens only the caller's
own data through the same access functions and actions as the participant's pages
(`views/assignments.py`, `views/diary.py`, `views/safety.py`): `access_own_assignment(s)`,
`access_own_diary`, `access_own_safety_plan`; `do_record_entry`, `do_could_not`,
`check_submit_diary_card`, `do_report_unsafe`. Someone else's id, or a caller who is not a
participant, gets the audited 404 the rest of the API gives, never a 403 that would tell
that the id exists. Refused input is a 422 naming the field; nothing is stored.

- GET  /me/assignments                     open assignments (assigned, in progress)
- GET  /me/assignments/{assignment_id}     one of them (any status)
- POST /me/assignments/{assignment_id}/entries   log practice; Idempotency-Key (header or
  `idempotency_key`) required: a retry returns the first entry (200), one entry stored
- POST /me/assignments/{assignment_id}/could-not "I couldn't do it", with a reason
- POST /me/diary-cards                     today's card or a back-filled day (201, or 200 with
  the day's first card on a retry); `urgent` says to show the crisis text at once
- GET  /me/safety-plan                     the latest signed version (or none) and the crisis
  numbers
- POST /me/safety-plan/not-safe            "I am not safe right now": 201 and one urgent alert;
  200 with the same report when pressed again the same day
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.audit.models import Action, Purpose
from trellis.lib.api import error_responses
from trellis.practice.access import (
    access_own_assignment,
    access_own_assignments,
    access_own_diary,
    access_own_safety_plan,
)
from trellis.practice.actions.assignments import EntryData, do_could_not, do_record_entry
from trellis.practice.actions.diary import check_submit_diary_card
from trellis.practice.actions.safety import do_report_unsafe
from trellis.practice.api.diary import DiaryCardIn
from trellis.practice.api.safety import SafetyPlanOut, safety_plan_out
from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    PracticeEntry,
)
from trellis.practice.queries.assignments import entries_done
from trellis.privacy.access import deny_object

# Any signed-in user: what they reach is decided by the own-data access functions below.
router = Router(auth=[ApiTokenAuth(), SessionAuth()])

CRISIS_LINE = "988"
EMERGENCY = "911"
KEY_HELP = "Send an Idempotency-Key header (or idempotency_key) so that a retry stores one entry."


class CrisisOut(Schema):
    """The numbers the participant's pages show in the crisis text."""

    crisis_line: str = CRISIS_LINE
    program_phone: str = Field(description="The program's after-hours number, or empty")
    emergency: str = EMERGENCY


class MyAssignmentOut(Schema):
    public_id: UUID
    title: str
    note: str
    skill: str | None
    worksheet: str | None = Field(description="The worksheet's code")
    worksheet_fields: list[dict[str, Any]] = Field(
        description="The worksheet's fields (docs/practice.md, worksheets as data)"
    )
    frequency: str
    times_required: int
    starts_on: date
    due_on: date
    status: str
    done: int
    could_not: bool


class EntryIn(Schema):
    practiced_on: date = Field(description="The organization's date you practised")
    rating: int | None = Field(default=None, description="How it went, 0–10 (a skill)")
    what_happened: str = Field(default="", description="What happened (a skill)")
    answers: dict[str, Any] | None = Field(
        default=None, description="Field key → answer (a worksheet)"
    )
    idempotency_key: str | None = Field(default=None, max_length=64)


class EntryOut(Schema):
    public_id: UUID
    assignment_public_id: UUID
    practiced_on: date
    late_entered: bool
    rating: int | None
    assignment_status: str
    created: bool


class CouldNotIn(Schema):
    reason: str = Field(description="What got in the way")


class MyDiaryCardOut(Schema):
    public_id: UUID
    card_on: date
    late_entered: bool
    created: bool
    urgent: bool = Field(description="A risk rule fired: show the crisis text now")
    crisis: CrisisOut


class MySafetyOut(Schema):
    plan: SafetyPlanOut | None = Field(
        description="The latest signed version (drafts are never shown to the participant)"
    )
    crisis: CrisisOut


class UnsafeOut(Schema):
    reported_on: date
    created: bool
    crisis: CrisisOut


def _crisis(program: Any) -> CrisisOut:
    return CrisisOut(program_phone=getattr(program, "crisis_phone", "") or "")


def _assignment_out(assignment: Assignment) -> MyAssignmentOut:
    worksheet = assignment.worksheet
    return MyAssignmentOut(
        public_id=assignment.public_id,
        title=assignment.title,
        note=assignment.note,
        skill=assignment.skill.name if assignment.skill is not None else None,
        worksheet=worksheet.code if worksheet is not None else None,
        worksheet_fields=list(worksheet.fields) if worksheet is not None else [],
        frequency=assignment.frequency,
        times_required=assignment.times_required,
        starts_on=assignment.starts_on,
        due_on=assignment.due_on,
        status=assignment.status,
        done=entries_done(assignment),
        could_not=assignment.could_not_at is not None,
    )


def _idempotency_key(request: HttpRequest, body_key: str | None) -> str:
    key = (request.headers.get("Idempotency-Key") or body_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": KEY_HELP})
    if len(key) > 64:
        raise ValidationError({"idempotency_key": "The key is at most 64 characters."})
    return key


@router.get(
    "/me/assignments",
    response={200: list[MyAssignmentOut], **error_responses(401, 404)},
    summary="My open practice",
)
def my_assignments(request: HttpRequest) -> list[MyAssignmentOut]:
    """The signed-in participant's open assignments (assigned or in progress), soonest due
    first."""
    user = acting_user(request)
    participant = getattr(user, "participant", None)
    if participant is None:  # not a participant: the audited 404 of every own-data read
        raise deny_object(
            user, object_type="practice.assignment", object_id="me", purpose=Purpose.PATRQT
        )
    open_statuses = set(OPEN_ASSIGNMENT_STATUSES)
    rows = [a for a in access_own_assignments(user, participant) if a.status in open_statuses]
    rows.sort(key=lambda a: (a.due_on, a.assigned_at))
    prefetch_related_objects(rows, "entries")
    return [_assignment_out(a) for a in rows]


@router.get(
    "/me/assignments/{assignment_id}",
    response={200: MyAssignmentOut, **error_responses(401, 404)},
    summary="One of my assignments",
)
def my_assignment(request: HttpRequest, assignment_id: str) -> MyAssignmentOut:
    assignment = access_own_assignment(acting_user(request), assignment_id)
    return _assignment_out(assignment)


@router.post(
    "/me/assignments/{assignment_id}/entries",
    response={200: EntryOut, 201: EntryOut, **error_responses(401, 404, 422)},
    summary="Log practice",
)
def record_entry(request: HttpRequest, assignment_id: str, payload: EntryIn) -> Status[EntryOut]:
    """Log one practice (201). The same idempotency key again returns the first entry (200):
    a retry from a flaky connection stores one entry."""
    user = acting_user(request)
    assignment = access_own_assignment(user, assignment_id, action=Action.UPDATE)
    key = _idempotency_key(request, payload.idempotency_key)
    if assignment.worksheet is None and payload.answers:
        raise ValidationError(
            {"answers": "This practice is a skill: send rating and what_happened."}
        )
    started = timezone.now()
    entry: PracticeEntry = do_record_entry(
        user,
        assignment,
        EntryData(
            practiced_on=payload.practiced_on,
            idempotency_key=key,
            rating=payload.rating,
            answers=payload.answers if assignment.worksheet is not None else None,
            what_happened=payload.what_happened,
        ),
    )
    # The action returns the first entry for a key already used; a new one was made just now.
    created = entry.submitted_at >= started
    return Status(
        201 if created else 200,
        EntryOut(
            public_id=entry.public_id,
            assignment_public_id=assignment.public_id,
            practiced_on=entry.practiced_on,
            late_entered=entry.late_entered,
            rating=entry.rating,
            assignment_status=assignment.status,
            created=created,
        ),
    )


@router.post(
    "/me/assignments/{assignment_id}/could-not",
    response={200: MyAssignmentOut, **error_responses(401, 404, 422)},
    summary="I couldn't do it",
)
def could_not(request: HttpRequest, assignment_id: str, payload: CouldNotIn) -> MyAssignmentOut:
    """Tell the team you couldn't do it, and why (stored encrypted)."""
    user = acting_user(request)
    assignment = access_own_assignment(user, assignment_id, action=Action.UPDATE)
    do_could_not(user, assignment, payload.reason)
    return _assignment_out(assignment)


@router.post(
    "/me/diary-cards",
    response={200: MyDiaryCardOut, 201: MyDiaryCardOut, **error_responses(401, 404, 422)},
    summary="Fill in my diary card",
)
def submit_my_diary_card(request: HttpRequest, payload: DiaryCardIn) -> Status[MyDiaryCardOut]:
    """Today's card, or a past day within the program's back-fill window (marked late). A
    retry (same key, or a day that already has a card) returns the first card (200)."""
    user = acting_user(request)
    diary = access_own_diary(user, action=Action.CREATE)
    key = (request.headers.get("Idempotency-Key") or payload.idempotency_key or "").strip()
    result = check_submit_diary_card(
        user, diary, card_on=payload.card_on, answers=payload.answers, idempotency_key=key or None
    )
    card = result.card
    return Status(
        201 if result.created else 200,
        MyDiaryCardOut(
            public_id=card.public_id,
            card_on=card.card_on,
            late_entered=card.late_entered,
            created=result.created,
            urgent=bool(result.alerts) or card.risk_raised,
            crisis=_crisis(diary.episode.program),
        ),
    )


@router.get(
    "/me/safety-plan",
    response={200: MySafetyOut, **error_responses(401, 404)},
    summary="My safety plan",
)
def my_safety_plan(request: HttpRequest) -> MySafetyOut:
    """The latest signed version of the current episode's plan (`plan` is null before the
    first is signed) and the crisis numbers."""
    own = access_own_safety_plan(acting_user(request))
    program = own.episode.program if own.episode is not None else None
    return MySafetyOut(
        plan=safety_plan_out(own.plan) if own.plan is not None else None, crisis=_crisis(program)
    )


@router.post(
    "/me/safety-plan/not-safe",
    response={200: UnsafeOut, 201: UnsafeOut, **error_responses(401, 404, 409)},
    summary="I am not safe right now",
)
def report_unsafe(request: HttpRequest) -> Status[UnsafeOut]:
    """Tell the care team at once: one urgent alert (201). Pressed again the same day: the
    same report, no second alert (200). Show the crisis numbers either way."""
    user = acting_user(request)
    own = access_own_safety_plan(user, action=Action.CREATE)
    if own.episode is None:
        raise HttpError(
            409,
            "You have no current program, so this cannot tell a team. "
            f"Call or text {CRISIS_LINE} now, or {EMERGENCY} in an emergency.",
        )
    report, created = do_report_unsafe(user, own.episode, own.plan)
    return Status(
        201 if created else 200,
        UnsafeOut(
            reported_on=report.reported_on,
            created=created,
            crisis=_crisis(own.episode.program),
        ),
    )
