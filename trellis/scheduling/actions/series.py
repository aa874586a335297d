"""Session series: create, update, and split ("this and following")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.programs.models import Membership, Program, Room, Track
from trellis.scheduling import changes, notify, recurrence
from trellis.scheduling import conflicts as conflict_checks
from trellis.scheduling.models import (
    HAS_LINK,
    HAS_ROOM,
    Attendance,
    GroupType,
    Mode,
    Occurrence,
    OccurrenceStatus,
    RosterMembership,
    SessionKind,
    SessionSeries,
    is_https_link,
)
from trellis.scheduling.queries import expand

if TYPE_CHECKING:
    from trellis.accounts.models import User
from trellis.scheduling.actions._shared import (
    HTTPS_ONLY,
    MAX_TOPICS,
    _announce,
    _override_detail,
    program_today,
)

# --- series -----------------------------------------------------------------------------


@dataclass
class SeriesData:
    """What a person enters for a series (types already checked by a form or schema)."""

    name: str
    start_time: time
    duration_minutes: int
    rrule: str
    dtstart: date
    capacity: int
    kind: str = SessionKind.GROUP
    mode: str = Mode.IN_PERSON
    room: Room | None = None
    telehealth_url: str = ""
    facilitators: list[User] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    participant_specific: bool = False
    group_type: str = GroupType.OPEN
    cohort_start: date | None = None
    cohort_end: date | None = None

    @classmethod
    def of(cls, series: SessionSeries) -> SeriesData:
        return cls(
            name=series.name,
            start_time=series.start_time,
            duration_minutes=series.duration_minutes,
            rrule=series.rrule,
            dtstart=series.dtstart,
            capacity=series.capacity,
            kind=series.kind,
            mode=series.mode,
            room=series.room,
            telehealth_url=series.telehealth_url,
            facilitators=list(series.facilitators.all()),
            topics=list(series.topics or []),
            participant_specific=series.participant_specific,
            group_type=series.group_type,
            cohort_start=series.cohort_start,
            cohort_end=series.cohort_end,
        )


def _validate_group_type(data: SeriesData, errors: dict[str, str]) -> None:
    if data.group_type not in GroupType.values:
        errors["group_type"] = "Choose an open, closed or cohort group."
    elif data.group_type == GroupType.COHORT:
        if data.cohort_start is None:
            errors["cohort_start"] = "Enter the cohort's first day."
        if data.cohort_end is None:
            errors["cohort_end"] = "Enter the cohort's last day."
        elif data.cohort_start is not None and data.cohort_end < data.cohort_start:
            errors["cohort_end"] = "The cohort's last day is before its first day."
    else:
        # Dates belong to cohorts only: an open or closed group keeps none.
        data.cohort_start = data.cohort_end = None


def _validate_series(track: Track, data: SeriesData) -> recurrence.Rule:
    errors: dict[str, str] = {}
    program = track.program
    data.name = data.name.strip()
    if not data.name:
        errors["name"] = "Enter the session's name, e.g. DBT skills."
    if data.kind not in SessionKind.values:
        errors["kind"] = "Choose group, individual, family or medication review."
    rule: recurrence.Rule | None = None
    if not recurrence.in_schedule_calendar(data.dtstart):
        errors["dtstart"] = recurrence.OUTSIDE_CALENDAR
    try:
        rule = recurrence.parse_rule(data.rrule)
    except recurrence.RecurrenceError as error:
        errors["rrule"] = str(error)
    if rule is not None and rule.until is not None and rule.until < data.dtstart:
        errors["rrule"] = (
            f"The series ends on {rule.until:%Y-%m-%d}, before its first date "
            f"{data.dtstart:%Y-%m-%d}."
        )
    if not 5 <= data.duration_minutes <= 600:
        errors["duration_minutes"] = "A session lasts from 5 minutes to 10 hours."
    else:
        start_minutes = data.start_time.hour * 60 + data.start_time.minute
        if start_minutes + data.duration_minutes > 24 * 60:
            errors["duration_minutes"] = "A session must end on the day it starts."
        elif not track.keeps_hours(data.start_time, data.duration_minutes):
            ends = (start_minutes + data.duration_minutes) % (24 * 60)
            errors["start_time"] = (
                f"The {track.name} track runs {track.hours_label}: a session from "
                f"{notify.clock(data.start_time)} to {notify.clock(time(ends // 60, ends % 60))} "
                "is outside its hours. Choose a time within them, or ask an administrator to "
                "change the track's hours."
            )
    if data.capacity < 1:
        errors["capacity"] = "Capacity is at least 1."
    if data.mode not in Mode.values:
        errors["mode"] = "Choose in person, telehealth or hybrid."
    if data.mode in HAS_ROOM and data.room is None:
        errors["room"] = "Choose the room for an in-person or hybrid session."
    if data.mode in HAS_LINK and not data.telehealth_url:
        errors["telehealth_url"] = "Enter the video link of a telehealth or hybrid session."
    _validate_group_type(data, errors)
    if data.telehealth_url and not is_https_link(data.telehealth_url):
        errors["telehealth_url"] = HTTPS_ONLY
    if data.room is not None and data.room.site.organization_id != program.organization_id:
        errors["room"] = "That room belongs to another organization."
    if len(data.topics) > MAX_TOPICS:
        errors["topics"] = f"At most {MAX_TOPICS} topics."
    data.topics = [t.strip()[:200] for t in data.topics if t.strip()]
    if data.participant_specific and data.kind == SessionKind.GROUP:
        errors["participant_specific"] = "A group session is for the track, not one person."
    if data.facilitators:
        staff = set(
            Membership.objects.active()
            .filter(organization_id=program.organization_id)
            .filter(Q(program=program) | Q(program__isnull=True))
            .filter(user__in=data.facilitators)
            .values_list("user_id", flat=True)
        )
        outsiders = [u for u in data.facilitators if u.pk not in staff]
        if outsiders:
            errors["facilitators"] = (
                f"{', '.join(u.get_full_name() for u in outsiders)} "
                f"{'does' if len(outsiders) == 1 else 'do'} not work in {program.name}."
            )
    if errors:
        raise ValidationError(errors)
    assert rule is not None  # noqa: S101 - errors above cover every path without a rule
    return rule


def _series_conflicts(
    track: Track, data: SeriesData, rule: recurrence.Rule, exclude: set[int]
) -> list[conflict_checks.Conflict]:
    program = track.program
    organization = program.organization
    start, end = conflict_checks.horizon(
        data.dtstart, recurrence.last_date(rule, data.dtstart), program_today(program)
    )
    intervals = conflict_checks.intervals_of_rule(
        rule,
        data.dtstart,
        data.start_time,
        data.duration_minutes,
        organization.tz,
        start,
        end,
        data.room.pk if data.room and data.mode in HAS_ROOM else None,
        [u.pk for u in data.facilitators],
    )
    found = conflict_checks.booking_conflicts(
        organization,
        intervals,
        exclude_series=exclude,
        users={u.pk: u.get_full_name() for u in data.facilitators},
    )
    room = data.room if data.mode in HAS_ROOM else None
    return found + conflict_checks.capacity_conflicts(data.capacity, room)


def check_create_series(
    actor: User, track: Track, data: SeriesData, *, override_reason: str = ""
) -> SessionSeries:
    rule = _validate_series(track, data)
    found = _series_conflicts(track, data, rule, exclude=set())
    conflict_checks.refuse_unless_overridden(found, override_reason)
    return do_create_series(
        actor, track, data, rule, detail=_override_detail(found, override_reason)
    )


@transaction.atomic
def do_create_series(
    actor: User | None,
    track: Track,
    data: SeriesData,
    rule: recurrence.Rule | None = None,
    *,
    split_from: SessionSeries | None = None,
    detail: dict[str, Any] | None = None,
) -> SessionSeries:
    rule = rule or recurrence.parse_rule(data.rrule)
    series = SessionSeries.objects.create(
        track=track,
        name=data.name,
        kind=data.kind,
        start_time=data.start_time,
        duration_minutes=data.duration_minutes,
        rrule=rule.as_text(),
        dtstart=data.dtstart,
        last_date=recurrence.last_date(rule, data.dtstart),
        mode=data.mode,
        room=data.room if data.mode in HAS_ROOM else None,
        telehealth_url=data.telehealth_url,
        capacity=data.capacity,
        topics=data.topics,
        participant_specific=data.participant_specific,
        group_type=data.group_type,
        cohort_start=data.cohort_start,
        cohort_end=data.cohort_end,
        split_from=split_from,
    )
    series.facilitators.set(data.facilitators)
    record(
        actor,
        Action.CREATE,
        obj=series,
        detail={"track": str(track.public_id), "rrule": series.rrule, **(detail or {})},
    )
    return series


TIMING_FIELDS = ("start_time", "duration_minutes", "rrule", "dtstart")


def _has_attendance(series: SessionSeries, on_or_after: date | None = None) -> bool:
    attendance = Attendance.objects.filter(occurrence__series=series)
    if on_or_after is not None:
        attendance = attendance.filter(occurrence__original_date__gte=on_or_after)
    return attendance.exists()


def check_update_series(
    actor: User,
    series: SessionSeries,
    data: SeriesData,
    *,
    from_date: date | None = None,
    override_reason: str = "",
) -> SessionSeries:
    """Edit the whole series, or with `from_date` this and the following occurrences (a
    split). Returns the series that carries the change."""
    track = series.track
    if from_date is not None and from_date > series.dtstart:
        data.dtstart = from_date
    rule = _validate_series(track, data)
    old = SeriesData.of(series)
    timing_changed = (
        any(getattr(old, name) != getattr(data, name) for name in TIMING_FIELDS if name != "rrule")
        or recurrence.parse_rule(series.rrule) != rule
    )
    splitting = from_date is not None and from_date > series.dtstart
    if not splitting and timing_changed and _has_attendance(series):
        raise ValidationError(
            {
                "from_date": "Sessions of this series already have attendance, and their "
                "times are kept as they happened: apply the change to this and following "
                "sessions from a later date."
            }
        )
    if splitting and series.last_date is not None and from_date > series.last_date:  # type: ignore[operator]  # narrowed by splitting
        raise ValidationError({"from_date": "The series has already ended by that date."})
    found = _series_conflicts(track, data, rule, exclude={series.pk})
    conflict_checks.refuse_unless_overridden(found, override_reason)
    detail = _override_detail(found, override_reason)
    if splitting:
        assert from_date is not None  # noqa: S101 - splitting implies it
        return do_split_series(actor, series, from_date, data, rule, detail=detail)
    return do_update_series(actor, series, data, rule, detail=detail)


@transaction.atomic
def do_update_series(
    actor: User | None,
    series: SessionSeries,
    data: SeriesData,
    rule: recurrence.Rule,
    *,
    detail: dict[str, Any] | None = None,
) -> SessionSeries:
    window = _notice_window(series.track.program)
    was = changes.snapshot(changes.upcoming([series.pk], *window))
    before = SeriesData.of(series)
    changed = [
        name
        for name in (
            "name", "kind", "start_time", "duration_minutes", "dtstart", "mode", "room",
            "telehealth_url", "capacity", "topics", "participant_specific", "facilitators",
            "group_type", "cohort_start", "cohort_end",
        )
        if getattr(before, name) != getattr(data, name)
    ]  # fmt: skip
    if series.rrule != rule.as_text():
        changed.append("rrule")
    series.name = data.name
    series.kind = data.kind
    series.start_time = data.start_time
    series.duration_minutes = data.duration_minutes
    series.rrule = rule.as_text()
    series.dtstart = data.dtstart
    series.last_date = recurrence.last_date(rule, data.dtstart)
    series.mode = data.mode
    series.room = data.room if data.mode in HAS_ROOM else None
    series.telehealth_url = data.telehealth_url
    series.capacity = data.capacity
    series.topics = data.topics
    series.participant_specific = data.participant_specific
    series.group_type = data.group_type
    series.cohort_start = data.cohort_start
    series.cohort_end = data.cohort_end
    series.save()
    series.facilitators.set(data.facilitators)
    record(actor, Action.UPDATE, obj=series, detail={"changed": changed, **(detail or {})})
    now = changes.snapshot(changes.upcoming([series.pk], *window))
    _announce(changes.SERIES, series.track.program, was, now)
    return series


def _notice_window(program: Program, from_date: date | None = None) -> tuple[date, date, datetime]:
    """The sessions a series change is announced for: from today (or the split date) over
    the next NOTICE_WEEKS weeks, those still to start."""
    start = max(program_today(program), from_date or program_today(program))
    return start, start + timedelta(weeks=changes.NOTICE_WEEKS), timezone.now()


@transaction.atomic
def do_split_series(
    actor: User | None,
    series: SessionSeries,
    from_date: date,
    data: SeriesData,
    rule: recurrence.Rule,
    *,
    detail: dict[str, Any] | None = None,
) -> SessionSeries:
    """End `series` the day before `from_date` and continue it as a new series.

    Occurrences on or after the split that already have attendance stay with the old series,
    untouched (they happened as they were); if the new series would hold a session the same
    day it is cancelled there, so nobody is expected twice. Other exceptions move across.
    """
    window = _notice_window(series.track.program, from_date)
    was = changes.snapshot(changes.upcoming([series.pk], *window))
    old_rule = recurrence.parse_rule(series.rrule)
    before = [d for _, d in expand(series, series.dtstart, from_date - timedelta(days=1))]
    if old_rule.count is not None:
        ended = recurrence.Rule(old_rule.days, old_rule.interval, count=max(1, len(before)))
        if data.rrule == series.rrule:  # the remaining sessions continue the count
            rule = recurrence.Rule(
                rule.days, rule.interval, count=max(1, old_rule.count - len(before))
            )
    else:
        ended = recurrence.Rule(
            old_rule.days, old_rule.interval, until=from_date - timedelta(days=1)
        )
    series.rrule = ended.as_text()
    series.last_date = recurrence.last_date(ended, series.dtstart) or series.dtstart
    series.save(update_fields=["rrule", "last_date"])
    data.dtstart = from_date
    new = do_create_series(actor, series.track, data, rule, split_from=series, detail=detail)

    def produced_by_new(day: date) -> bool:
        return bool(expand(new, day, day))

    for row in Occurrence.objects.filter(series=series, original_date__gte=from_date):
        if row.attendance.exists():
            if produced_by_new(row.original_date):
                Occurrence.objects.get_or_create(
                    series=new,
                    original_date=row.original_date,
                    defaults={
                        "status": OccurrenceStatus.CANCELLED,
                        "cancel_reason": "Held under the earlier schedule",
                    },
                )
        elif produced_by_new(row.original_date):
            row.series = new
            row.save(update_fields=["series"])
        else:
            row.delete()
    for membership in RosterMembership.objects.filter(series=series).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=from_date)
    ):
        if membership.start_date >= from_date:
            membership.series = new
            membership.save(update_fields=["series"])
        else:
            RosterMembership.objects.create(
                episode_id=membership.episode_id,
                series=new,
                start_date=from_date,
                end_date=membership.end_date,
            )
            membership.end_date = from_date - timedelta(days=1)
            membership.save(update_fields=["end_date"])
    record(
        actor,
        Action.UPDATE,
        obj=series,
        detail={"split_at": f"{from_date:%Y-%m-%d}", "continued_as": str(new.public_id)},
    )
    now = changes.snapshot(
        changes.upcoming([series.pk, new.pk], *window), lineage={new.pk: series.pk}
    )
    _announce(changes.SERIES, series.track.program, was, now)
    return new
