"""Every write to schedules, rosters, attendance and feeds. Atomic, audited.

`check_*` validates (raising ValidationError with a {field: message} dict, nothing written)
and then calls `do_*`. Audit details carry identifiers, codes and counts; free text a person
typed (a correction reason, a walk-in reason) is stored on its own row, not in the trail.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import Membership, Program, Room, Track
from trellis.scheduling import conflicts as conflict_checks
from trellis.scheduling import recurrence
from trellis.scheduling.models import (
    ATTENDED,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    CalendarFeed,
    EpisodeHoursOverride,
    FeedKind,
    Mode,
    Occurrence,
    OccurrenceStatus,
    ProgramClosure,
    RosterMembership,
    SessionKind,
    SessionSeries,
    minutes_attended,
)
from trellis.scheduling.queries import Slot, expand, occurrences_between, series_queryset

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant

MAX_TOPICS = 52


def program_today(program: Program) -> date:
    return timezone.now().astimezone(program.organization.tz).date()


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
        )


def _validate_series(track: Track, data: SeriesData) -> recurrence.Rule:
    errors: dict[str, str] = {}
    program = track.program
    data.name = data.name.strip()
    if not data.name:
        errors["name"] = "Enter the session's name, e.g. DBT skills."
    if data.kind not in SessionKind.values:
        errors["kind"] = "Choose group, individual, family or medication review."
    rule: recurrence.Rule | None = None
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
    if data.capacity < 1:
        errors["capacity"] = "Capacity is at least 1."
    if data.mode not in Mode.values:
        errors["mode"] = "Choose in person or telehealth."
    elif data.mode == Mode.IN_PERSON and data.room is None:
        errors["room"] = "Choose the room for an in-person session."
    elif data.mode == Mode.TELEHEALTH and not data.telehealth_url:
        errors["telehealth_url"] = "Enter the telehealth link."
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
        data.room.pk if data.room and data.mode == Mode.IN_PERSON else None,
        [u.pk for u in data.facilitators],
    )
    found = conflict_checks.booking_conflicts(
        organization,
        intervals,
        exclude_series=exclude,
        users={u.pk: u.get_full_name() for u in data.facilitators},
    )
    room = data.room if data.mode == Mode.IN_PERSON else None
    return found + conflict_checks.capacity_conflicts(data.capacity, room)


def _override_detail(found: list[conflict_checks.Conflict], reason: str) -> dict[str, Any]:
    if not found:
        return {}
    # Scheduling override reasons are operational ("room 3 is being painted"), kept in the
    # trail so a reviewer sees why a double booking was allowed.
    return {"conflicts": sorted({c.kind for c in found}), "override_reason": reason.strip()[:200]}


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
    audit: bool = True,
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
        room=data.room if data.mode == Mode.IN_PERSON else None,
        telehealth_url=data.telehealth_url,
        capacity=data.capacity,
        topics=data.topics,
        participant_specific=data.participant_specific,
        split_from=split_from,
    )
    series.facilitators.set(data.facilitators)
    if audit:
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
    before = SeriesData.of(series)
    changed = [
        name
        for name in (
            "name", "kind", "start_time", "duration_minutes", "dtstart", "mode", "room",
            "telehealth_url", "capacity", "topics", "participant_specific", "facilitators",
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
    series.room = data.room if data.mode == Mode.IN_PERSON else None
    series.telehealth_url = data.telehealth_url
    series.capacity = data.capacity
    series.topics = data.topics
    series.participant_specific = data.participant_specific
    series.save()
    series.facilitators.set(data.facilitators)
    record(actor, Action.UPDATE, obj=series, detail={"changed": changed, **(detail or {})})
    return series


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
    return new


# --- occurrences ----------------------------------------------------------------------------


def _materialize(slot: Slot) -> Occurrence:
    """The occurrence's row, locked for this transaction (created on first exception)."""
    row, _ = Occurrence.objects.get_or_create(series=slot.series, original_date=slot.original_date)
    locked = Occurrence.objects.select_for_update().get(pk=row.pk)
    slot.row = locked
    return locked


def _occurrence_event(
    actor: User | None, slot: Slot, change: str, detail: dict[str, Any] | None = None
) -> None:
    record(
        actor,
        Action.UPDATE,
        object_type="scheduling.occurrence",
        object_id=slot.key,
        detail={"change": change, **(detail or {})},
    )


@transaction.atomic
def do_cancel_occurrence(actor: User | None, slot: Slot, reason: str) -> Occurrence:
    if slot.cancelled:
        raise ValidationError({"occurrence": "This session is already cancelled."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling (attendees see it)."})
    row = _materialize(slot)
    if row.attendance.exclude(status=AttendanceStatus.CANCELLED_BY_PROGRAM).exists():
        raise ValidationError(
            {"occurrence": "Attendance was already taken for this session: undo it first."}
        )
    row.status = OccurrenceStatus.CANCELLED
    row.cancel_reason = reason.strip()[:200]
    row.save(update_fields=["status", "cancel_reason"])
    _occurrence_event(actor, slot, "cancel")
    from trellis.scheduling.tasks import notify_cancellation

    transaction.on_commit(lambda: notify_cancellation.enqueue(row.pk))
    return row


@transaction.atomic
def do_restore_occurrence(actor: User | None, slot: Slot) -> Occurrence:
    row = _materialize(slot)
    row.status = OccurrenceStatus.SCHEDULED
    row.cancel_reason = ""
    row.save(update_fields=["status", "cancel_reason"])
    _occurrence_event(actor, slot, "restore")
    return row


def check_reschedule_occurrence(
    actor: User,
    slot: Slot,
    *,
    new_date: date,
    start_time: time,
    duration_minutes: int,
    mode: str,
    room: Room | None,
    telehealth_url: str = "",
    override_reason: str = "",
) -> Occurrence:
    errors: dict[str, str] = {}
    program = slot.series.track.program
    if slot.cancelled:
        errors["occurrence"] = "This session is cancelled: restore it before moving it."
    if slot.attendance or (slot.row is not None and slot.row.attendance.exists()):
        errors["occurrence"] = "Attendance was taken: the session is kept as it happened."
    if not 5 <= duration_minutes <= 600:
        errors["duration_minutes"] = "A session lasts from 5 minutes to 10 hours."
    elif start_time.hour * 60 + start_time.minute + duration_minutes > 24 * 60:
        errors["duration_minutes"] = "A session must end on the day it starts."
    if mode == Mode.IN_PERSON and room is None:
        errors["room"] = "Choose the room for an in-person session."
    if mode == Mode.TELEHEALTH and not (telehealth_url or slot.series.telehealth_url):
        errors["telehealth_url"] = "Enter the telehealth link."
    if room is not None and room.site.organization_id != program.organization_id:
        errors["room"] = "That room belongs to another organization."
    if abs((new_date - slot.original_date).days) > 31:
        errors["new_date"] = "Move a session by at most a month; for more, change the series."
    if errors:
        raise ValidationError(errors)
    starts = recurrence.aware(new_date, start_time, program.organization.tz)
    interval = conflict_checks.Interval(
        starts,
        starts + timedelta(minutes=duration_minutes),
        room.pk if room and mode == Mode.IN_PERSON else None,
        frozenset(f.pk for f in slot.facilitators),
    )
    found = conflict_checks.booking_conflicts(
        program.organization,
        [interval],
        exclude_series=set(),
        exclude_slot_keys=frozenset({slot.key}),
    )
    if room is not None and mode == Mode.IN_PERSON:
        found += conflict_checks.capacity_conflicts(slot.series.capacity, room)
    conflict_checks.refuse_unless_overridden(found, override_reason)
    return do_reschedule_occurrence(
        actor,
        slot,
        new_date=new_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        mode=mode,
        room=room,
        telehealth_url=telehealth_url,
        detail=_override_detail(found, override_reason),
    )


@transaction.atomic
def do_reschedule_occurrence(
    actor: User | None,
    slot: Slot,
    *,
    new_date: date,
    start_time: time,
    duration_minutes: int,
    mode: str,
    room: Room | None,
    telehealth_url: str = "",
    detail: dict[str, Any] | None = None,
) -> Occurrence:
    row = _materialize(slot)
    row.moved_to_date = None if new_date == slot.original_date else new_date
    row.moved_start_time = None if start_time == slot.series.start_time else start_time
    row.moved_duration_minutes = (
        None if duration_minutes == slot.series.duration_minutes else duration_minutes
    )
    row.mode = "" if mode == slot.series.mode else mode
    row.room = room if mode == Mode.IN_PERSON and room != slot.series.room else None
    row.telehealth_url = telehealth_url if mode == Mode.TELEHEALTH else ""
    row.save()
    _occurrence_event(
        actor, slot, "reschedule", {"date": f"{new_date:%Y-%m-%d}", "mode": mode, **(detail or {})}
    )
    return row


def check_substitute_facilitator(
    actor: User, slot: Slot, *, substitute: User, replaced: User | None
) -> Occurrence:
    program = slot.series.track.program
    works_here = (
        Membership.objects.active()
        .filter(user=substitute, organization_id=program.organization_id)
        .filter(Q(program=program) | Q(program__isnull=True))
        .exists()
    )
    if not works_here:
        raise ValidationError({"substitute": f"That person does not work in {program.name}."})
    if replaced is not None and replaced.pk not in {u.pk for u in slot.series.facilitators.all()}:
        raise ValidationError({"replaced": "That person is not a facilitator of this series."})
    if slot.cancelled:
        raise ValidationError({"occurrence": "This session is cancelled."})
    return do_substitute_facilitator(actor, slot, substitute=substitute, replaced=replaced)


@transaction.atomic
def do_substitute_facilitator(
    actor: User | None, slot: Slot, *, substitute: User, replaced: User | None
) -> Occurrence:
    row = _materialize(slot)
    row.substitute = substitute
    row.substitute_for = replaced
    row.save(update_fields=["substitute", "substitute_for"])
    _occurrence_event(
        actor,
        slot,
        "substitute",
        {
            "substitute": str(substitute.public_id),
            "replaced": str(replaced.public_id) if replaced else "",
        },
    )
    return row


@transaction.atomic
def do_change_topic(actor: User | None, slot: Slot, topic: str) -> Occurrence:
    row = _materialize(slot)
    row.topic = topic.strip()[:200]
    row.save(update_fields=["topic"])
    _occurrence_event(actor, slot, "topic")
    return row


def check_add_closure(actor: User, program: Program, day: date, reason: str) -> ProgramClosure:
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the program is closed, e.g. Thanksgiving."
    if ProgramClosure.objects.filter(program=program, date=day).exists():
        errors["date"] = f"The program is already closed on {day:%Y-%m-%d}."
    if errors:
        raise ValidationError(errors)
    return do_add_closure(actor, program, day, reason)


@transaction.atomic
def do_add_closure(
    actor: User | None, program: Program, day: date, reason: str, *, audit: bool = True
) -> ProgramClosure:
    closure = ProgramClosure.objects.create(program=program, date=day, reason=reason.strip()[:120])
    if audit:
        record(
            actor,
            Action.CREATE,
            obj=closure,
            object_id=str(closure.pk),
            detail={"program": str(program.public_id), "date": f"{day:%Y-%m-%d}"},
        )
    return closure


# --- rosters ------------------------------------------------------------------------------


def check_add_to_roster(
    actor: User,
    episode: Episode,
    series: SessionSeries,
    start: date,
    end: date | None = None,
    *,
    override_reason: str = "",
) -> RosterMembership:
    errors: dict[str, str] = {}
    if episode.program_id != series.track.program_id:
        errors["series"] = "That session belongs to another program."
    if episode.status == EpisodeStatus.DISCHARGED:
        errors["episode"] = "The episode is discharged."
    if end is not None and end < start:
        errors["end_date"] = "The end date is before the start date."
    if series.last_date is not None and start > series.last_date:
        errors["start_date"] = "The series has ended by then."
    overlapping = RosterMembership.objects.filter(episode=episode, series=series).overlapping(
        start, end or date.max
    )
    if overlapping.exists():
        errors["start_date"] = "Already on this session's roster for part of that period."
    if errors:
        raise ValidationError(errors)
    found = roster_conflicts(episode, series, start, end)
    conflict_checks.refuse_unless_overridden(found, override_reason)
    return do_add_to_roster(
        actor, episode, series, start, end, detail=_override_detail(found, override_reason)
    )


def roster_conflicts(
    episode: Episode, series: SessionSeries, start: date, end: date | None
) -> list[conflict_checks.Conflict]:
    """Over capacity on the first day, or the person already in an overlapping session."""
    expected = RosterMembership.objects.filter(series=series).active_on(start).count() + 1
    found = conflict_checks.capacity_conflicts(series.capacity, None, expected)
    window_end = start + timedelta(weeks=conflict_checks.CONFLICT_HORIZON_WEEKS)
    if end is not None:
        window_end = min(window_end, end)
    others = series_queryset().filter(
        pk__in=RosterMembership.objects.filter(episode=episode)
        .overlapping(start, window_end)
        .values("series_id")
    )
    other_slots = [s for s in occurrences_between(others, start, window_end) if not s.cancelled]
    mine = [s for s in occurrences_between([series], start, window_end) if not s.cancelled]
    for slot in mine:
        for other in other_slots:
            if other.series.pk != series.pk and (
                other.starts_at < slot.ends_at and slot.starts_at < other.ends_at
            ):
                found.append(
                    conflict_checks.Conflict(
                        "participant",
                        f"Already expected at {other.series.name} on "
                        f"{other.date:%a %Y-%m-%d} at {other.start_time:%H:%M}.",
                    )
                )
                break
        if len(found) > 5:
            break
    return found


@transaction.atomic
def do_add_to_roster(
    actor: User | None,
    episode: Episode,
    series: SessionSeries,
    start: date,
    end: date | None = None,
    *,
    detail: dict[str, Any] | None = None,
    audit: bool = True,
) -> RosterMembership:
    membership = RosterMembership.objects.create(
        episode=episode, series=series, start_date=start, end_date=end
    )
    if audit:
        record(
            actor,
            Action.CREATE,
            participant=episode.participant,
            obj=membership,
            detail={
                "series": str(series.public_id),
                "start": f"{start:%Y-%m-%d}",
                **(detail or {}),
            },
        )
    return membership


@transaction.atomic
def do_end_roster_membership(
    actor: User | None, membership: RosterMembership, end: date
) -> RosterMembership:
    if end < membership.start_date:
        raise ValidationError({"end_date": "The end date is before the start date."})
    membership.end_date = end
    membership.save(update_fields=["end_date"])
    record(
        actor,
        Action.UPDATE,
        participant=membership.episode.participant,
        obj=membership,
        detail={"end": f"{end:%Y-%m-%d}"},
    )
    return membership


@transaction.atomic
def do_join_track_series(
    actor: User | None, episode: Episode, start: date, *, audit: bool = True
) -> list[RosterMembership]:
    """Put an episode on every group series of its track from `start` (admission to a track
    means its groups). Series already joined for that date are skipped."""
    if episode.track_id is None:
        return []
    joined = []
    series_list = SessionSeries.objects.filter(
        track_id=episode.track_id, participant_specific=False
    ).filter(Q(last_date__isnull=True) | Q(last_date__gte=start))
    for series in series_list:
        if (
            RosterMembership.objects.filter(episode=episode, series=series)
            .active_on(max(start, series.dtstart))
            .exists()
        ):
            continue
        joined.append(
            do_add_to_roster(actor, episode, series, max(start, series.dtstart), audit=audit)
        )
    return joined


# --- attendance ---------------------------------------------------------------------------


@dataclass
class Mark:
    status: str
    minutes_late: int = 0
    minutes_left_early: int = 0
    mode: str = ""


def _validate_mark(slot: Slot, mark: Mark) -> dict[str, str]:
    errors: dict[str, str] = {}
    if mark.status not in AttendanceStatus.values:
        errors["status"] = "Choose present, late, left early, absent or cancelled by program."
    if mark.minutes_late and mark.status not in {
        AttendanceStatus.LATE,
        AttendanceStatus.LEFT_EARLY,
    }:
        errors["minutes_late"] = "Minutes late go with a late arrival."
    if mark.minutes_left_early and mark.status != AttendanceStatus.LEFT_EARLY:
        errors["minutes_left_early"] = "Minutes left early go with leaving early."
    if not 0 <= mark.minutes_late < slot.duration_minutes:
        errors["minutes_late"] = f"Between 0 and {slot.duration_minutes - 1} minutes."
    if not 0 <= mark.minutes_left_early < slot.duration_minutes:
        errors["minutes_left_early"] = f"Between 0 and {slot.duration_minutes - 1} minutes."
    if mark.mode and mark.mode not in Mode.values:
        errors["mode"] = "In person or telehealth."
    return errors


def check_record_attendance(
    actor: User,
    slot: Slot,
    episode: Episode,
    mark: Mark,
    *,
    reason: str = "",
    walk_in_reason: str = "",
) -> Attendance:
    """Validate and record one person's attendance at one occurrence.

    Refused: a cancelled occurrence, a future date, someone not on the roster (unless added
    as a walk-in with a reason), a locked sheet without a correction reason.
    """
    program = slot.series.track.program
    if slot.cancelled:
        raise ValidationError(
            {
                "occurrence": "This session was cancelled"
                + (f" ({slot.cancel_reason})" if slot.cancel_reason else "")
                + ": attendance cannot be recorded."
            }
        )
    if slot.date > program_today(program):
        raise ValidationError({"occurrence": "This session has not happened yet."})
    errors = _validate_mark(slot, mark)
    if errors:
        raise ValidationError(errors)
    on_roster = (
        RosterMembership.objects.filter(episode=episode, series=slot.series)
        .active_on(slot.date)
        .exists()
    )
    existing = (
        Attendance.objects.filter(occurrence=slot.row, episode=episode).first()
        if slot.row is not None
        else None
    )
    walk_in = False
    if not on_roster and existing is None:
        if episode.program_id != program.pk or episode.status == EpisodeStatus.DISCHARGED:
            raise ValidationError({"participant": "Not a current participant of this program."})
        if not walk_in_reason.strip():
            raise ValidationError(
                {
                    "participant": "Not on this session's roster: add them as a walk-in, "
                    "with a reason."
                }
            )
        walk_in = True
    if slot.locked and not reason.strip():
        raise ValidationError(
            {"reason": "Attendance is complete and locked: give a reason for the correction."}
        )
    return do_record_attendance(
        actor, slot, episode, mark, reason=reason, walk_in=walk_in, walk_in_reason=walk_in_reason
    )


@transaction.atomic
def do_record_attendance(
    actor: User | None,
    slot: Slot,
    episode: Episode,
    mark: Mark,
    *,
    reason: str = "",
    walk_in: bool = False,
    walk_in_reason: str = "",
    audit: bool = True,
) -> Attendance:
    # Locking the occurrence row serializes two people marking the same sheet: the second
    # waits, then overwrites. The last write wins and shows who made it; both are audited.
    row = _materialize(slot)
    existing = Attendance.objects.filter(occurrence=row, episode=episode).first()
    previous = existing.status if existing else ""
    mode = mark.mode or (Mode.TELEHEALTH if slot.mode == Mode.TELEHEALTH else Mode.IN_PERSON)
    marker = actor if actor is not None and actor.is_authenticated else None
    late = (
        mark.minutes_late
        if mark.status in {AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY}
        else 0
    )
    early = mark.minutes_left_early if mark.status == AttendanceStatus.LEFT_EARLY else 0
    values = {
        "status": mark.status,
        "minutes_late": late,
        "minutes_left_early": early,
        "mode": mode,
        "minutes_attended": minutes_attended(mark.status, slot.duration_minutes, late, early),
        "session_date": slot.date,
        "scheduled_minutes": slot.duration_minutes,
        "marked_by": marker,
        "marked_at": timezone.now(),
    }
    if existing is None:
        attendance = Attendance.objects.create(
            occurrence=row,
            episode=episode,
            is_walk_in=walk_in,
            walk_in_reason=walk_in_reason.strip()[:200],
            **values,
        )
    else:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        attendance = existing
    correction = None
    if row.is_locked:
        correction = AttendanceCorrection.objects.create(
            occurrence=row,
            episode=episode,
            previous_status=previous,
            new_status=mark.status,
            reason=reason.strip()[:300],
            corrected_by=marker,
        )
    if audit:
        record(
            actor,
            Action.UPDATE if existing else Action.CREATE,
            participant=episode.participant,
            object_type="scheduling.attendance",
            # object_id holds 64 characters: the occurrence key; the episode goes in detail.
            object_id=slot.key,
            detail={
                "episode": str(episode.public_id),
                "status": mark.status,
                "previous": previous,
                "walk_in": walk_in,
                "correction": correction.pk if correction else None,
            },
        )
    return attendance


def check_undo_attendance(actor: User, slot: Slot, episode: Episode, *, reason: str = "") -> None:
    if slot.locked and not reason.strip():
        raise ValidationError(
            {"reason": "Attendance is complete and locked: give a reason for the correction."}
        )
    do_undo_attendance(actor, slot, episode, reason=reason)


@transaction.atomic
def do_undo_attendance(
    actor: User | None, slot: Slot, episode: Episode, *, reason: str = ""
) -> None:
    row = _materialize(slot)
    existing = Attendance.objects.filter(occurrence=row, episode=episode).first()
    if existing is None:
        return
    previous = existing.status
    existing.delete()
    correction = None
    if row.is_locked:
        correction = AttendanceCorrection.objects.create(
            occurrence=row,
            episode=episode,
            previous_status=previous,
            new_status="",
            reason=reason.strip()[:300],
            corrected_by=actor if actor is not None and actor.is_authenticated else None,
        )
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        object_type="scheduling.attendance",
        object_id=slot.key,
        detail={
            "episode": str(episode.public_id),
            "status": "",
            "previous": previous,
            "correction": correction.pk if correction else None,
        },
    )


def check_complete_attendance(actor: User, slot: Slot, expected: list[Episode]) -> Occurrence:
    if slot.cancelled:
        raise ValidationError({"occurrence": "This session was cancelled."})
    if slot.locked:
        raise ValidationError({"occurrence": "Attendance is already complete."})
    marked = (
        set(Attendance.objects.filter(occurrence=slot.row).values_list("episode_id", flat=True))
        if slot.row is not None
        else set()
    )
    missing = [e for e in expected if e.pk not in marked]
    if missing:
        raise ValidationError(
            {
                "occurrence": f"{len(missing)} "
                + ("person is" if len(missing) == 1 else "people are")
                + " not marked yet: mark everyone before completing."
            }
        )
    return do_complete_attendance(actor, slot)


@transaction.atomic
def do_complete_attendance(actor: User | None, slot: Slot) -> Occurrence:
    row = _materialize(slot)
    row.completed_at = timezone.now()
    row.completed_by = actor if actor is not None and actor.is_authenticated else None
    row.save(update_fields=["completed_at", "completed_by"])
    attended = row.attendance.filter(status__in=ATTENDED).count()
    _occurrence_event(actor, slot, "complete", {"attended": attended})
    return row


def check_set_hours_override(
    actor: User, episode: Episode, minimum: Decimal, maximum: Decimal, reason: str
) -> EpisodeHoursOverride:
    errors = {}
    if minimum < 0 or maximum > 60:
        errors["min_hours_per_week"] = "Hours per week are between 0 and 60."
    if minimum > maximum:
        errors["max_hours_per_week"] = "Maximum hours must be at least the minimum."
    if not reason.strip():
        errors["reason"] = "Say which rule sets these hours (e.g. the payer)."
    if errors:
        raise ValidationError(errors)
    return do_set_hours_override(actor, episode, minimum, maximum, reason)


@transaction.atomic
def do_set_hours_override(
    actor: User | None, episode: Episode, minimum: Decimal, maximum: Decimal, reason: str
) -> EpisodeHoursOverride:
    override, _ = EpisodeHoursOverride.objects.update_or_create(
        episode=episode,
        defaults={"min_hours_per_week": minimum, "max_hours_per_week": maximum, "reason": reason},
    )
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=override,
        detail={"min": str(minimum), "max": str(maximum)},
    )
    return override


# --- calendar feeds ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_feed(
    actor: User | None,
    kind: str,
    *,
    participant: Participant | None = None,
    user: User | None = None,
    room: Room | None = None,
) -> tuple[CalendarFeed, str]:
    """A new secret feed URL token. The token is returned once; only its hash is kept."""
    targets = {FeedKind.PARTICIPANT: participant, FeedKind.CLINICIAN: user, FeedKind.ROOM: room}
    if kind not in targets or targets[kind] is None:  # type: ignore[index]  # checked membership
        raise ValidationError({"kind": "Say whose calendar this is."})
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        kind=kind,
        participant=participant if kind == FeedKind.PARTICIPANT else None,
        user=user if kind == FeedKind.CLINICIAN else None,
        room=room if kind == FeedKind.ROOM else None,
        token_hash=hash_token(token),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=feed,
        detail={"kind": kind},
    )
    return feed, token


@transaction.atomic
def do_revoke_feed(actor: User | None, feed: CalendarFeed) -> None:
    if feed.revoked_at is not None:
        return
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(actor, Action.UPDATE, participant=feed.participant, obj=feed, detail={"revoked": True})


@transaction.atomic
def do_rotate_feed(actor: User | None, feed: CalendarFeed) -> tuple[CalendarFeed, str]:
    """Revoke a feed and issue a new URL for the same calendar."""
    do_revoke_feed(actor, feed)
    return do_create_feed(
        actor, feed.kind, participant=feed.participant, user=feed.user, room=feed.room
    )
