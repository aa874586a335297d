"""Every write of team meetings: series, materializing meetings, the agenda, discussion,
decisions (which create worklist tasks or open plan revisions), attendance, signing and
addenda. Atomic and audited; free text never goes into audit details.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.clock import local_today
from trellis.meetings.models import (
    AgendaItem,
    AgendaRule,
    Decision,
    DecisionKind,
    Discussion,
    Meeting,
    MeetingAddendum,
    MeetingAttendance,
    MeetingSeries,
)
from trellis.meetings.queries import agenda_for, clinical_episode_ids, may_run
from trellis.participants.models import Episode
from trellis.plans.actions import do_request_plan_review, do_start_revision
from trellis.plans.models import TreatmentPlan, VersionStatus
from trellis.plans.signing import check_signature, credentials_of
from trellis.programs.models import Program
from trellis.scheduling.recurrence import aware
from trellis.worklist.actions import check_create_task, do_add_comment
from trellis.worklist.models import AlertKind, Priority
from trellis.worklist.queries import may_own

if TYPE_CHECKING:
    from trellis.accounts.models import User

MATERIALIZE_DAYS = 28
TEAM_MEETING_REASON = "team meeting"


def _refuse_if_signed(meeting: Meeting) -> None:
    if meeting.is_signed:
        raise ValidationError(
            {"__all__": "These minutes are signed: add an addendum instead of changing them."}
        )


def _require_runner(actor: User, program: Program) -> None:
    if not may_run(actor, program):
        raise ValidationError({"__all__": "Only the program's directors and clinicians may."})


def _require_clinical(actor: User, meeting: Meeting, episode: Episode) -> None:
    if episode.program_id != meeting.program_id or episode.pk not in clinical_episode_ids(
        actor, meeting.program
    ):
        raise ValidationError({"participant": "Choose a participant of this program you treat."})


# --- series and meetings ----------------------------------------------------------------


def check_create_series(
    actor: User,
    program: Program,
    *,
    weekday: int,
    start_time: time,
    duration_minutes: int = 60,
    title: str = "Team meeting",
    today: date | None = None,
) -> MeetingSeries:
    _require_runner(actor, program)
    errors: dict[str, str] = {}
    if not 0 <= weekday <= 6:
        errors["weekday"] = "Choose a day of the week."
    if not 15 <= duration_minutes <= 240:
        errors["duration_minutes"] = "A meeting lasts between 15 minutes and 4 hours."
    if errors:
        raise ValidationError(errors)
    return do_create_series(
        actor,
        program,
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        title=title.strip() or "Team meeting",
        today=today,
    )


@transaction.atomic
def do_create_series(
    actor: User | None,
    program: Program,
    *,
    weekday: int,
    start_time: time,
    duration_minutes: int = 60,
    title: str = "Team meeting",
    today: date | None = None,
) -> MeetingSeries:
    series = MeetingSeries.objects.create(
        program=program,
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        title=title,
        created_by=actor,
    )
    record(
        actor,
        Action.CREATE,
        obj=series,
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "system",
        detail={"weekday": weekday, "start": start_time.isoformat(timespec="minutes")},
    )
    do_materialize(series, today=today)
    return series


def meeting_dates(series: MeetingSeries, start: date, days: int) -> list[date]:
    first = start + timedelta(days=(series.weekday - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((days - 1 - (first - start).days) // 7 + 1)]


def do_materialize(
    series: MeetingSeries, *, today: date | None = None, days: int = MATERIALIZE_DAYS
) -> list[Meeting]:
    """Create the series' meetings for the next `days` days (idempotent: one per date)."""
    zone = series.program.organization.tz
    today = today or local_today(zone)
    existing = set(series.meetings.filter(date__gte=today).values_list("date", flat=True))
    created = []
    for day in meeting_dates(series, today, days):
        if day in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    Meeting.objects.create(
                        series=series,
                        program=series.program,
                        date=day,
                        starts_at=aware(day, series.start_time, zone),
                    )
                )
        except IntegrityError:
            continue  # another worker made it first
    return created


def do_create_meeting_on(series: MeetingSeries, day: date) -> Meeting:
    """One meeting on a given local date (for the demo and for a meeting held off-cycle)."""
    zone = series.program.organization.tz
    meeting, _ = Meeting.objects.get_or_create(
        series=series,
        date=day,
        defaults={"program": series.program, "starts_at": aware(day, series.start_time, zone)},
    )
    return meeting


# --- the agenda ---------------------------------------------------------------------------


@transaction.atomic
def do_generate_agenda(
    actor: User | None, meeting: Meeting, *, today: date | None = None
) -> list[AgendaItem]:
    """Add the rules' items to the agenda. Regenerating adds what is new and keeps what is
    there (an item the team already discussed stays, even if its condition cleared)."""
    _refuse_if_signed(meeting)
    entries = agenda_for(meeting.program, today=today)
    have = set(meeting.items.exclude(rule=AgendaRule.MANUAL).values_list("episode_id", "rule"))
    new = [
        AgendaItem(
            meeting=meeting,
            episode=e.episode,
            participant=e.episode.participant,
            rule=e.rule,
            reason=e.reason,
            evidence_url=e.evidence_url,
        )
        for e in entries
        if (e.episode.pk, e.rule) not in have
    ]
    AgendaItem.objects.bulk_create(new)
    meeting.agenda_generated_at = timezone.now()
    meeting.save(update_fields=["agenda_generated_at"])
    # One event for the meeting; the reasons stay out of it. Each participant's items are
    # recorded as viewed when someone opens the meeting.
    record(
        actor,
        Action.CREATE,
        obj=meeting,
        purpose=Purpose.TREAT,
        actor_label="" if actor else "system",
        detail={
            "agenda_items_added": len(new),
            "participants": len({e.episode.pk for e in entries}),
        },
    )
    return new


def check_add_item(actor: User, meeting: Meeting, episode: Episode, reason: str) -> AgendaItem:
    _refuse_if_signed(meeting)
    _require_clinical(actor, meeting, episode)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the team should discuss this person."})
    return do_add_item(actor, meeting, episode, reason.strip()[:2000])


@transaction.atomic
def do_add_item(actor: User, meeting: Meeting, episode: Episode, reason: str) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        episode=episode,
        participant=episode.participant,
        rule=AgendaRule.MANUAL,
        reason=reason,
        added_by=actor,
    )
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=item,
        purpose=Purpose.TREAT,
        detail={"meeting": str(meeting.public_id)},
    )
    return item


# --- discussion and decisions ------------------------------------------------------------


def check_discuss(actor: User, meeting: Meeting, episode: Episode, text: str) -> Discussion:
    _refuse_if_signed(meeting)
    _require_clinical(actor, meeting, episode)
    if not text.strip():
        raise ValidationError({"text": "Write what was discussed."})
    return do_discuss(actor, meeting, episode, text.strip()[:8000])


@transaction.atomic
def do_discuss(actor: User, meeting: Meeting, episode: Episode, text: str) -> Discussion:
    discussion = Discussion.objects.create(
        meeting=meeting, episode=episode, participant=episode.participant, author=actor, text=text
    )
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=discussion,
        purpose=Purpose.TREAT,
        detail={"meeting": str(meeting.public_id)},
    )
    return discussion


def check_decide(
    actor: User,
    meeting: Meeting,
    episode: Episode,
    *,
    kind: str,
    text: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> Decision:
    """Validate a decision, then record it and carry it out: a task for its owner, or a
    plan revision (review requested now, a new draft opened from the signed plan)."""
    _refuse_if_signed(meeting)
    _require_clinical(actor, meeting, episode)
    errors: dict[str, str] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = "Choose what the decision does."
    if not text.strip():
        errors["text"] = "Write the decision."
    if kind == DecisionKind.TASK:
        if owner is None:
            errors["owner"] = "A task needs an owner."
        if due_on is None:
            errors["due_on"] = "A task needs a due date."
    if owner is not None and not may_own(owner, episode):
        errors["owner"] = "The owner must be staff who can see this participant's chart."
    if due_on is not None and due_on < meeting.date:
        errors["due_on"] = "The due date cannot be before the meeting."
    if (
        kind == DecisionKind.PLAN_REVISION
        and not TreatmentPlan.objects.filter(episode=episode).exists()
    ):
        errors["kind"] = (
            "This participant has no treatment plan to revise yet: record a task to write one."
        )
    if errors:
        raise ValidationError(errors)
    return do_decide(
        actor, meeting, episode, kind=kind, text=text.strip()[:4000], owner=owner, due_on=due_on
    )


@transaction.atomic
def do_decide(
    actor: User,
    meeting: Meeting,
    episode: Episode,
    *,
    kind: str,
    text: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> Decision:
    decision = Decision.objects.create(
        meeting=meeting,
        episode=episode,
        participant=episode.participant,
        kind=kind,
        text=text,
        owner=owner,
        due_on=due_on,
        made_by=actor,
    )
    zone = meeting.program.organization.tz
    if kind == DecisionKind.PLAN_REVISION:
        plan = do_request_plan_review(episode, TEAM_MEETING_REASON, actor=actor)
        if plan is not None:
            draft = plan.versions.filter(status=VersionStatus.DRAFT).first()
            if draft is None:
                draft = do_start_revision(actor, plan)
            decision.plan_version_number = draft.number
    if owner is not None and (kind == DecisionKind.TASK or kind == DecisionKind.PLAN_REVISION):
        due_day = due_on or meeting.date + timedelta(days=7)
        title = (
            "Revise the treatment plan (team meeting)"
            if kind == DecisionKind.PLAN_REVISION
            else "Team-meeting decision"
        )
        # The task's title is generic: the decision's text is clinical and stays encrypted
        # on the decision, shown to whoever opens the task's comments.
        decision.task = check_create_task(
            actor,
            episode=episode,
            owner=owner,
            title=f"{title}: {meeting.date:%b} {meeting.date.day}",
            due_at=datetime.combine(due_day, time(17, 0), tzinfo=zone),
            priority=Priority.NORMAL,
            kind=AlertKind.MEETING_DECISION,
            source=f"meetings.decision:{decision.public_id}",
            dedupe_key=f"meetings:decision:{decision.public_id}",
        )
        do_add_comment(actor, decision.task, text)
    decision.save(update_fields=["plan_version_number", "task"])
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=decision,
        purpose=Purpose.TREAT,
        detail={
            "meeting": str(meeting.public_id),
            "kind": kind,
            "task": str(decision.task.public_id) if decision.task else None,
            "plan_version": decision.plan_version_number,
        },
    )
    return decision


# --- attendance, signing, addenda --------------------------------------------------------


@transaction.atomic
def do_record_attendance(actor: User, meeting: Meeting, present: list[User]) -> None:
    _refuse_if_signed(meeting)
    present_ids = {u.pk for u in present}
    MeetingAttendance.objects.filter(meeting=meeting).exclude(user_id__in=present_ids).delete()
    for user in present:
        MeetingAttendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"present": True}
        )
    record(
        actor,
        Action.UPDATE,
        obj=meeting,
        purpose=Purpose.HOPERAT,
        detail={"present": len(present_ids)},
    )


def check_sign(actor: User, meeting: Meeting, *, typed_name: str, password: str) -> Meeting:
    _refuse_if_signed(meeting)
    _require_runner(actor, meeting.program)
    check_signature(actor, typed_name=typed_name, password=password)
    if not meeting.attendance.exists():
        raise ValidationError({"__all__": "Record who attended before signing the minutes."})
    return do_sign(actor, meeting)


@transaction.atomic
def do_sign(actor: User, meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_signed:
        return locked
    locked.signed_at = timezone.now()
    locked.signed_by = actor
    locked.signer_name = actor.name
    locked.signer_credentials = credentials_of(actor, on=meeting.program.organization.today())
    locked.save(update_fields=["signed_at", "signed_by", "signer_name", "signer_credentials"])
    record(actor, Action.SIGN, obj=locked, purpose=Purpose.TREAT)
    return locked


def check_addendum(actor: User, meeting: Meeting, text: str) -> MeetingAddendum:
    _require_runner(actor, meeting.program)
    if not meeting.is_signed:
        raise ValidationError({"__all__": "Until the minutes are signed, edit them directly."})
    if not text.strip():
        raise ValidationError({"text": "Write the addendum."})
    return do_addendum(actor, meeting, text.strip()[:4000])


@transaction.atomic
def do_addendum(actor: User, meeting: Meeting, text: str) -> MeetingAddendum:
    addendum = MeetingAddendum.objects.create(
        meeting=meeting, author=actor, author_name=actor.name, text=text
    )
    record(actor, Action.CREATE, obj=addendum, purpose=Purpose.TREAT)
    return addendum
