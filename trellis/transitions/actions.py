"""Discharge as one transaction, the discharge summary and aftercare plan, their signing
and addenda. Every write is audited in its own transaction (docs/intake-and-discharge.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import parse_public_id
from trellis.measures.actions import do_create_administration, do_create_default_schedules
from trellis.measures.models import Administration, Schedule, ScheduleKind
from trellis.measures.registry import DEFAULT_CODES
from trellis.participants.actions import do_discharge
from trellis.participants.actions.enrollment import lock_episode
from trellis.participants.models import DischargeReason, Episode, EpisodeStatus
from trellis.plans.signing import check_signature, credentials_of
from trellis.privacy.policy import grants_for
from trellis.scheduling.actions import do_end_rosters_at_discharge
from trellis.transitions.models import (
    AftercareAppointment,
    AftercarePlan,
    DischargeSummary,
    StepDownLevel,
    SummaryAddendum,
    SummaryStatus,
)
from trellis.transitions.queries import assemble, open_items
from trellis.worklist.actions import do_complete_task, do_reassign
from trellis.worklist.models import Alert
from trellis.worklist.queries import may_own

MAX_TEXT = 20_000
CLOSE = "close"
FOLLOW_UP_DAYS = (30, 90)
FOLLOW_UP_WINDOW_DAYS = 14
CRISIS_DEFAULT = (
    "If you are in danger or might hurt yourself: call 911 or go to the nearest emergency "
    "room.\nTo talk to someone now, any time: call or text 988 (Suicide & Crisis Lifeline)."
)


def crisis_steps_for(episode: Episode) -> str:
    """The crisis steps a new aftercare plan starts with: 911 and 988, and the program's own
    after-hours line when it has one (Program.crisis_phone)."""
    phone = episode.program.crisis_phone
    if not phone:
        return CRISIS_DEFAULT
    return f"{CRISIS_DEFAULT}\nTo reach {episode.program.name} out of hours: call {phone}."


@dataclass(frozen=True)
class ItemDecision:
    """What happens to one open worklist item at discharge: closed, or handed to `owner`."""

    alert: Alert
    close: bool
    owner: User | None = None


def parse_decisions(
    items: list[Alert], choices: dict[str, str], owners: dict[str, User]
) -> list[ItemDecision]:
    """Turn the form's per-item choice ("close" or a staff public id) into decisions; an item
    without a usable choice gets none, and the check names it (nothing is dropped silently)."""
    decisions = []
    for alert in items:
        choice = choices.get(str(alert.public_id), "")
        if choice == CLOSE:
            decisions.append(ItemDecision(alert, close=True))
        elif choice in owners:
            decisions.append(ItemDecision(alert, close=False, owner=owners[choice]))
    return decisions


def check_discharge_episode(
    actor: User,
    episode: Episode,
    *,
    discharged_on: date | None,
    reason: str,
    decisions: list[ItemDecision],
) -> DischargeSummary:
    """Validate a discharge, then do it: the episode, its rosters, its open work and a draft
    summary with its aftercare plan, all or nothing."""
    errors: dict[str, str] = {}
    today = episode.program.organization.today()
    if episode.status == EpisodeStatus.CANCELLED:
        errors["status"] = (
            "This episode was closed before admission: there is nothing to discharge."
        )
    elif not episode.is_open:
        errors["status"] = "This episode is already discharged."
    if reason not in DischargeReason.values:
        errors["reason"] = "Choose a discharge reason."
    if discharged_on is None:
        errors["discharged_on"] = "Enter the discharge date."
    elif episode.admitted_on is None:
        errors["discharged_on"] = "The episode has no admission date: record the admission first."
    elif discharged_on < episode.admitted_on:
        errors["discharged_on"] = (
            f"Discharge cannot be before admission ({episode.admitted_on:%Y-%m-%d})."
        )
    elif discharged_on > today and reason == DischargeReason.COMPLETED:
        errors["discharged_on"] = "“Treatment completed” cannot be dated in the future."
    elif discharged_on > today:
        errors["discharged_on"] = "Discharge cannot be in the future: discharge on the day."
    decided = {d.alert.pk for d in decisions}
    for alert in open_items(episode):
        if alert.pk not in decided:
            errors[f"item_{alert.public_id}"] = f"Decide what happens to “{alert.title}”."
    for decision in decisions:
        if decision.close and not decision.alert.is_task:
            errors[f"item_{decision.alert.public_id}"] = (
                "A clinical alert is closed by documenting its follow-up, not at discharge."
            )
        if decision.owner is not None and not (
            may_own(decision.owner, episode) and grants_for(decision.owner).directs(episode.program)
        ):
            # The care team ends at discharge: a task handed to one of them is a lost task.
            errors[f"item_{decision.alert.public_id}"] = (
                "Hand it to a program director: the care team loses the chart at discharge."
            )
    if errors:
        raise ValidationError(errors)
    assert discharged_on is not None  # noqa: S101  # checked above
    return do_discharge_episode(
        actor, episode, discharged_on=discharged_on, reason=reason, decisions=decisions
    )


@transaction.atomic
def do_discharge_episode(
    actor: User,
    episode: Episode,
    *,
    discharged_on: date,
    reason: str,
    decisions: list[ItemDecision],
) -> DischargeSummary:
    lock_episode(episode)
    episode.refresh_from_db(fields=["status"])
    if not episode.is_open:
        raise ValidationError({"status": "This episode is already discharged."})
    # Work first, while the clinician is still on the care team (ownership needs the chart).
    for decision in decisions:
        if decision.close:
            do_complete_task(actor, decision.alert, note="Closed at discharge.")
        elif decision.owner is not None and decision.owner.pk != decision.alert.owner_id:
            do_reassign(actor, decision.alert, decision.owner)
    do_discharge(actor, episode, discharged_on=discharged_on, reason=reason)
    do_end_rosters_at_discharge(actor, episode)
    return do_start_summary(actor, episode, open_items_settled=len(decisions))


@transaction.atomic
def do_start_summary(
    actor: User, episode: Episode, *, open_items_settled: int = 0
) -> DischargeSummary:
    """The draft summary and aftercare plan of a discharged episode, written by `actor`."""
    summary = DischargeSummary.objects.create(episode=episode, author=actor)
    AftercarePlan.objects.create(summary=summary, crisis_steps=crisis_steps_for(episode))
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=summary,
        purpose=Purpose.TREAT,
        detail={"reason": episode.discharge_reason, "open_items": open_items_settled},
    )
    return summary


# --- the draft: narrative and aftercare -------------------------------------------------


@dataclass
class AftercareInput:
    step_down_level: str = ""
    provider: str = ""
    alumni_group: str = ""
    crisis_steps: str = ""
    notes_for_participant: str = ""


def _refuse_signed(summary: DischargeSummary) -> None:
    if summary.is_signed:
        raise ValidationError({"status": "This summary is signed: add an addendum instead."})


def check_save_summary(
    actor: User,
    summary: DischargeSummary,
    *,
    narrative: str,
    aftercare: AftercareInput,
    revision: int,
) -> DischargeSummary:
    _refuse_signed(summary)
    errors: dict[str, str] = {}
    if summary.revision != revision:
        errors["revision"] = "The summary changed since you opened it: read it again, then save."
    if len(narrative) > MAX_TEXT:
        errors["narrative"] = f"Keep the narrative under {MAX_TEXT:,} characters."
    if aftercare.step_down_level and aftercare.step_down_level not in StepDownLevel.values:
        errors["step_down_level"] = "Choose a level of care from the list."
    for name in ("provider", "alumni_group", "crisis_steps", "notes_for_participant"):
        if len(getattr(aftercare, name)) > MAX_TEXT:
            errors[name] = f"Keep this under {MAX_TEXT:,} characters."
    if errors:
        raise ValidationError(errors)
    return do_save_summary(actor, summary, narrative=narrative.strip(), aftercare=aftercare)


@transaction.atomic
def do_save_summary(
    actor: User, summary: DischargeSummary, *, narrative: str, aftercare: AftercareInput
) -> DischargeSummary:
    locked = DischargeSummary.objects.select_for_update().get(pk=summary.pk)
    if locked.revision != summary.revision or locked.is_signed:
        raise ValidationError(
            {"revision": "The summary changed since you opened it: read it again, then save."}
        )
    summary.narrative = narrative
    summary.revision += 1
    summary.updated_at = timezone.now()
    summary.save(update_fields=["narrative", "revision", "updated_at"])
    plan = summary.aftercare
    plan.step_down_level = aftercare.step_down_level
    plan.provider = aftercare.provider.strip()
    plan.alumni_group = aftercare.alumni_group.strip()
    plan.crisis_steps = aftercare.crisis_steps.strip()
    plan.notes_for_participant = aftercare.notes_for_participant.strip()
    plan.save()
    record(
        actor,
        Action.UPDATE,
        participant=summary.episode.participant,
        obj=summary,
        purpose=Purpose.TREAT,
        detail={"revision": summary.revision},
    )
    return summary


def check_add_appointment(
    actor: User, summary: DischargeSummary, *, starts_at: datetime | None, with_whom: str
) -> AftercareAppointment:
    _refuse_signed(summary)
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = "Enter the appointment's date and time."
    elif (
        summary.episode.discharged_on
        and starts_at.astimezone(summary.episode.program.organization.tz).date()
        < summary.episode.discharged_on
    ):
        errors["starts_at"] = "An aftercare appointment is on or after the discharge date."
    if not with_whom.strip():
        errors["with_whom"] = "Say who the appointment is with (and where)."
    elif len(with_whom) > 1000:
        errors["with_whom"] = "Keep this under 1,000 characters."
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None  # noqa: S101  # checked above
    return do_add_appointment(actor, summary, starts_at=starts_at, with_whom=with_whom.strip())


@transaction.atomic
def do_add_appointment(
    actor: User, summary: DischargeSummary, *, starts_at: datetime, with_whom: str
) -> AftercareAppointment:
    appointment = AftercareAppointment.objects.create(
        plan=summary.aftercare, starts_at=starts_at, with_whom=with_whom
    )
    record(
        actor,
        Action.CREATE,
        participant=summary.episode.participant,
        obj=appointment,
        purpose=Purpose.TREAT,
    )
    return appointment


def check_remove_appointment(actor: User, summary: DischargeSummary, appointment_id: str) -> None:
    _refuse_signed(summary)
    parsed = parse_public_id(appointment_id)
    appointment = next(
        (a for a in summary.aftercare.appointments.all() if a.public_id == parsed), None
    )
    if appointment is None:
        raise ValidationError({"appointment": "That appointment is not on this plan."})
    do_remove_appointment(actor, summary, appointment)


@transaction.atomic
def do_remove_appointment(
    actor: User, summary: DischargeSummary, appointment: AftercareAppointment
) -> None:
    record(
        actor,
        Action.DELETE,
        participant=summary.episode.participant,
        obj=appointment,
        purpose=Purpose.TREAT,
    )
    appointment.delete()


# --- signing, follow-ups, addenda -----------------------------------------------------------


def missing_for_signing(summary: DischargeSummary) -> dict[str, str]:
    missing = {}
    if not summary.narrative.strip():
        missing["narrative"] = "Write the narrative before signing."
    if not summary.aftercare.step_down_level:
        missing["step_down_level"] = (
            "Choose the step-down level (or “No further care arranged”) before signing."
        )
    if not summary.aftercare.crisis_steps.strip():
        missing["crisis_steps"] = "The aftercare plan needs crisis steps before signing."
    return missing


def check_sign_summary(
    actor: User, summary: DischargeSummary, *, typed_name: str, password: str, revision: int
) -> DischargeSummary:
    _refuse_signed(summary)
    if summary.revision != revision:
        raise ValidationError(
            {"revision": "The summary changed since you opened it: read it again, then sign."}
        )
    missing = missing_for_signing(summary)
    if missing:
        raise ValidationError(missing)
    check_signature(actor, typed_name=typed_name, password=password)
    return do_sign_summary(actor, summary)


def _after_discharge_schedules(actor: User | None, episode: Episode) -> list[Schedule]:
    """The program's active 30- and 90-day schedules. A program with no schedules at all gets
    the defaults now, exactly as the sweep would give them on its next run."""
    if not Schedule.objects.filter(program_id=episode.program_id).exists():
        do_create_default_schedules(actor, episode.program)
    return list(
        Schedule.objects.filter(
            program_id=episode.program_id,
            kind=ScheduleKind.AFTER_DISCHARGE,
            is_active=True,
            offset_days__in=FOLLOW_UP_DAYS,
        ).order_by("offset_days", "instrument_code")
    )


def do_schedule_follow_ups(
    actor: User | None, episode: Episode, *, today: date | None = None
) -> list[Administration]:
    """The 30- and 90-day check-ins after discharge, through the measures check-in action:
    the program's after-discharge schedules when it has them (so the daily sweep finds them
    made and adds none); a program that turned those off still gets PHQ-9 and GAD-7, since
    the signed plan promises them. A window already closed is not offered."""
    assert episode.discharged_on is not None  # noqa: S101  # signed summaries are of discharges
    today = today or episode.program.organization.today()
    plans: list[tuple[str, int, Schedule | None, int]] = [
        (s.instrument_code, s.offset_days, s, s.window_days)
        for s in _after_discharge_schedules(actor, episode)
    ] or [
        (code, days, None, FOLLOW_UP_WINDOW_DAYS)
        for days in FOLLOW_UP_DAYS
        for code in DEFAULT_CODES
    ]
    made = []
    for code, days, schedule, window in plans:
        due = episode.discharged_on + timedelta(days=days)
        if due + timedelta(days=window) <= today:
            continue
        existing = Administration.objects.filter(
            episode=episode, instrument_code=code, due_on=due
        ).first()
        if existing is not None:
            made.append(existing)
            continue
        try:
            with transaction.atomic():
                made.append(
                    do_create_administration(
                        actor, episode, code, due_on=due, schedule=schedule, window_days=window
                    )
                )
        except IntegrityError:
            continue  # the sweep made it a moment ago
    return made


@transaction.atomic
def do_sign_summary(
    actor: User, summary: DischargeSummary, *, now: datetime | None = None
) -> DischargeSummary:
    now = now or timezone.now()
    locked = DischargeSummary.objects.select_for_update().get(pk=summary.pk)
    if locked.is_signed or locked.revision != summary.revision:
        raise ValidationError(
            {"revision": "The summary changed since you opened it: read it again, then sign."}
        )
    episode = summary.episode
    signed_on = now.astimezone(episode.program.organization.tz).date()
    follow_ups = do_schedule_follow_ups(actor, episode, today=signed_on)
    plan = summary.aftercare
    plan.follow_up_ids = [str(a.public_id) for a in follow_ups]
    plan.save(update_fields=["follow_up_ids"])
    summary.figures = assemble(episode)
    summary.status = SummaryStatus.SIGNED
    summary.signed_at = now
    summary.signer_name = actor.name
    summary.signer_credentials = credentials_of(actor, on=episode.program.organization.today())
    summary.revision += 1
    summary.save()
    record(
        actor,
        Action.SIGN,
        participant=episode.participant,
        obj=summary,
        purpose=Purpose.TREAT,
        detail={"follow_ups": len(follow_ups)},
    )
    return summary


def check_add_summary_addendum(
    actor: User, summary: DischargeSummary, *, text: str
) -> SummaryAddendum:
    errors: dict[str, str] = {}
    if not summary.is_signed:
        errors["status"] = "Addenda are for signed summaries: edit the draft instead."
    if not text.strip():
        errors["text"] = "Write the addendum."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep an addendum under {MAX_TEXT:,} characters."
    if errors:
        raise ValidationError(errors)
    return do_add_summary_addendum(actor, summary, text=text.strip())


@transaction.atomic
def do_add_summary_addendum(
    actor: User, summary: DischargeSummary, *, text: str
) -> SummaryAddendum:
    addendum = SummaryAddendum.objects.create(
        summary=summary,
        author=actor,
        author_name=actor.name,
        author_credentials=credentials_of(actor, on=summary.episode.program.organization.today()),
        text=text,
    )
    record(
        actor,
        Action.CREATE,
        participant=summary.episode.participant,
        obj=summary,
        purpose=Purpose.TREAT,
        detail={"addendum": str(addendum.public_id)},
    )
    return addendum
