"""Setting check-ins up: a program's schedules (its director) and one episode's exceptions to
them (the care team). Atomic and audited; the admin stays for emergencies only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.choices import Weekday
from trellis.measures.models import (
    Administration,
    AdministrationStatus,
    Schedule,
    ScheduleKind,
    ScheduleOverride,
)
from trellis.measures.registry import available_codes
from trellis.participants.models import Episode
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User

LONGEST_WINDOW_DAYS = 28
LATEST_FOLLOW_UP_DAYS = 365
REASON_LENGTH = 500


@dataclass(frozen=True)
class ScheduleData:
    instrument_code: str
    kind: str
    weekday: int | None = None
    offset_days: int = 0
    window_days: int = 3


def _clean(data: ScheduleData) -> ScheduleData:
    """The schedule as stored: fields that do not apply to its kind are cleared."""
    errors: dict[str, str] = {}
    if data.kind not in ScheduleKind.values:
        errors["kind"] = "Choose when the check-in is offered."
    weekday = data.weekday if data.kind == ScheduleKind.WEEKLY else None
    if data.kind == ScheduleKind.WEEKLY and weekday not in Weekday.values:
        errors["weekday"] = "A weekly check-in needs a weekday."
    offset = data.offset_days if data.kind == ScheduleKind.AFTER_DISCHARGE else 0
    if data.kind == ScheduleKind.AFTER_DISCHARGE and not 1 <= offset <= LATEST_FOLLOW_UP_DAYS:
        errors["offset_days"] = f"Follow-up is 1 to {LATEST_FOLLOW_UP_DAYS} days after discharge."
    if not 1 <= data.window_days <= LONGEST_WINDOW_DAYS:
        errors["window_days"] = f"A check-in stays open 1 to {LONGEST_WINDOW_DAYS} days."
    elif data.kind == ScheduleKind.WEEKLY and data.window_days > 7:
        errors["window_days"] = "A weekly check-in stays open at most 7 days (then the next opens)."
    if errors:
        raise ValidationError(errors)
    return ScheduleData(data.instrument_code, data.kind, weekday, offset, data.window_days)


def _refuse_duplicate(program: Program, data: ScheduleData, exclude: Schedule | None) -> None:
    same = Schedule.objects.filter(
        program=program,
        is_active=True,
        instrument_code=data.instrument_code,
        kind=data.kind,
        weekday=data.weekday,
        offset_days=data.offset_days,
    )
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"kind": f"{data.instrument_code} is already scheduled then."})


def check_create_schedule(actor: User, program: Program, data: ScheduleData) -> Schedule:
    if data.instrument_code not in available_codes():
        raise ValidationError({"instrument_code": "Choose an instrument Trellis has."})
    data = _clean(data)
    _refuse_duplicate(program, data, None)
    return do_create_schedule(actor, program, data)


@transaction.atomic
def do_create_schedule(actor: User | None, program: Program, data: ScheduleData) -> Schedule:
    schedule = Schedule.objects.create(
        program=program,
        instrument_code=data.instrument_code,
        kind=data.kind,
        weekday=data.weekday,
        offset_days=data.offset_days,
        window_days=data.window_days,
    )
    record(actor, Action.CREATE, obj=schedule, purpose=Purpose.HOPERAT, detail=_detail(schedule))
    return schedule


def check_update_schedule(
    actor: User, schedule: Schedule, *, weekday: int | None, offset_days: int, window_days: int
) -> Schedule:
    """Change when an active schedule offers its check-in. Its instrument and kind stay: the
    check-ins it already made belong to them (retire it and add another to change those)."""
    if not schedule.is_active:
        raise ValidationError({"kind": "This schedule is retired."})
    data = _clean(
        ScheduleData(schedule.instrument_code, schedule.kind, weekday, offset_days, window_days)
    )
    _refuse_duplicate(schedule.program, data, schedule)
    return do_update_schedule(actor, schedule, data)


@transaction.atomic
def do_update_schedule(actor: User | None, schedule: Schedule, data: ScheduleData) -> Schedule:
    schedule.weekday = data.weekday
    schedule.offset_days = data.offset_days
    schedule.window_days = data.window_days
    schedule.save(update_fields=["weekday", "offset_days", "window_days"])
    record(actor, Action.UPDATE, obj=schedule, purpose=Purpose.HOPERAT, detail=_detail(schedule))
    return schedule


def check_retire_schedule(actor: User, schedule: Schedule) -> Schedule:
    if not schedule.is_active:
        raise ValidationError({"schedule": "This schedule is already retired."})
    return do_retire_schedule(actor, schedule)


@transaction.atomic
def do_retire_schedule(actor: User | None, schedule: Schedule) -> Schedule:
    """No new check-ins from it; those already open stay open until their window ends."""
    schedule.is_active = False
    schedule.save(update_fields=["is_active"])
    record(actor, Action.UPDATE, obj=schedule, purpose=Purpose.HOPERAT, detail={"retired": True})
    return schedule


def _detail(schedule: Schedule) -> dict[str, object]:
    return {
        "program": str(schedule.program.public_id),
        "instrument": schedule.instrument_code,
        "kind": schedule.kind,
        "weekday": schedule.weekday,
        "offset_days": schedule.offset_days,
        "window_days": schedule.window_days,
    }


# --- one episode's exception ----------------------------------------------------------------


class OverrideMode:
    PROGRAM = "program"
    PAUSE = "pause"
    WEEKDAY = "weekday"
    CHOICES = (
        (PROGRAM, "As the program schedules it"),
        (PAUSE, "Pause for this episode"),
        (WEEKDAY, "Another weekday for this episode"),
    )


def check_set_override(
    actor: User,
    episode: Episode,
    schedule: Schedule,
    *,
    mode: str,
    weekday: int | None,
    reason: str,
) -> ScheduleOverride:
    """Pause a schedule for one episode, move its weekly check-in to another weekday, or
    return it to the program's schedule. Always with a reason (kept, encrypted)."""
    reason = reason.strip()
    if schedule.program_id != episode.program_id or not schedule.is_active:
        raise ValidationError({"mode": "That schedule is not one of this program's."})
    if mode not in {OverrideMode.PROGRAM, OverrideMode.PAUSE, OverrideMode.WEEKDAY}:
        raise ValidationError({"mode": "Choose what should happen."})
    if mode == OverrideMode.WEEKDAY:
        if schedule.kind != ScheduleKind.WEEKLY:
            raise ValidationError({"mode": "Only a weekly check-in can move to another day."})
        if weekday not in Weekday.values:
            raise ValidationError({"weekday": "Choose the weekday."})
        if weekday == schedule.weekday:
            raise ValidationError(
                {"weekday": "That is the program's day: choose “as the program schedules it”."}
            )
    if not reason:
        raise ValidationError({"reason": "Say why, for the team and the record."})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": f"Keep the reason under {REASON_LENGTH} characters."})
    return do_set_override(
        actor,
        episode,
        schedule,
        skip=mode == OverrideMode.PAUSE,
        weekday=weekday if mode == OverrideMode.WEEKDAY else None,
        reason=reason,
    )


@transaction.atomic
def do_set_override(
    actor: User | None,
    episode: Episode,
    schedule: Schedule,
    *,
    skip: bool,
    weekday: int | None,
    reason: str,
) -> ScheduleOverride:
    """Set (or replace) the episode's override. Pausing also cancels the schedule's check-ins
    of this episode that are open and not yet started; one the participant has started stays
    open for them to finish."""
    override, created = ScheduleOverride.objects.update_or_create(
        episode=episode,
        schedule=schedule,
        defaults={
            "skip": skip,
            "weekday": weekday,
            "reason": reason,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    cancelled = 0
    if skip:
        cancelled = Administration.objects.filter(
            episode=episode, schedule=schedule, status=AdministrationStatus.DUE
        ).update(status=AdministrationStatus.CANCELLED, link_token_hash="")
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        participant=episode.participant,
        obj=override,
        purpose=Purpose.TREAT,
        detail={
            "schedule": str(schedule.public_id),
            "skip": skip,
            "weekday": weekday,
            "cancelled": cancelled,
        },
    )
    return override
