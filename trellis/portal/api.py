"""The participant's portal through the API, under /api/v1/me/ (docs/portal.md, "API";
docs/api.md): parts of the portal that read several apps. Any signed-in user may call
these, but each opens only the caller's own data, through the pages' access functions and
actions; anyone who is not a participant gets the audited 404, refused input a 422 naming
the field with nothing stored.

- GET /me/sessions                                       my coming sessions, with my notices
- PUT /me/sessions/{series_id}/{occurrence_date}/notice  "I'll be late" / "I can't come"
- GET /me/progress                                       My progress as data

My progress: the same data as the page (`views.progress`), built by the same code: the
participant's own record opened once (audited), then the page's sections
(`progress.SECTIONS`, through `cards.build_cards`), each read through its app's queries. So
the same rules hold: check-in totals only (never an answer, never item 9), a section only
when its app is installed, the program's zone for every date.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.audit.models import Action
from trellis.lib.api import error_responses
from trellis.portal.cards import build_cards
from trellis.portal.progress import SECTIONS, HoursRow, Measure
from trellis.privacy.access import access_own_record
from trellis.scheduling.access import access_own_occurrence
from trellis.scheduling.actions import check_send_notice
from trellis.scheduling.models import SessionNotice
from trellis.scheduling.queries import participant_schedule, upcoming_with_notices

router = Router(auth=[ApiTokenAuth(), SessionAuth()], tags=["me"])


class ProgressScoreOut(Schema):
    on: date
    total: int
    band: str = Field(description="The severity band's name, in the participant's language")
    incomplete: bool


class ProgressMeasureOut(Schema):
    code: str = Field(description="The instrument: PHQ-9, GAD-7")
    title: str
    scores: list[ProgressScoreOut] = Field(description="Newest first")
    latest_text: str = Field(description="The latest score in words")
    band_text: str = Field(description="What the latest band means, in plain words")
    change_text: str = Field(description="How it changed since the first score")
    scale_text: str


class ProgressWeekHoursOut(Schema):
    monday: date
    label: str
    attended: Decimal
    scheduled: Decimal
    min_hours: Decimal
    max_hours: Decimal
    band: str = Field(description='"below", "within" or "above" the plan; "" not judged')
    current: bool = Field(description="This week: not over yet")
    still_to_come: Decimal


class ProgressPracticeWeekOut(Schema):
    monday: date
    required: int
    done: int


class ProgressPracticeOut(Schema):
    any_assigned: bool
    day_streak: int = Field(description="Days in a row with practice")
    week_streak: int = Field(description="Weeks in a row with all the week's practice done")
    last_practice: date | None
    weeks: list[ProgressPracticeWeekOut] = Field(description="Newest first, this stay only")


class ProgressGoalOut(Schema):
    words: str = Field(description="The goal in the participant's words")
    steps: int
    measured: int
    reached: int
    status: str = Field(description='"reached", "working" or "open"')
    due_on: date | None


class MyProgressOut(Schema):
    measures: list[ProgressMeasureOut] | None = Field(
        description="Check-in scores over time; null when measures is not installed"
    )
    hours: list[ProgressWeekHoursOut] | None = Field(
        description="Hours attended against the plan, by week, newest first"
    )
    hours_plan: list[Decimal] | None = Field(description="The weekly range [min, max]")
    practice: ProgressPracticeOut | None
    goals: list[ProgressGoalOut] | None = Field(
        description="The signed plan's goals; empty when no plan is signed"
    )


def _measure(m: Measure) -> ProgressMeasureOut:
    return ProgressMeasureOut(
        code=m.code,
        title=m.title,
        scores=[
            ProgressScoreOut(on=r.on, total=r.total, band=r.band, incomplete=r.incomplete)
            for r in m.rows
        ],
        latest_text=m.latest_text,
        band_text=m.band_text,
        change_text=m.change_text,
        scale_text=m.scale_text,
    )


def _hours(r: HoursRow) -> ProgressWeekHoursOut:
    return ProgressWeekHoursOut(
        monday=r.monday,
        label=r.label,
        attended=r.attended,
        scheduled=r.scheduled,
        min_hours=r.min_hours,
        max_hours=r.max_hours,
        band=r.band,
        current=r.current,
        still_to_come=r.still_to_come,
    )


def _practice(p: Any) -> ProgressPracticeOut:
    return ProgressPracticeOut(
        any_assigned=p.any_assigned,
        day_streak=p.day_streak,
        week_streak=p.week_streak,
        last_practice=p.last_practice,
        weeks=[
            ProgressPracticeWeekOut(
                monday=w.monday, required=w.adherence.required, done=w.adherence.done
            )
            for w in p.weeks
        ],
    )


def _goals(plan: Any) -> list[ProgressGoalOut]:
    if plan is None:
        return []
    return [
        ProgressGoalOut(words=g.words, steps=g.steps, measured=g.measured, reached=g.reached,
                        status=g.status, due_on=g.due_on)
        for g in plan.goals
    ]  # fmt: skip


# --- session notices (docs/portal.md, "Session actions") ---
#
# Through the page's access functions and action (scheduling's `personal.my_schedule` and
# `personal.my_notice`): `access_own_record`, `participant_schedule`, `upcoming_with_notices`,
# `access_own_occurrence`, `check_send_notice`. Someone else's session, or a caller who is not
# a participant: the audited 404. A notice replaces the one sent before for the same session
# (the page's rule), so a retry stores one notice. The page offers no withdrawal, and neither
# does the API.


class MySessionNoticeOut(Schema):
    public_id: UUID
    kind: Literal["late", "absent"]
    minutes_late: int | None
    reason: str = Field(description="Why they can't come (their words)")
    sent_at: datetime


class MyUpcomingSessionOut(Schema):
    series_id: UUID
    occurrence_date: date = Field(description="The session's original date: its id with series_id")
    day: date = Field(description="The day it takes place (moved sessions: the new day)")
    starts_at: datetime
    ends_at: datetime
    name: str
    place: str
    join_url: str
    cancelled: bool
    notice: MySessionNoticeOut | None = Field(description="The notice I sent for it, if any")


class SessionNoticeIn(Schema):
    kind: str = Field(description='"late" (send minutes) or "absent" (send reason)')
    minutes: int | None = Field(default=None, description="How late, in minutes (late)")
    reason: str = Field(default="", max_length=2000, description="Why you can't come (absent)")


def _notice(notice: SessionNotice | None) -> MySessionNoticeOut | None:
    if notice is None:
        return None
    return MySessionNoticeOut(
        public_id=notice.public_id,
        kind=notice.kind,  # type: ignore[arg-type]  # NoticeKind's values
        minutes_late=notice.minutes_late,
        reason=notice.reason,
        sent_at=notice.created_at,
    )


@router.get(
    "/me/sessions",
    response={200: list[MyUpcomingSessionOut], **error_responses(401, 404)},
    summary="My coming sessions and my notices",
)
def my_sessions(request: HttpRequest) -> list[MyUpcomingSessionOut]:
    """The sessions of the next three weeks I am on the list of, soonest first, each with
    the notice I sent for it ("I'll be late", "I can't come"), as on /me/schedule/."""
    access = access_own_record(acting_user(request))
    upcoming = participant_schedule(access)["upcoming"]
    return [
        MyUpcomingSessionOut(
            series_id=slot.series.public_id,
            occurrence_date=slot.original_date,
            day=slot.date,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            name=slot.series.name,
            place=slot.place,
            join_url=slot.join_url,
            cancelled=slot.cancelled,
            notice=_notice(notice),
        )
        for slot, notice in upcoming_with_notices(access, upcoming)
    ]


@router.put(
    "/me/sessions/{series_id}/{occurrence_date}/notice",
    response={200: MySessionNoticeOut, **error_responses(401, 404, 422)},
    summary="Tell my team I'll be late or can't come",
)
def send_notice(
    request: HttpRequest, series_id: str, occurrence_date: str, payload: SessionNoticeIn
) -> MySessionNoticeOut:
    """Send (or replace) my notice for one coming session. Refused (422, nothing stored)
    for a session that has ended or is cancelled, or one I am not on the list of that day."""
    user = acting_user(request)
    slot, episodes = access_own_occurrence(user, series_id, occurrence_date, action=Action.UPDATE)
    notice = check_send_notice(
        user, slot, episodes, kind=payload.kind, minutes=payload.minutes, reason=payload.reason
    )
    out = _notice(notice)
    assert out is not None  # noqa: S101  # a notice was sent
    return out


@router.get(
    "/me/progress",
    response={200: MyProgressOut, **error_responses(401, 404)},
    summary="My progress",
)
def my_progress(request: HttpRequest) -> MyProgressOut:
    """Check-in scores over time with their bands in words, hours against the plan by week,
    practice streaks and plan goals: the page's sections as data."""
    user = acting_user(request)
    sections = {b.key: b.context for b in build_cards(user, access_own_record(user), SECTIONS)}
    out = MyProgressOut(measures=None, hours=None, hours_plan=None, practice=None, goals=None)
    if "measures" in sections:
        out.measures = [_measure(m) for m in sections["measures"]["measures"]]
    if "hours" in sections:
        out.hours = [_hours(r) for r in sections["hours"]["hours"]]
        plan = sections["hours"]["plan"]
        out.hours_plan = list(plan) if plan is not None else None
    if "practice" in sections:
        out.practice = _practice(sections["practice"]["practice"])
    if "goals" in sections:
        out.goals = _goals(sections["goals"]["plan"])
    return out
