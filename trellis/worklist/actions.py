"""Every write to alerts: raise, acknowledge, document follow-up, escalate. Atomic, audited.

Clinical apps raise alerts with `do_raise_alert(...)`; the worklist never imports them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program
from trellis.worklist.models import (
    TASK_KINDS,
    Alert,
    AlertKind,
    AlertRecipient,
    AlertStatus,
    Comment,
    Priority,
    ProgramOnCall,
    Reassignment,
    RecipientReason,
)
from trellis.worklist.queries import (
    escalation_delay,
    may_own,
    on_call_candidates,
    overlapping_shifts,
    primary_clinicians,
    program_directors,
    urgent_alert_receivers,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User

# How long each priority may wait before it is overdue. Urgent: the same day at the latest
# (docs/domain.md §4: a critical item reaches a clinician the same day).
DUE_IN = {
    Priority.URGENT: timedelta(hours=4),
    Priority.HIGH: timedelta(days=2),
    Priority.NORMAL: timedelta(days=7),
}


def _mark_recipient_acknowledged(alert: Alert, user: User, now: datetime) -> bool:
    """Stamp `user`'s own acknowledgement, once; True when this call stamped it."""
    return bool(
        AlertRecipient.objects.filter(alert=alert, user=user, acknowledged_at__isnull=True).update(
            acknowledged_at=now
        )
    )


def _add_recipient(alert: Alert, user: User, reason: str) -> bool:
    _, created = AlertRecipient.objects.get_or_create(
        alert=alert, user=user, defaults={"reason": reason}
    )
    return created


@transaction.atomic
def do_raise_alert(
    actor: User | None,
    *,
    participant: Participant,
    episode: Episode | None,
    kind: str,
    priority: str,
    title: str,
    source: str,
    dedupe_key: str,
    detail: str = "",
    notify_on_call: bool = False,
    now: datetime | None = None,
    owner: User | None = None,
    due_at: datetime | None = None,
    created_by: User | None = None,
) -> Alert:
    """Raise an alert once: a second call with the same `dedupe_key` returns the first.

    Recipients: the episode's primary clinician, plus, when `notify_on_call` (urgent critical
    items), whoever receives the program's urgent alerts now (`urgent_alert_receivers`: the
    on-call clinician, else the program director). When nobody would receive it, the program
    director does at once: an alert with no reader is a lost alert. An explicit `owner`
    (the co-signer of a note, the owner a team named for a decision) replaces the primary
    clinician as owner and recipient.
    """
    now = now or timezone.now()
    existing = Alert.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    program = episode.program if episode is not None else None
    if owner is not None:
        primaries = [owner]
    else:
        primaries = primary_clinicians(episode, now) if episode is not None else []
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                participant=participant,
                episode=episode,
                program=program,
                owner=primaries[0] if primaries else None,
                kind=kind,
                priority=priority,
                title=title[:200],
                detail=detail,
                source=source[:100],
                dedupe_key=dedupe_key[:150],
                created_at=now,
                due_at=due_at or now + DUE_IN.get(Priority(priority), DUE_IN[Priority.NORMAL]),
                created_by=created_by,
            )
    except IntegrityError:
        # Raised concurrently by another process: that one stands.
        return Alert.objects.get(dedupe_key=dedupe_key)
    for user in primaries:
        _add_recipient(
            alert, user, RecipientReason.OWNER if owner is not None else RecipientReason.PRIMARY
        )
    if program is not None and notify_on_call:
        for receiver in urgent_alert_receivers(program, now):
            _add_recipient(alert, receiver.user, receiver.reason)
    if program is not None and not alert.recipients.exists():
        for user in program_directors(program):
            _add_recipient(alert, user, RecipientReason.ESCALATION)
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=alert,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={"kind": kind, "priority": priority, "source": alert.source},
    )
    return alert


def check_create_task(
    actor: User,
    *,
    episode: Episode,
    owner: User,
    title: str,
    due_at: datetime,
    priority: str = Priority.NORMAL,
    kind: str = AlertKind.TASK,
    source: str = "",
    detail: str = "",
    dedupe_key: str = "",
) -> Alert:
    """Validate, then create a task by hand (or from a team-meeting decision)."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Say what is to be done."
    if not may_own(owner, episode):
        errors["owner"] = "The owner must be staff who can see this participant's chart."
    if priority not in Priority.values:
        errors["priority"] = "Choose a priority."
    if kind not in TASK_KINDS:
        errors["kind"] = "Choose a kind of task."
    if errors:
        raise ValidationError(errors)
    return do_raise_alert(
        actor,
        participant=episode.participant,
        episode=episode,
        kind=kind,
        priority=priority,
        title=title.strip(),
        detail=detail,
        source=source or f"worklist.task:{actor.public_id}",
        dedupe_key=dedupe_key or f"task:{uuid.uuid4()}",
        owner=owner,
        due_at=due_at,
        created_by=actor,
    )


def check_reassign(actor: User, alert: Alert, new_owner: User) -> Alert:
    if not alert.is_open:
        raise ValidationError({"__all__": "A closed item cannot be reassigned."})
    if new_owner.pk == alert.owner_id:
        raise ValidationError({"owner": "That person already owns it."})
    if not may_own(new_owner, alert.episode):
        raise ValidationError(
            {"owner": "The new owner must be staff who can see this participant's chart."}
        )
    return do_reassign(actor, alert, new_owner)


@transaction.atomic
def do_reassign(actor: User, alert: Alert, new_owner: User) -> Alert:
    """Hand the item to `new_owner`. The previous owner's inbox entry goes (unless they hold
    it as on-call or by escalation, which are roles, not ownership); the history stays."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    previous = locked.owner_id
    if previous is not None:
        AlertRecipient.objects.filter(
            alert=locked,
            user_id=previous,
            reason__in=[RecipientReason.PRIMARY, RecipientReason.OWNER, RecipientReason.CARE_TEAM],
        ).delete()
    locked.owner = new_owner
    locked.save(update_fields=["owner"])
    if not _add_recipient(locked, new_owner, RecipientReason.OWNER):
        AlertRecipient.objects.filter(alert=locked, user=new_owner).update(
            reason=RecipientReason.OWNER
        )
    Reassignment.objects.create(alert=locked, from_user_id=previous, to_user=new_owner, by=actor)
    record(
        actor,
        Action.UPDATE,
        participant=locked.participant,
        obj=locked,
        purpose=Purpose.TREAT,
        detail={
            "reassigned_to": str(new_owner.public_id),
            "from": previous is not None,
        },
    )
    return locked


def check_add_comment(actor: User, alert: Alert, text: str) -> Comment:
    if not text.strip():
        raise ValidationError({"text": "Write a comment."})
    if len(text) > 4000:
        raise ValidationError({"text": "Keep a comment under 4000 characters."})
    return do_add_comment(actor, alert, text.strip())


@transaction.atomic
def do_add_comment(actor: User, alert: Alert, text: str) -> Comment:
    comment = Comment.objects.create(alert=alert, author=actor, text=text)
    # The text is clinical: the event says a comment was added, never what it says.
    record(
        actor,
        Action.CREATE,
        participant=alert.participant,
        obj=comment,
        purpose=Purpose.TREAT,
        detail={"alert": str(alert.public_id)},
    )
    return comment


def check_complete_task(actor: User, alert: Alert, *, note: str = "") -> Alert:
    """Complete a task. Clinical alerts (risk, deterioration) are closed by documenting the
    follow-up instead: a tick is not a risk assessment."""
    if not alert.is_open:
        raise ValidationError({"__all__": "This item is already closed."})
    if not alert.is_task:
        raise ValidationError(
            {"__all__": "Alerts are closed by documenting the follow-up, not completed."}
        )
    return do_complete_task(actor, alert, note=note.strip())


@transaction.atomic
def do_complete_task(
    actor: User | None, alert: Alert, *, note: str = "", now: datetime | None = None
) -> Alert:
    now = now or timezone.now()
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if not locked.is_open:
        return locked
    locked.status = AlertStatus.RESOLVED
    locked.resolved_at = now
    locked.resolved_by = actor
    locked.follow_up_note = note
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now
        locked.acknowledged_by = actor
    locked.save()
    record(
        actor,
        Action.UPDATE,
        participant=locked.participant,
        obj=locked,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={"completed": True},
    )
    return locked


def do_close_cleared(source_prefix: str, still_open_sources: set[str]) -> int:
    """Sweeps call this: complete system tasks whose `source` starts with `source_prefix`
    and whose condition is gone (the note was signed, the plan reviewed). Idempotent."""
    stale = Alert.objects.filter(
        source__startswith=source_prefix,
        status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED],
        created_by__isnull=True,
    ).exclude(source__in=still_open_sources)
    closed = 0
    for alert in stale:
        do_complete_task(None, alert, note="Closed automatically: the condition cleared.")
        closed += 1
    return closed


@transaction.atomic
def do_acknowledge_alert(user: User, alert: Alert, *, now: datetime | None = None) -> Alert:
    """Acknowledge for `user`. The first acknowledgement's time is the alert's time to
    acknowledgement; each recipient's own is kept on their inbox entry."""
    now = now or timezone.now()
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    mine = _mark_recipient_acknowledged(locked, user, now)
    if mine and locked.acknowledged_at is not None:
        record(
            user,
            Action.UPDATE,
            participant=locked.participant,
            obj=locked,
            purpose=Purpose.TREAT,
            detail={"acknowledged": True, "recipient": True},
        )
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now
        locked.acknowledged_by = user
        if locked.status == AlertStatus.OPEN:
            locked.status = AlertStatus.ACKNOWLEDGED
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
        record(
            user,
            Action.UPDATE,
            participant=locked.participant,
            obj=locked,
            purpose=Purpose.TREAT,
            detail={"acknowledged": True, "minutes": locked.minutes_to_acknowledge},
        )
    return locked


def check_document_follow_up(
    user: User,
    alert: Alert,
    *,
    risk_assessment_done: bool,
    safety_plan_reviewed: bool,
    referred_higher_level: bool,
    note: str,
    now: datetime | None = None,
) -> Alert:
    """Validate, then document the follow-up and resolve the alert."""
    if not alert.is_open:
        raise ValidationError({"__all__": "This alert is already resolved."})
    did_something = risk_assessment_done or safety_plan_reviewed or referred_higher_level
    if alert.kind == AlertKind.CRITICAL_ITEM and not did_something:
        # A critical item is resolved by documented clinical action, not by a note alone
        # (docs/domain.md §4: risk assessment, safety plan).
        raise ValidationError(
            {
                "__all__": "Record what was done: a risk assessment, a safety plan review, "
                "or a referral to a higher level of care."
            }
        )
    if not did_something and not note.strip():
        raise ValidationError({"follow_up_note": "Say what was done."})
    return do_document_follow_up(
        user,
        alert,
        risk_assessment_done=risk_assessment_done,
        safety_plan_reviewed=safety_plan_reviewed,
        referred_higher_level=referred_higher_level,
        note=note.strip(),
        now=now,
    )


@transaction.atomic
def do_document_follow_up(
    user: User,
    alert: Alert,
    *,
    risk_assessment_done: bool,
    safety_plan_reviewed: bool,
    referred_higher_level: bool,
    note: str,
    now: datetime | None = None,
) -> Alert:
    now = now or timezone.now()
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    _mark_recipient_acknowledged(locked, user, now)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now
        locked.acknowledged_by = user
    locked.risk_assessment_done = risk_assessment_done
    locked.safety_plan_reviewed = safety_plan_reviewed
    locked.referred_higher_level = referred_higher_level
    locked.follow_up_note = note
    locked.status = AlertStatus.RESOLVED
    locked.resolved_at = now
    locked.resolved_by = user
    locked.save()
    record(
        user,
        Action.UPDATE,
        participant=locked.participant,
        obj=locked,
        purpose=Purpose.TREAT,
        detail={
            "resolved": True,
            "risk_assessment_done": risk_assessment_done,
            "safety_plan_reviewed": safety_plan_reviewed,
            "referred_higher_level": referred_higher_level,
        },
    )
    return locked


def do_escalate_overdue_alerts(now: datetime | None = None) -> int:
    """Send unacknowledged urgent alerts older than the escalation delay to the program
    director. Idempotent: `escalated_at` is set once, under a row lock, so two sweeps (or a
    sweep repeated after a worker restart) escalate each alert once."""
    now = now or timezone.now()
    cutoff = now - escalation_delay()
    candidates = list(
        Alert.objects.filter(
            priority=Priority.URGENT,
            status=AlertStatus.OPEN,
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            created_at__lte=cutoff,
        ).values_list("pk", flat=True)
    )
    escalated = 0
    for pk in candidates:
        with transaction.atomic():
            alert = (
                # of=("self",): PostgreSQL cannot lock the nullable side of an outer join.
                Alert.objects.select_for_update(of=("self",))
                .select_related("program", "participant")
                .filter(pk=pk, escalated_at__isnull=True, acknowledged_at__isnull=True)
                .first()
            )
            if alert is None:
                continue
            alert.escalated_at = now
            alert.save(update_fields=["escalated_at"])
            directors = program_directors(alert.program) if alert.program else []
            for user in directors:
                if not _add_recipient(alert, user, RecipientReason.ESCALATION):
                    AlertRecipient.objects.filter(alert=alert, user=user).update(
                        reason=RecipientReason.ESCALATION
                    )
            record(
                None,
                Action.UPDATE,
                participant=alert.participant,
                obj=alert,
                purpose=Purpose.TREAT,
                actor_label="system",
                detail={"escalated": True, "to": len(directors)},
            )
            escalated += 1
    return escalated


# A shift longer than this is almost always a typo (a year or a month off); a director who
# means a longer cover adds consecutive shifts.
LONGEST_SHIFT = timedelta(days=14)


def check_set_on_call(
    actor: User,
    program: Program,
    user: User,
    *,
    starts_at: datetime,
    ends_at: datetime,
    alongside: bool = False,
    now: datetime | None = None,
) -> ProgramOnCall:
    """Put `user` on call for `program`. Only the program's clinical staff take shifts.

    Overlaps: one person never holds two shifts at once. Two people on call at the same time
    is allowed only when the director says so (`alongside`): both then receive the program's
    urgent alerts, which is what a second, backup clinician is for; an accidental overlap
    would double-page without anyone meaning it."""
    now = now or timezone.now()
    if not any(candidate.pk == user.pk for candidate in on_call_candidates(program)):
        raise ValidationError(
            {"user": "Only the program's clinicians and directors can be on call for it."}
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The shift must end after it starts."})
    if ends_at <= now:
        raise ValidationError({"ends_at": "That shift has already ended."})
    if ends_at - starts_at > LONGEST_SHIFT:
        raise ValidationError(
            {"ends_at": "A shift can last at most 14 days: add consecutive shifts for longer."}
        )
    overlapping = overlapping_shifts(program, starts_at, ends_at)
    zone = program.organization.tz
    for shift in overlapping:
        when = (
            f"{shift.starts_at.astimezone(zone):%b %-d %H:%M} to "
            f"{shift.ends_at.astimezone(zone):%b %-d %H:%M}"
        )
        if shift.user_id == user.pk:
            raise ValidationError({"starts_at": f"{user.name} is already on call {when}."})
        if not alongside:
            raise ValidationError(
                {
                    "alongside": f"{shift.user.name} is on call {when}. Tick “on call "
                    "alongside” if both should receive urgent alerts, or change the times."
                }
            )
    return do_set_on_call(actor, program, user, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def do_set_on_call(
    actor: User | None, program: Program, user: User, *, starts_at: datetime, ends_at: datetime
) -> ProgramOnCall:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The shift must end after it starts."})
    shift = ProgramOnCall.objects.create(
        program=program, user=user, starts_at=starts_at, ends_at=ends_at
    )
    record(
        actor,
        Action.CREATE,
        obj=shift,
        purpose=Purpose.HOPERAT,
        detail={"program": str(program.public_id), "user": str(user.public_id)},
    )
    return shift


def check_end_on_call(
    actor: User, shift: ProgramOnCall, *, now: datetime | None = None
) -> ProgramOnCall | None:
    """End a shift now, or cancel one that has not started (returns None then)."""
    now = now or timezone.now()
    if shift.ends_at <= now:
        raise ValidationError({"shift": "That shift has already ended."})
    return do_end_on_call(actor, shift, now=now)


@transaction.atomic
def do_end_on_call(actor: User, shift: ProgramOnCall, *, now: datetime) -> ProgramOnCall | None:
    """A shift under way ends now and stays on the record; a shift that has not started is
    cancelled (deleted: nobody was ever on call through it). Both are audited."""
    detail = {"program": str(shift.program.public_id), "user": str(shift.user.public_id)}
    if shift.starts_at >= now:
        record(actor, Action.DELETE, obj=shift, purpose=Purpose.HOPERAT, detail=detail)
        shift.delete()
        return None
    shift.ends_at = now
    shift.save(update_fields=["ends_at"])
    record(
        actor, Action.UPDATE, obj=shift, purpose=Purpose.HOPERAT, detail=detail | {"ended": True}
    )
    return shift
