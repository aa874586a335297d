"""Attendance: marks, undo, completion and corrections; per-episode hours overrides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.participants.models import Episode
from trellis.programs.models import Program
from trellis.scheduling import attendance_hooks
from trellis.scheduling.models import (
    ATTENDED,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    EpisodeHoursOverride,
    Mode,
    Occurrence,
    RosterMembership,
    minutes_attended,
)
from trellis.scheduling.queries import Slot

if TYPE_CHECKING:
    from trellis.accounts.models import User
from trellis.scheduling.actions._shared import (
    _materialize,
    _occurrence_event,
    program_today,
)

# --- attendance ---------------------------------------------------------------------------


# What may be recorded before a session starts: people call in ahead, and a session can be
# called off for one person. Presence and no-shows only exist once the session has begun.
BEFORE_START_ALLOWED = {AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.CANCELLED_BY_PROGRAM}


def not_started_message(slot: Slot, program: Program) -> str:
    """The refusal for presence before the start, in the program's wall-clock time."""
    starts = slot.starts_at.astimezone(program.organization.tz)
    when = f"{starts.hour % 12 or 12}:{starts:%M} {'am' if starts.hour < 12 else 'pm'}"
    day = (
        "today"
        if starts.date() == program_today(program)
        else f"on {starts:%a} {starts.day} {starts:%b}"
    )
    return (
        f"This session has not started yet (it starts at {when} {day}): mark presence, "
        "lateness, early leaving or a no-show once it has started. Excused absences and "
        "cancellations can be recorded before then."
    )


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
    if mark.mode and mark.mode not in {Mode.IN_PERSON, Mode.TELEHEALTH}:
        # A person joins a hybrid session one way or the other.
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

    Refused: a cancelled occurrence, presence, lateness, early leaving or a no-show before
    the session's start (an excused absence or a cancellation may be recorded ahead: people
    call in), someone not on the roster (unless added as a walk-in with a reason), a locked
    sheet without a correction reason.
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
    if mark.status not in BEFORE_START_ALLOWED and timezone.now() < slot.starts_at:
        raise ValidationError({"status": not_started_message(slot, program)})
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
        if episode.program_id != program.pk or not episode.is_open:
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
    attendance_hooks.attendance_changed(actor, slot, episode, mark.status)
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
    attendance_hooks.attendance_changed(actor, slot, episode, "")


def check_complete_attendance(actor: User, slot: Slot, expected: list[Episode]) -> Occurrence:
    if slot.cancelled:
        raise ValidationError({"occurrence": "This session was cancelled."})
    if slot.locked:
        raise ValidationError({"occurrence": "Attendance is already complete."})
    program = slot.series.track.program
    if timezone.now() < slot.starts_at:
        raise ValidationError({"occurrence": not_started_message(slot, program)})
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
    actor: User,
    episode: Episode,
    minimum: Decimal,
    maximum: Decimal,
    reason: str,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> EpisodeHoursOverride:
    """Weekly hours for one person's episode that differ from the program's, with the rule
    or decision behind them and, optionally, the dates they hold (a step-down week)."""
    errors = {}
    if minimum < 0 or maximum > 60:
        errors["min_hours_per_week"] = "Hours per week are between 0 and 60."
    if minimum > maximum:
        errors["max_hours_per_week"] = "Maximum hours must be at least the minimum."
    if not reason.strip():
        errors["reason"] = "Say which rule sets these hours (e.g. the payer)."
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The last day comes on or after the first."
    if not episode.is_open:
        errors["reason"] = "The episode is closed: its hours can no longer change."
    if errors:
        raise ValidationError(errors)
    return do_set_hours_override(
        actor, episode, minimum, maximum, reason.strip(), starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def do_set_hours_override(
    actor: User | None,
    episode: Episode,
    minimum: Decimal,
    maximum: Decimal,
    reason: str,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> EpisodeHoursOverride:
    override, _ = EpisodeHoursOverride.objects.update_or_create(
        episode=episode,
        defaults={
            "min_hours_per_week": minimum,
            "max_hours_per_week": maximum,
            "reason": reason,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "set_by": actor if actor is not None and actor.is_authenticated else None,
            "set_at": timezone.now(),
        },
    )
    record(
        actor,
        Action.UPDATE,
        participant=episode.participant,
        obj=override,
        detail={
            "min": str(minimum),
            "max": str(maximum),
            "starts_on": starts_on.isoformat() if starts_on else "",
            "ends_on": ends_on.isoformat() if ends_on else "",
        },
    )
    return override


@transaction.atomic
def do_end_hours_override(actor: User | None, episode: Episode) -> None:
    """Back to the program's weekly hours for this episode (the override row is removed; the
    trail keeps what it said)."""
    override = EpisodeHoursOverride.objects.filter(episode=episode).first()
    if override is None:
        return
    record(
        actor,
        Action.DELETE,
        participant=episode.participant,
        obj=override,
        detail={"min": str(override.min_hours_per_week), "max": str(override.max_hours_per_week)},
    )
    override.delete()
