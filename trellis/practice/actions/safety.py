"""Writing safety plans and the "I am not safe right now" button (docs/practice.md).

Every write is atomic with its audit event. Callers have already opened the episode or plan
through `trellis.practice.access`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.plans.signing import check_signature
from trellis.practice.actions.risk import raise_practice_risk
from trellis.practice.models.safety import (
    MAX_ITEM_LENGTH,
    MAX_ITEMS,
    SAFETY_SECTIONS,
    SECTION_KEYS,
    SafetyPlan,
    UnsafeReport,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode

UNSAFE_ALERT_TITLE = 'Safety plan: "I am not safe right now" pressed'


def default_sections(episode: Episode) -> dict[str, list[str]]:
    """A first plan: every section empty except the professionals, prefilled with 988 and the
    program's after-hours number."""
    program = episode.program
    professionals = ["988 Suicide & Crisis Lifeline: call or text 988, any time"]
    if program.crisis_phone:
        professionals.append(f"{program.name} after hours: {program.crisis_phone}")
    professionals.append("Emergency: 911 or the nearest emergency room")
    sections: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    sections["professionals"] = professionals
    return sections


def clean_sections(raw: dict[str, str]) -> dict[str, list[str]]:
    """One item per non-empty line for each section; unknown sections, too many or too long
    items are refused with a message naming the section."""
    unknown = sorted(set(raw) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError({unknown[0]: "Not a section of the safety plan."})
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    for key, heading, _ in SAFETY_SECTIONS:
        items = [line.strip() for line in str(raw.get(key, "")).splitlines() if line.strip()]
        if len(items) > MAX_ITEMS:
            errors[key] = f"{heading}: at most {MAX_ITEMS} lines."
        elif any(len(item) > MAX_ITEM_LENGTH for item in items):
            errors[key] = f"{heading}: each line at most {MAX_ITEM_LENGTH} characters."
        cleaned[key] = items
    if errors:
        raise ValidationError(errors)
    return cleaned


def _audit(actor: User, action: str, plan: SafetyPlan, purpose: str, role: str = "") -> None:
    record(actor, action, participant=plan.participant, obj=plan, purpose=purpose, role=role)


@transaction.atomic
def do_start_safety_plan_version(actor: User, episode: Episode) -> SafetyPlan:
    """The episode's open draft if there is one; else a new version copying the last signed
    one (or, for the first, the prefilled sections). Old versions stay as they are."""
    latest = (
        SafetyPlan.objects.select_for_update().filter(episode=episode).order_by("-version").first()
    )
    if latest is not None and not latest.is_signed:
        return latest
    sections = dict(latest.sections) if latest is not None else default_sections(episode)
    plan = SafetyPlan.objects.create(
        participant=episode.participant,
        episode=episode,
        version=(latest.version + 1) if latest is not None else 1,
        sections=sections,
        created_by=actor,
    )
    _audit(actor, Action.CREATE, plan, Purpose.TREAT)
    return plan


@transaction.atomic
def do_save_safety_plan(actor: User, plan: SafetyPlan, raw: dict[str, str]) -> SafetyPlan:
    sections = clean_sections(raw)
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_signed:
        raise ValidationError({"sections": SafetyPlan.signed_message})
    locked.sections = sections
    locked.updated_at = timezone.now()
    locked.save(update_fields=["sections", "updated_at"])
    _audit(actor, Action.UPDATE, locked, Purpose.TREAT)
    return locked


@transaction.atomic
def do_sign_safety_plan(
    actor: User, plan: SafetyPlan, *, typed_name: str, password: str
) -> SafetyPlan:
    """Sign the draft with the signer's typed name and password (plans' signature rule)."""
    check_signature(actor, typed_name=typed_name, password=password)
    return _sign(actor, plan, timezone.now())


@transaction.atomic
def do_sign_safety_plan_as_history(actor: User, plan: SafetyPlan, *, now: datetime) -> SafetyPlan:
    """Record a signature made in the past (the demo's history, as plans' `now`); a signature
    made at the keyboard goes through `do_sign_safety_plan`."""
    return _sign(actor, plan, now)


def _sign(actor: User, plan: SafetyPlan, now: datetime) -> SafetyPlan:
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_signed:
        raise ValidationError({"sections": "This version is already signed."})
    if not any(locked.sections.get(key) for key in SECTION_KEYS if key != "professionals"):
        raise ValidationError(
            {"sections": "Write at least one section with the participant before signing."}
        )
    locked.signed_at = now
    locked.signed_by = actor
    locked.signed_name = actor.name
    locked.save()
    _audit(actor, Action.SIGN, locked, Purpose.TREAT)
    return locked


@transaction.atomic
def do_acknowledge_safety_plan(actor: User, plan: SafetyPlan) -> SafetyPlan:
    """The participant confirms they have read this signed version (once)."""
    if not plan.is_signed:
        raise ValidationError({"plan": "Only a signed safety plan can be acknowledged."})
    if plan.acknowledged_at is None:
        plan.acknowledged_at = timezone.now()
        plan.save(update_fields=["acknowledged_at"])
        _audit(actor, Action.UPDATE, plan, Purpose.PATRQT, role="participant")
    return plan


@transaction.atomic
def do_report_unsafe(
    actor: User, episode: Episode, plan: SafetyPlan | None
) -> tuple[UnsafeReport, bool]:
    """Store today's "I am not safe right now" and raise the urgent alert, together. A second
    press on the same organization day returns the first report (created=False), no alert."""
    today = episode.program.organization.today()
    existing = UnsafeReport.objects.filter(episode=episode, reported_on=today).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: a racing press leaves the outer intact
            report = UnsafeReport.objects.create(
                participant=episode.participant, episode=episode, plan=plan, reported_on=today
            )
            raise_practice_risk(
                episode,
                title=UNSAFE_ALERT_TITLE,
                source=f"practice.unsafe_report:{report.public_id}",
                dedupe_key=f"practice:risk:unsafe:{episode.public_id}:{today.isoformat()}",
            )
            record(
                actor,
                Action.CREATE,
                participant=episode.participant,
                obj=report,
                purpose=Purpose.PATRQT,
                role="participant",
            )
    except IntegrityError:
        # Two presses raced: the other one stored the report and its alert.
        return UnsafeReport.objects.get(episode=episode, reported_on=today), False
    return report, True
