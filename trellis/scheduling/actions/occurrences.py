"""One occurrence: cancel, restore, reschedule, substitute, topic; program closures."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.programs.models import Program, Room
from trellis.scheduling import changes, recurrence
from trellis.scheduling import conflicts as conflict_checks
from trellis.scheduling.models import (
    HAS_LINK,
    HAS_ROOM,
    AttendanceStatus,
    Occurrence,
    OccurrenceStatus,
    ProgramClosure,
    is_https_link,
)
from trellis.scheduling.queries import (
    Slot,
    clinical_staff,
    find_slot,
    occurrences_between,
    program_series,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
from trellis.scheduling.actions._shared import (
    HTTPS_ONLY,
    _announce,
    _materialize,
    _occurrence_event,
    _override_detail,
)

# --- occurrences ----------------------------------------------------------------------------


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
    if mode in HAS_ROOM and room is None:
        errors["room"] = "Choose the room for an in-person or hybrid session."
    if mode in HAS_LINK and not (telehealth_url or slot.series.telehealth_url):
        errors["telehealth_url"] = "Enter the video link of a telehealth or hybrid session."
    if telehealth_url and not is_https_link(telehealth_url):
        errors["telehealth_url"] = HTTPS_ONLY
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
        room.pk if room and mode in HAS_ROOM else None,
        frozenset(f.pk for f in slot.facilitators),
    )
    found = conflict_checks.booking_conflicts(
        program.organization,
        [interval],
        exclude_series=set(),
        exclude_slot_keys=frozenset({slot.key}),
    )
    if room is not None and mode in HAS_ROOM:
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
    now = timezone.now()
    before = changes.snapshot([slot] if slot.starts_at > now else [])
    row = _materialize(slot)
    row.moved_to_date = None if new_date == slot.original_date else new_date
    row.moved_start_time = None if start_time == slot.series.start_time else start_time
    row.moved_duration_minutes = (
        None if duration_minutes == slot.series.duration_minutes else duration_minutes
    )
    row.mode = "" if mode == slot.series.mode else mode
    row.room = room if mode in HAS_ROOM and room != slot.series.room else None
    row.telehealth_url = telehealth_url if mode in HAS_LINK else ""
    row.save()
    _occurrence_event(
        actor, slot, "reschedule", {"date": f"{new_date:%Y-%m-%d}", "mode": mode, **(detail or {})}
    )
    moved = find_slot(slot.series.public_id, slot.original_date)
    after = changes.snapshot([moved] if moved is not None and moved.starts_at > now else [])
    _announce(changes.MOVED, slot.series.track.program, before, after)
    return row


def check_substitute_facilitator(
    actor: User, slot: Slot, *, substitute: User, replaced: User | None
) -> Occurrence:
    program = slot.series.track.program
    if not clinical_staff(program).filter(pk=substitute.pk).exists():
        raise ValidationError(
            {
                "substitute": f"Only clinicians and directors of {program.name} cover a "
                "session; that person is not one of them."
            }
        )
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
def do_add_closure(actor: User | None, program: Program, day: date, reason: str) -> ProgramClosure:
    now = timezone.now()
    held = [
        s
        for s in occurrences_between(program_series(program, day, day), day, day)
        if not s.cancelled and s.starts_at > now
    ]
    before = changes.snapshot(held)
    closure = ProgramClosure.objects.create(program=program, date=day, reason=reason.strip()[:120])
    _announce(changes.CLOSURE, program, before, changes.snapshot([]))
    record(
        actor,
        Action.CREATE,
        obj=closure,
        object_id=str(closure.pk),
        detail={"program": str(program.public_id), "date": f"{day:%Y-%m-%d}"},
    )
    return closure
