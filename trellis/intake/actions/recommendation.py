"""A program's level-of-care rules (edited by its director), and a clinician's decision on
an inquiry: accept the recommendation or override it with a rationale; both are kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.actions.inquiries import do_change_inquiry_status, lock_inquiry
from trellis.intake.models import (
    ELSEWHERE,
    Condition,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    Level,
    LevelOfCareDecision,
    LevelOfCareRule,
)
from trellis.intake.rules import Recommendation, Rule
from trellis.measures.registry import available_codes
from trellis.programs.models import Program, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User

RATIONALE_LENGTH = 1000


def check_save_rules(actor: User, program: Program, rules: Sequence[Rule]) -> None:
    """Replace the program's rules with `rules`, in order. Errors name the rule's number."""
    errors: dict[str, str] = {}
    codes = set(available_codes())
    if not rules:
        errors["__all__"] = "Keep at least one rule (an “otherwise” rule proposes a default)."
    for n, rule in enumerate(rules, start=1):
        if rule.condition not in Condition.values:
            errors[f"rule-{n}"] = f"Rule {n}: choose a condition."
        elif rule.level not in Level.values:
            errors[f"rule-{n}"] = f"Rule {n}: choose a level of care."
        elif rule.condition == Condition.SCORE_AT_LEAST and (
            rule.instrument not in codes or rule.threshold is None
        ):
            errors[f"rule-{n}"] = f"Rule {n}: a score rule names an instrument and a threshold."
        elif len(rule.reason) > 200:
            errors[f"rule-{n}"] = f"Rule {n}: keep the reason to 200 characters."
    if errors:
        raise ValidationError(errors)
    do_save_rules(actor, program, rules)


@transaction.atomic
def do_save_rules(actor: User | None, program: Program, rules: Sequence[Rule]) -> None:
    LevelOfCareRule.objects.filter(program=program).delete()
    now = timezone.now()
    LevelOfCareRule.objects.bulk_create(
        LevelOfCareRule(
            program=program,
            position=n,
            condition=rule.condition,
            instrument_code=rule.instrument if rule.condition == Condition.SCORE_AT_LEAST else "",
            threshold=rule.threshold if rule.condition == Condition.SCORE_AT_LEAST else None,
            level=rule.level,
            reason=rule.reason.strip(),
            updated_at=now,
            updated_by=actor,
        )
        for n, rule in enumerate(rules, start=1)
    )
    record(
        actor,
        Action.UPDATE,
        obj=program,
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "system",
        detail={"level_of_care_rules": len(rules)},
    )


def check_decide_level_of_care(
    actor: User,
    inquiry: Inquiry,
    recommendation: Recommendation,
    *,
    accept: bool,
    level: str = "",
    track: Track | None = None,
    rationale: str = "",
    destination: str = "",
) -> LevelOfCareDecision:
    """Accept the recommendation (its level and track) or override it (another level or
    track) with a rationale. Callers check the actor may decide (`may_decide_level_of_care`).
    A level elsewhere moves the inquiry to "referred"; intensive outpatient leaves it waiting
    on admission with the chosen track."""
    errors: dict[str, str] = {}
    if inquiry.status != InquiryStatus.DECISION:
        errors["__all__"] = "Only an inquiry waiting on a decision can be decided."
    if accept:
        level = recommendation.level
        if track is None and recommendation.track_id is not None:
            track = Track.objects.filter(pk=recommendation.track_id).first()
    elif level not in Level.values:
        errors["level"] = "Choose the level of care."
    if not accept and not rationale.strip():
        errors["rationale"] = "An override needs the clinical rationale."
    if len(rationale) > RATIONALE_LENGTH:
        errors["rationale"] = f"Keep the rationale to {RATIONALE_LENGTH} characters."
    if track is not None and (track.program_id != inquiry.program_id or not track.is_active):
        errors["track"] = "Choose an open track of this program."
    if level in ELSEWHERE and not destination.strip():
        errors["destination"] = "Say where the person is referred (a provider or program)."
    if len(destination) > 200:
        errors["destination"] = "Keep the destination to 200 characters."
    if errors:
        raise ValidationError(errors)
    return do_decide_level_of_care(
        actor,
        inquiry,
        recommendation,
        accepted=accept and level == recommendation.level,
        level=level,
        track=track if level == Level.INTENSIVE_OUTPATIENT else None,
        rationale=rationale.strip(),
        destination=destination.strip() if level in ELSEWHERE else "",
    )


@transaction.atomic
def do_decide_level_of_care(
    actor: User,
    inquiry: Inquiry,
    recommendation: Recommendation,
    *,
    accepted: bool,
    level: str,
    track: Track | None,
    rationale: str,
    destination: str,
) -> LevelOfCareDecision:
    fresh = lock_inquiry(inquiry)
    if fresh.status != InquiryStatus.DECISION:
        raise ValidationError({"__all__": "Someone decided this inquiry a moment ago: reload."})
    decision = LevelOfCareDecision.objects.create(
        inquiry=fresh,
        recommendation=recommendation.as_json(),
        recommended_level=recommendation.level,
        accepted=accepted,
        level=level,
        track=track,
        rationale=rationale,
        destination=destination,
        decided_by=actor,
    )
    words = Level(level).label + (f", {track.name} track" if track else "")
    InquiryEvent.objects.create(
        inquiry=fresh,
        kind=EventKind.DECISION,
        by=actor,
        text=("Recommendation accepted: " if accepted else "Recommendation overridden: ")
        + words
        + (f". Referred to {destination}." if destination else "."),
    )
    record(
        actor,
        Action.CREATE,
        participant=fresh.participant,
        obj=decision,
        purpose=Purpose.TREAT,
        detail={"accepted": accepted, "level": level, "recommended": recommendation.level},
    )
    if level in ELSEWHERE:
        do_change_inquiry_status(actor, fresh, InquiryStatus.REFERRED)
    inquiry.status = fresh.status
    return decision
