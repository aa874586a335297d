"""Scheduling over JSON, mounted at /api/v1/scheduling/ (`api.add_router("/scheduling/",
router)` in trellis/api.py). Same gates as the pages: scheduling.access for schedules,
privacy.access_participant for one participant's hours, audit events for every read of
attendance. Schemas list their fields; ids are public UUIDs; bad input is a 422 naming the
field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.api import LocalTime, error_responses
from trellis.participants.models import Episode
from trellis.privacy.access import Scope, access_participant
from trellis.programs.models import Room, Track
from trellis.scheduling import actions, recurrence
from trellis.scheduling.access import (
    access_attendee,
    access_occurrence,
    access_schedule_program,
    access_series,
    can_manage_schedule,
    can_take_attendance,
    feed_to_revoke,
    schedule_programs,
)
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.models import AttendanceStatus, SessionSeries
from trellis.scheduling.queries import (
    Slot,
    attendance_for,
    expected_episodes,
    find_slot,
    occurrences_between,
    roster_for,
    series_queryset,
)

router = Router(tags=["scheduling"])

KindName = Literal["group", "individual", "family", "medication_review"]
ModeName = Literal["in_person", "telehealth", "hybrid"]
AttendanceModeName = Literal["in_person", "telehealth"]  # how one person joined
GroupTypeName = Literal["open", "closed", "cohort"]
StatusName = Literal[
    "present", "late", "left_early", "absent_excused", "absent_unexcused", "cancelled_by_program"
]
MAX_WINDOW_DAYS = 92


class SeriesIn(Schema):
    track: UUID
    name: str = Field(min_length=1, max_length=120)
    kind: KindName = "group"
    start_time: LocalTime
    duration_minutes: int = Field(ge=5, le=600)
    rrule: str = Field(max_length=200, examples=["FREQ=WEEKLY;BYDAY=MO,WE"])
    dtstart: date
    capacity: int = Field(ge=1, le=500)
    mode: ModeName = "in_person"
    room: UUID | None = None
    telehealth_url: str = Field(default="", max_length=200)
    facilitators: list[UUID] = Field(default_factory=list, max_length=20)
    topics: list[str] = Field(default_factory=list, max_length=52)
    participant_specific: bool = False
    group_type: GroupTypeName = "open"
    cohort_start: date | None = None
    cohort_end: date | None = None
    override_reason: str = Field(default="", max_length=200)


class SeriesPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    kind: KindName | None = None
    start_time: LocalTime | None = None
    duration_minutes: int | None = Field(default=None, ge=5, le=600)
    rrule: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=500)
    mode: ModeName | None = None
    room: UUID | None = None
    telehealth_url: str | None = Field(default=None, max_length=200)
    facilitators: list[UUID] | None = Field(default=None, max_length=20)
    topics: list[str] | None = Field(default=None, max_length=52)
    group_type: GroupTypeName | None = None
    cohort_start: date | None = None
    cohort_end: date | None = None
    from_date: date | None = Field(
        default=None, description="Apply to this and following sessions (splits the series)."
    )
    override_reason: str = Field(default="", max_length=200)


class RefOut(Schema):
    public_id: UUID
    name: str


class SeriesOut(Schema):
    public_id: UUID
    track: RefOut
    name: str
    kind: str
    start_time: LocalTime
    duration_minutes: int
    rrule: str
    description: str
    dtstart: date
    last_date: date | None
    mode: str
    room: RefOut | None
    telehealth_url: str
    facilitators: list[RefOut]
    capacity: int
    topics: list[str]
    participant_specific: bool
    group_type: str
    cohort_start: date | None
    cohort_end: date | None
    split_from: UUID | None


class OccurrenceOut(Schema):
    series: UUID
    series_name: str
    original_date: date
    date: date
    starts_at: datetime
    ends_at: datetime
    mode: str
    room: RefOut | None
    telehealth_url: str
    facilitators: list[RefOut]
    topic: str
    cancelled: bool
    cancel_reason: str
    attendance_complete: bool


class AttendanceOut(Schema):
    episode: UUID
    participant: UUID
    display_name: str
    expected: bool
    walk_in: bool
    status: str | None
    minutes_late: int
    minutes_left_early: int
    minutes_attended: int
    mode: str | None
    marked_by: str | None
    marked_at: datetime | None


class AttendanceIn(Schema):
    status: StatusName
    minutes_late: int = Field(default=0, ge=0, le=600)
    minutes_left_early: int = Field(default=0, ge=0, le=600)
    mode: AttendanceModeName | None = None
    reason: str = Field(default="", max_length=300, description="Needed once attendance is locked.")
    walk_in_reason: str = Field(
        default="", max_length=200, description="For someone not on the roster."
    )


class FlagOut(Schema):
    code: str
    label: str


class HoursOut(Schema):
    episode: UUID
    week: str
    scheduled_hours: Decimal
    attended_hours: Decimal
    projected_hours: Decimal
    min_hours: Decimal
    max_hours: Decimal
    band: str
    flags: list[FlagOut]


class FeedIn(Schema):
    kind: Literal["participant", "clinician", "room"]
    participant: UUID | None = None
    room: UUID | None = None


class FeedOut(Schema):
    public_id: UUID
    kind: str
    url: str = Field(description="The secret URL. Shown once: only its hash is kept.")


def _ref(obj: User | Room | Track) -> RefOut:
    if isinstance(obj, User):
        return RefOut(public_id=obj.public_id, name=obj.get_full_name())
    return RefOut(public_id=obj.public_id, name=obj.name)


def _series_out(series: SessionSeries) -> SeriesOut:
    return SeriesOut(
        public_id=series.public_id,
        track=_ref(series.track),
        name=series.name,
        kind=series.kind,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        rrule=series.rrule,
        description=series.rule.describe(),
        dtstart=series.dtstart,
        last_date=series.last_date,
        mode=series.mode,
        room=_ref(series.room) if series.room else None,
        telehealth_url=series.telehealth_url,
        facilitators=[_ref(u) for u in series.facilitators.all()],
        capacity=series.capacity,
        topics=list(series.topics or []),
        participant_specific=series.participant_specific,
        group_type=series.group_type,
        cohort_start=series.cohort_start,
        cohort_end=series.cohort_end,
        split_from=series.split_from.public_id if series.split_from else None,
    )


def _occurrence_out(slot: Slot) -> OccurrenceOut:
    return OccurrenceOut(
        series=slot.series.public_id,
        series_name=slot.series.name,
        original_date=slot.original_date,
        date=slot.date,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        mode=slot.mode,
        room=_ref(slot.room) if slot.room else None,
        telehealth_url=slot.join_url,
        facilitators=[_ref(u) for u in slot.facilitators],
        topic=slot.topic,
        cancelled=slot.cancelled,
        cancel_reason=slot.cancel_reason,
        attendance_complete=slot.locked,
    )


def _managed(user: User, series: SessionSeries) -> None:
    if not can_manage_schedule(user, series.track.program):
        raise PermissionDenied("Only program directors and front desk manage the schedule.")


def _room(user: User, public_id: UUID | None, organization_id: int) -> Room | None:
    if public_id is None:
        return None
    room = Room.objects.filter(public_id=public_id, site__organization_id=organization_id).first()
    if room is None:
        raise ValidationError({"room": "Unknown room."})
    return room


def _facilitators(ids: list[UUID]) -> list[User]:
    users = list(User.objects.filter(public_id__in=ids))
    if len(users) != len(set(ids)):
        raise ValidationError({"facilitators": "Unknown staff member."})
    return users


@router.get(
    "/series",
    response={200: list[SeriesOut], **error_responses(401, 403, 404, 422)},
    summary="Session series of a program",
)
def list_series(request: HttpRequest, program: UUID) -> list[SeriesOut]:
    user = acting_user(request)
    found = access_schedule_program(user, program)
    return [
        _series_out(s)
        for s in series_queryset().filter(track__program=found).select_related("split_from")
    ]


@router.post(
    "/series",
    response={201: SeriesOut, **error_responses(401, 403, 404, 422)},
    summary="Create a series",
)
def create_series(request: HttpRequest, payload: SeriesIn) -> Status[SeriesOut]:
    """Conflicts (double bookings, capacity) are a 422 on `conflicts` unless
    `override_reason` is given."""
    user = acting_user(request)
    track = (
        Track.objects.filter(public_id=payload.track, program__in=schedule_programs(user))
        .select_related("program", "program__organization")
        .first()
    )
    if track is None:
        raise ValidationError({"track": "Unknown track."})
    if not can_manage_schedule(user, track.program):
        raise PermissionDenied("Only program directors and front desk manage the schedule.")
    data = actions.SeriesData(
        name=payload.name,
        kind=payload.kind,
        start_time=payload.start_time,
        duration_minutes=payload.duration_minutes,
        rrule=payload.rrule,
        dtstart=payload.dtstart,
        capacity=payload.capacity,
        mode=payload.mode,
        room=_room(user, payload.room, track.program.organization_id),
        telehealth_url=payload.telehealth_url,
        facilitators=_facilitators(payload.facilitators),
        topics=payload.topics,
        participant_specific=payload.participant_specific,
        group_type=payload.group_type,
        cohort_start=payload.cohort_start,
        cohort_end=payload.cohort_end,
    )
    series = actions.check_create_series(user, track, data, override_reason=payload.override_reason)
    return Status(201, _series_out(series_queryset().get(pk=series.pk)))


@router.get(
    "/series/{series_id}",
    response={200: SeriesOut, **error_responses(401, 403, 404)},
    summary="One series",
)
def get_series(request: HttpRequest, series_id: str) -> SeriesOut:
    return _series_out(access_series(acting_user(request), series_id))


@router.patch(
    "/series/{series_id}",
    response={200: SeriesOut, **error_responses(401, 403, 404, 422)},
    summary="Change a series (or, with from_date, this and following sessions)",
)
def update_series(request: HttpRequest, series_id: str, payload: SeriesPatch) -> SeriesOut:
    """Returns the series that carries the change: a new one when `from_date` splits it."""
    user = acting_user(request)
    series = access_series(user, series_id, action=Action.UPDATE)
    _managed(user, series)
    data = actions.SeriesData.of(series)
    for name in ("name", "kind", "start_time", "duration_minutes", "rrule", "capacity", "mode",
                 "telehealth_url", "topics", "group_type"):  # fmt: skip
        value = getattr(payload, name)
        if value is not None:
            setattr(data, name, value)
    for name in ("cohort_start", "cohort_end"):
        if name in payload.model_fields_set:
            setattr(data, name, getattr(payload, name))
    if "room" in payload.model_fields_set:
        data.room = _room(user, payload.room, series.track.program.organization_id)
    if payload.facilitators is not None:
        data.facilitators = _facilitators(payload.facilitators)
    carried = actions.check_update_series(
        user, series, data, from_date=payload.from_date, override_reason=payload.override_reason
    )
    return _series_out(series_queryset().select_related("split_from").get(pk=carried.pk))


class WindowQuery(Schema):
    program: UUID
    start: date
    end: date


@router.get(
    "/occurrences",
    response={200: list[OccurrenceOut], **error_responses(401, 403, 404, 422)},
    summary="Occurrences of a program between two local dates",
)
def list_occurrences(request: HttpRequest, window: Query[WindowQuery]) -> list[OccurrenceOut]:
    user = acting_user(request)
    for name in ("start", "end"):
        if not recurrence.in_schedule_calendar(getattr(window, name)):
            raise ValidationError({name: recurrence.OUTSIDE_CALENDAR})
    if window.end < window.start:
        raise ValidationError({"end": "The end is before the start."})
    if (window.end - window.start).days > MAX_WINDOW_DAYS:
        raise ValidationError({"end": f"Ask for at most {MAX_WINDOW_DAYS} days at a time."})
    program = access_schedule_program(user, window.program)
    series = series_queryset().filter(track__program=program).overlapping(window.start, window.end)
    return [_occurrence_out(s) for s in occurrences_between(series, window.start, window.end)]


def _slot_for(user: User, series_id: str, occurrence_date: str, action: str) -> Slot:
    slot = access_occurrence(user, series_id, occurrence_date, action=action)
    if not can_take_attendance(user, slot):
        raise PermissionDenied(
            "Only this session's facilitators and the front desk see its roster."
        )
    return slot


def _attendance_people(slot: Slot) -> list[tuple[Episode, bool]]:
    """Who is on the sheet (expected or not), with the slot's attendance loaded."""
    roster = roster_for([slot.series.pk], slot.date, slot.date)
    expected = expected_episodes(slot, roster)
    attendance_for([slot])
    people: list[tuple[Episode, bool]] = [(e, True) for e in expected]
    people += [
        (a.episode, False) for a in slot.attendance if a.episode_id not in {e.pk for e in expected}
    ]
    return people


def _attendance_rows(slot: Slot, people: list[tuple[Episode, bool]]) -> list[AttendanceOut]:
    marks = {a.episode_id: a for a in slot.attendance}
    rows = []
    for episode, is_expected in people:
        mark = marks.get(episode.pk)
        rows.append(
            AttendanceOut(
                episode=episode.public_id,
                participant=episode.participant.public_id,
                display_name=episode.participant.display_name,
                expected=is_expected,
                walk_in=bool(mark and mark.is_walk_in),
                status=mark.status if mark else None,
                minutes_late=mark.minutes_late if mark else 0,
                minutes_left_early=mark.minutes_left_early if mark else 0,
                minutes_attended=mark.minutes_attended if mark else 0,
                mode=mark.mode if mark else None,
                marked_by=mark.marked_by.get_full_name() if mark and mark.marked_by else None,
                marked_at=mark.marked_at if mark else None,
            )
        )
    return rows


@router.get(
    "/occurrences/{series_id}/{occurrence_date}/attendance",
    response={200: list[AttendanceOut], **error_responses(401, 403, 404)},
    summary="Attendance of one occurrence",
)
def get_attendance(
    request: HttpRequest, series_id: str, occurrence_date: str
) -> list[AttendanceOut]:
    user = acting_user(request)
    slot = _slot_for(user, series_id, occurrence_date, Action.VIEW)
    people = _attendance_people(slot)
    rows = _attendance_rows(slot, people)
    record_list(
        user,
        object_type="scheduling.occurrence",
        object_id=slot.key,
        participants=[episode.participant for episode, _ in people],
        purpose=Purpose.TREAT,
        detail={"results": len(rows), "via": "api"},
    )
    return rows


@router.put(
    "/occurrences/{series_id}/{occurrence_date}/attendance/{episode_id}",
    response={200: list[AttendanceOut], **error_responses(401, 403, 404, 422)},
    summary="Record one person's attendance",
)
def put_attendance(
    request: HttpRequest,
    series_id: str,
    occurrence_date: str,
    episode_id: str,
    payload: AttendanceIn,
) -> list[AttendanceOut]:
    """Last write wins (each write is audited); refused on a cancelled occurrence, for
    someone not on the roster without `walk_in_reason`, and on a locked sheet without
    `reason`."""
    user = acting_user(request)
    slot = _slot_for(user, series_id, occurrence_date, Action.UPDATE)
    episode = access_attendee(user, slot, episode_id, action=Action.UPDATE)
    actions.check_record_attendance(
        user,
        slot,
        episode,
        actions.Mark(
            status=payload.status,
            minutes_late=payload.minutes_late,
            minutes_left_early=payload.minutes_left_early,
            mode=payload.mode or "",
        ),
        reason=payload.reason,
        walk_in_reason=payload.walk_in_reason,
    )
    fresh = find_slot(slot.series.public_id, slot.original_date) or slot
    return _attendance_rows(fresh, _attendance_people(fresh))


@router.get(
    "/participants/{public_id}/hours",
    response={200: HoursOut, **error_responses(401, 403, 404, 422)},
    summary="Hours of one ISO week",
)
def participant_hours(request: HttpRequest, public_id: str, week: str = "") -> HoursOut:
    """Scheduled, attended and projected hours of the participant's current episode against
    its minimum and maximum, with flags. Clinical scope (care team, director)."""
    user = acting_user(request)
    access = access_participant(user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL)
    episode = access.current_episode
    if episode is None or not access.is_clinical_for(episode):
        raise Http404
    today = episode.program.organization.today()
    monday = recurrence.parse_iso_week(week) if week else recurrence.iso_week_start(today)
    if monday is None:
        raise ValidationError({"week": "Use an ISO week such as 2026-W45."})
    entry = week_hours([episode], monday)[episode.pk]
    as_of = min(today, monday + timedelta(days=6))
    flags = flags_for([episode], as_of).get(episode.pk, [])
    return HoursOut(
        episode=episode.public_id,
        week=recurrence.iso_week_label(monday),
        scheduled_hours=entry.scheduled,
        attended_hours=entry.attended,
        projected_hours=entry.projected,
        min_hours=entry.min_hours,
        max_hours=entry.max_hours,
        band=entry.band,
        flags=[FlagOut(code=f.code, label=f.label) for f in flags],
    )


@router.post(
    "/feeds",
    response={201: FeedOut, **error_responses(401, 403, 404, 422)},
    summary="Create a secret calendar feed URL",
)
def create_feed(request: HttpRequest, payload: FeedIn) -> Status[FeedOut]:
    """Your own feed (kind `clinician`), or a participant's or a room's (schedule managers)."""
    user = acting_user(request)
    target: dict[str, object] = {}
    if payload.kind == "clinician":
        target = {"user": user}
    elif payload.kind == "participant":
        if payload.participant is None:
            raise ValidationError({"participant": "Say whose calendar this is."})
        access = access_participant(user, payload.participant, purpose=Purpose.TREAT, audit=False)
        episode = access.current_episode
        if episode is None or not can_manage_schedule(user, episode.program):
            raise PermissionDenied("Only directors and front desk manage participants' feeds.")
        target = {"participant": access.participant}
    else:
        managed = [
            p.organization_id for p in schedule_programs(user) if can_manage_schedule(user, p)
        ]
        room = (
            Room.objects.filter(public_id=payload.room, site__organization_id__in=managed).first()
            if payload.room is not None
            else None
        )
        if room is None:
            raise ValidationError({"room": "Unknown room, or not one you manage."})
        target = {"room": room}
    feed, token = actions.do_create_feed(user, payload.kind, **target)  # type: ignore[arg-type]  # keyword targets
    url = request.build_absolute_uri(reverse("scheduling:feed", kwargs={"feed_token": token}))
    return Status(201, FeedOut(public_id=feed.public_id, kind=feed.kind, url=url))


@router.delete(
    "/feeds/{feed_id}",
    response={204: None, **error_responses(401, 403, 404)},
    summary="Revoke a feed you created (directors: any feed of their participants and rooms)",
)
def revoke_feed(request: HttpRequest, feed_id: str) -> Status[None]:
    """Your own feeds; a program director may also revoke any feed of a participant in their
    program or of a room of their organization (revocation is a safety action)."""
    user = acting_user(request)
    feed = feed_to_revoke(user, feed_id)
    if feed is None:
        raise Http404
    actions.do_revoke_feed(user, feed)
    return Status(204, None)


__all__ = ["AttendanceStatus", "router"]
