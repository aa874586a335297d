"""Writing a diary card, with its risk rules in the same transaction (docs/practice.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.clock import local_today
from trellis.practice.actions.risk import raise_practice_risk
from trellis.practice.models.diary import (
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_ROWS,
    DEFAULT_RULES,
    SCALE_OF,
    DiaryCard,
    DiaryCardConfig,
    RowKind,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.practice.access import DiaryAccess
    from trellis.worklist.models import Alert

CARD_SOURCE = "practice.diary_card:"
AMOUNT_SUFFIX = "_amount"


def card_rows(config: DiaryCardConfig | None) -> list[dict[str, Any]]:
    return list(config.rows) if config is not None and config.rows else list(DEFAULT_ROWS)


def card_rules(config: DiaryCardConfig | None) -> list[dict[str, Any]]:
    return list(config.risk_rules) if config is not None and config.rows else list(DEFAULT_RULES)


def backfill_days(config: DiaryCardConfig | None) -> int:
    return config.backfill_days if config is not None else DEFAULT_BACKFILL_DAYS


def episode_today(episode: Episode) -> date:
    """Today in the episode's program's zone (never the active time zone)."""
    return local_today(episode.program.tz)


@dataclass
class DiaryResult:
    card: DiaryCard
    created: bool
    alerts: list[Alert] = field(default_factory=list)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_card(rows: list[dict[str, Any]], raw: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Raw answers (form strings or JSON values) → stored values and note; ValidationError
    naming each bad field. A row left blank is missing (never zero)."""
    errors: dict[str, str] = {}
    by_key = {row["key"]: row for row in rows}
    for key in raw:
        base = key.removesuffix(AMOUNT_SUFFIX) if key.endswith(AMOUNT_SUFFIX) else key
        row = by_key.get(base)
        if row is None or (base != key and row["kind"] != RowKind.ACTION):
            errors[key] = "This row is not on the program's diary card."
    values: dict[str, Any] = {}
    note = ""
    for row in rows:
        key, kind = row["key"], row["kind"]
        value = raw.get(key)
        if kind == RowKind.NOTE:
            note = "" if _blank(value) else str(value).strip()
            if len(note) > 4000:
                errors[key] = "Keep the note under 4000 characters."
            continue
        if kind == RowKind.ACTION:
            amount_raw = raw.get(key + AMOUNT_SUFFIX)
            if _blank(value):
                if not _blank(amount_raw):
                    errors[key] = "Say yes or no before giving an amount."
                continue
            done = {"yes": True, "no": False, True: True, False: False}.get(
                value.strip().lower() if isinstance(value, str) else value
            )
            if done is None:
                errors[key] = "Answer yes or no."
                continue
            amount = None
            if not _blank(amount_raw):
                amount = _as_int(amount_raw)
                if amount is None or not 0 <= amount <= 999:
                    errors[key + AMOUNT_SUFFIX] = "The amount is a whole number from 0 to 999."
                    continue
                if not done and amount:
                    errors[key + AMOUNT_SUFFIX] = "An amount goes with a yes."
                    continue
            values[key] = {"done": done, "amount": amount}
            continue
        if _blank(value):
            continue
        low, high = SCALE_OF[kind]
        number = _as_int(value)
        if number is None or not low <= number <= high:
            errors[key] = f"Choose a whole number from {low} to {high}."
            continue
        values[key] = number
    if errors:
        raise ValidationError(errors)
    return values, note


def triggered_rules(
    rows: list[dict[str, Any]], rules: list[dict[str, Any]], values: dict[str, Any]
) -> list[tuple[dict[str, Any], str]]:
    """The rules the values trigger, each with its alert title (names the rule and the
    rating, never the participant's words)."""
    labels = {row["key"]: row for row in rows}
    hits: list[tuple[dict[str, Any], str]] = []
    for rule in rules:
        row = labels.get(rule["row"])
        value = values.get(rule["row"])
        if row is None or value is None:
            continue
        if "at_least" in rule and isinstance(value, int) and value >= rule["at_least"]:
            high = SCALE_OF[row["kind"]][1]
            hits.append((rule, f"Diary card: {row['label'].lower()} {value} of {high}"))
        elif rule.get("any") and isinstance(value, dict) and value.get("done"):
            hits.append((rule, f"Diary card: {row['label'].lower()} (yes)"))
    return hits


@transaction.atomic
def check_submit_diary_card(
    actor: User | None,
    diary: DiaryAccess,
    *,
    card_on: date,
    answers: dict[str, Any],
    idempotency_key: str | None = None,
    today: date | None = None,
) -> DiaryResult:
    """Store one day's card for the diary's episode, or raise ValidationError naming the field
    (nothing stored). A card for a past day (within the back-fill window) is late-entered.
    Each triggered risk rule raises one urgent alert, in this transaction. A retry with the
    same idempotency key, or a second card for the same day, gets the first card back."""
    episode = diary.episode
    if idempotency_key:
        if len(idempotency_key) > 64:
            raise ValidationError({"idempotency_key": "Use at most 64 characters."})
        existing = DiaryCard.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.episode_id != episode.pk:
                raise ValidationError({"idempotency_key": "This key belongs to another card."})
            return DiaryResult(card=existing, created=False)
    if not episode.is_open:
        raise ValidationError({"card_on": "This stay in the program has ended: no new cards."})
    today = today or episode_today(episode)  # a demo's or history's day, else the program's
    window = backfill_days(diary.config)
    if card_on > today:
        raise ValidationError({"card_on": "A diary card cannot be for a day in the future."})
    if card_on < today - timedelta(days=window):
        raise ValidationError(
            {"card_on": f"A diary card can be written for today or the last {window} days."}
        )
    rows = card_rows(diary.config)
    values, note = clean_card(rows, answers)
    same_day = DiaryCard.objects.filter(episode=episode, card_on=card_on).first()
    if same_day is not None:
        return DiaryResult(card=same_day, created=False)
    hits = triggered_rules(rows, card_rules(diary.config), values)
    try:
        with transaction.atomic():
            card = DiaryCard.objects.create(
                participant=episode.participant,
                episode=episode,
                card_on=card_on,
                values=values,
                note=note,
                rows=rows,
                late_entered=card_on < today,
                risk_raised=bool(hits),
                idempotency_key=idempotency_key or None,
                entered_by=actor,
            )
    except IntegrityError:  # a concurrent double submit won the race: one card
        first = DiaryCard.objects.filter(episode=episode, card_on=card_on).first()
        if first is None:
            raise
        return DiaryResult(card=first, created=False)
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=card,
        purpose=Purpose.PATRQT if diary.participant_access.is_own_record else Purpose.TREAT,
        role=diary.role,
        detail={"late_entered": card.late_entered, "risk_rules": len(hits)},
    )
    alerts = [
        raise_practice_risk(
            episode,
            title=title,
            source=f"{CARD_SOURCE}{card.public_id}",
            dedupe_key=f"practice:risk:diary:{card.public_id}:{rule['row']}",
        )
        for rule, title in hits
    ]
    return DiaryResult(card=card, created=True, alerts=alerts)


@transaction.atomic
def do_configure_diary(
    actor: User | None,
    program: Any,
    *,
    rows: list[dict[str, Any]] | None = None,
    risk_rules: list[dict[str, Any]] | None = None,
    backfill: int = DEFAULT_BACKFILL_DAYS,
    enabled: bool = True,
) -> DiaryCardConfig:
    """Set a program's diary card (validated; defaults when rows/rules are not given)."""
    config, _ = DiaryCardConfig.objects.get_or_create(program=program)
    config.rows = rows if rows is not None else list(DEFAULT_ROWS)
    config.risk_rules = risk_rules if risk_rules is not None else list(DEFAULT_RULES)
    if not 0 <= backfill <= 14:
        raise ValidationError({"backfill_days": "Choose 0 to 14 days."})
    config.backfill_days = backfill
    config.enabled = enabled
    config.full_clean(exclude=["program"])
    config.save()
    record(actor, Action.UPDATE, obj=config, purpose=Purpose.HOPERAT)
    return config
