"""Writing a diary card, with its risk rules in the same transaction (docs/practice.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

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
from trellis.practice.models.library import Skill

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.practice.access import DiaryAccess
    from trellis.programs.models import Track
    from trellis.worklist.models import Alert

CARD_SOURCE = "practice.diary_card:"
AMOUNT_SUFFIX = "_amount"


def card_rows(config: DiaryCardConfig | None) -> list[dict[str, Any]]:
    return list(config.rows) if config is not None and config.rows else list(DEFAULT_ROWS)


def active_skills(organization_id: int) -> dict[str, Skill]:
    """The skills a checklist row offers: the organization's active skills in active modules,
    by public id, in library order (one query)."""
    skills = Skill.objects.filter(
        module__organization_id=organization_id, is_active=True, module__is_active=True
    ).order_by("module__position", "module__name", "position", "name")
    return {str(skill.public_id): skill for skill in skills}


def _clean_checklist(value: Any, offered: dict[str, Skill] | None) -> list[str]:
    """A checklist answer → the chosen skills' public ids, in library order; ValueError with
    the message to show."""
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
        raise ValueError("Choose skills from the list.")
    chosen = [item.strip() for item in chosen if item.strip()]
    offered = offered or {}
    unknown = [item for item in chosen if item not in offered]
    if unknown:
        raise ValueError(
            "Choose skills from the program's library: "
            f"{len(unknown)} chosen skill(s) are unknown or retired."
        )
    return [key for key in offered if key in chosen]


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


def clean_card(
    rows: list[dict[str, Any]],
    raw: dict[str, Any],
    skills: dict[str, Skill] | None = None,
) -> tuple[dict[str, Any], str]:
    """Raw answers (form strings or JSON values) → stored values and note; ValidationError
    naming each bad field. A row left blank is missing (never zero). `skills` are the skills a
    checklist row may name (`active_skills`)."""
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
        if kind == RowKind.SKILL_CHECKLIST:
            if _blank(value) or value == []:
                continue
            try:
                values[key] = _clean_checklist(value, skills)
            except ValueError as problem:
                errors[key] = str(problem)
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
    if not diary.in_use:
        raise ValidationError({"card_on": "Your program does not use a diary card."})
    today = today or episode_today(episode)  # a demo's or history's day, else the program's
    window = backfill_days(diary.config)
    if card_on > today:
        raise ValidationError({"card_on": "A diary card cannot be for a day in the future."})
    if card_on < today - timedelta(days=window):
        raise ValidationError(
            {"card_on": f"A diary card can be written for today or the last {window} days."}
        )
    rows = card_rows(diary.config)
    skills = (
        active_skills(episode.program.organization_id)
        if any(row["kind"] == RowKind.SKILL_CHECKLIST for row in rows)
        else None
    )
    values, note = clean_card(rows, answers, skills)
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


def new_row_key(label: str, taken: set[str]) -> str:
    """A stable key for a new row, from its label, never one in `taken` (current and
    removed rows' keys)."""
    base = "_".join("".join(c if c.isalnum() else " " for c in label.lower()).split())[:30]
    if not base or not base.isidentifier():
        base = f"row_{base}" if base else "row"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def do_configure_diary(
    actor: User | None,
    program: Any,
    *,
    rows: list[dict[str, Any]] | None = None,
    risk_rules: list[dict[str, Any]] | None = None,
    backfill: int = DEFAULT_BACKFILL_DAYS,
    enabled: bool = True,
    tracks: list[Track] | None = None,
) -> DiaryCardConfig:
    """Set a program's diary card (validated; defaults when rows/rules are not given); on a
    ValidationError nothing is stored.

    Keys are stable: a row removed from the card moves to `retired_rows` (old cards still show
    it), a removed row given back with the same kind is restored, and a key once used is never
    taken by a row of another kind (old cards' values would be misread). `tracks`: the
    program's tracks that use the card (none or None: every track)."""
    config = DiaryCardConfig.objects.filter(program=program).first()
    if config is None:
        config = DiaryCardConfig(program=program)
    # A program without its own card has been using the defaults: those are its rows.
    previous = list(config.rows) if config.pk and config.rows else list(DEFAULT_ROWS)
    new_rows = [dict(row) for row in rows] if rows is not None else list(DEFAULT_ROWS)
    errors: dict[str, list[str]] = {}
    if isinstance(backfill, bool) or not isinstance(backfill, int) or not 0 <= backfill <= 14:
        errors["backfill_days"] = ["Choose 0 to 14 days."]
    chosen_tracks = list(tracks or [])
    if any(track.program_id != program.pk for track in chosen_tracks):
        errors["tracks"] = ["Choose tracks of this program."]
    known = {row["key"]: row for row in [*config.retired_rows, *previous]}
    for index, row in enumerate(new_rows, start=1):
        if not isinstance(row, dict):
            continue
        earlier = known.get(row.get("key"))
        if earlier is not None and earlier.get("kind") != row.get("kind"):
            errors.setdefault("rows", []).append(
                f"Row {index}: key {row.get('key')!r} belonged to a {earlier.get('kind')} row; "
                "add a new row instead of changing a row's kind."
            )
    config.rows = new_rows
    config.risk_rules = risk_rules if risk_rules is not None else list(DEFAULT_RULES)
    try:
        config.full_clean(exclude=["program", "tracks"])
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    kept = {row["key"] for row in new_rows}
    retired = [row for row in config.retired_rows if row["key"] not in kept]
    retired += [row for row in previous if row["key"] not in kept]
    config.retired_rows = retired
    config.backfill_days = backfill
    config.enabled = enabled
    config.updated_at = timezone.now()
    config.save()
    config.tracks.set(chosen_tracks)
    record(
        actor,
        Action.UPDATE,
        obj=config,
        purpose=Purpose.HOPERAT,
        detail={
            "rows": len(new_rows),
            "risk_rules": len(config.risk_rules),
            "removed_rows": len(retired),
            "enabled": enabled,
            "tracks": len(chosen_tracks),
        },
    )
    return config
