"""Reading diary cards: the clinician's week (days × rows) and a trend over weeks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from trellis.practice.actions.diary import card_rows, episode_today
from trellis.practice.models.diary import SCALE_OF, DiaryCard, RowKind
from trellis.practice.models.library import Skill

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.practice.access import DiaryAccess
    from trellis.privacy.access import ParticipantAccess


@dataclass(frozen=True)
class Cell:
    """One row on one day: `missing` when no card (or the row was left blank), never 0."""

    missing: bool
    text: str = ""
    level: int = 0  # 0–5 colour band, from the value's place on its scale
    late: bool = False


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _own_row(row: dict[str, Any], card: DiaryCard) -> dict[str, Any]:
    """The row as the card was written on it (its kind then), else the current one."""
    for own in card.rows or []:
        if isinstance(own, dict) and own.get("key") == row["key"]:
            return own
    return row


def _skill_text(skill: Skill | None) -> str:
    if skill is None:
        return "?"
    text = skill.acronym or skill.name
    return f"{text} (retired)" if not skill.is_active or not skill.module.is_active else text


def _cell(
    row: dict[str, Any], card: DiaryCard | None, skills: dict[str, Skill] | None = None
) -> Cell:
    if card is None:
        return Cell(missing=True)
    value = card.values.get(row["key"])
    kind = _own_row(row, card)["kind"]
    if kind == RowKind.NOTE:
        return Cell(missing=not card.note, text="note" if card.note else "", late=card.late_entered)
    if value is None:
        return Cell(missing=True, late=card.late_entered)
    if kind == RowKind.ACTION:
        done = bool(value.get("done"))
        amount = value.get("amount")
        text = ("yes" + (f" ({amount})" if amount else "")) if done else "no"
        return Cell(missing=False, text=text, level=5 if done else 0, late=card.late_entered)
    if kind == RowKind.SKILL_CHECKLIST:
        if not isinstance(value, list) or not value:
            return Cell(missing=True, late=card.late_entered)
        names = [_skill_text((skills or {}).get(item)) for item in value]
        level = min(5, len(value))
        return Cell(missing=False, text=", ".join(names), level=level, late=card.late_entered)
    if not isinstance(value, int) or kind not in SCALE_OF:
        return Cell(missing=True, late=card.late_entered)
    low, high = SCALE_OF[kind]
    level = round(5 * (value - low) / (high - low))
    return Cell(missing=False, text=str(value), level=level, late=card.late_entered)


def diary_week(diary: DiaryAccess, episode: Episode, week_start: date) -> dict[str, Any]:
    """Context for practice/diary/_week.html: the seven days from `week_start` (a Monday) ×
    the card's rows. One query for the week's cards, whatever the history's length."""
    week_start = week_start_of(week_start)
    days = [week_start + timedelta(days=n) for n in range(7)]
    cards = {
        card.card_on: card
        for card in DiaryCard.objects.filter(
            episode=episode, card_on__gte=days[0], card_on__lte=days[-1]
        )
    }
    rows = [{**row, "removed": False} for row in card_rows(diary.config)]
    current = {row["key"] for row in rows}
    for card in sorted(cards.values(), key=lambda c: c.card_on):
        for own in card.rows or []:  # rows since removed from the card: still shown
            if isinstance(own, dict) and own.get("key") not in current:
                current.add(own["key"])
                rows.append({**own, "removed": True})
    skills = _checklist_skills(episode, rows, cards.values())
    today = episode_today(episode)
    return {
        "diary_episode": episode,
        "week_start": week_start,
        "previous_week": week_start - timedelta(days=7),
        "next_week": week_start + timedelta(days=7) if days[-1] < today else None,
        "days": [
            {
                "day": day,
                "future": day > today,
                "late": bool(cards.get(day) and cards[day].late_entered),
            }
            for day in days
        ],
        "rows": [
            {
                "label": row["label"],
                "kind": row["kind"],
                "removed": row["removed"],
                "cells": [_cell(row, cards.get(d), skills) for d in days],
            }
            for row in rows
        ],
        "cards_in_week": len(cards),
    }


def _checklist_skills(
    episode: Episode, rows: list[dict[str, Any]], cards: Iterable[DiaryCard]
) -> dict[str, Skill]:
    """The skills named by the week's checklist answers, retired ones included (one query,
    none when the card has no checklist row)."""
    keys = [row["key"] for row in rows if row["kind"] == RowKind.SKILL_CHECKLIST]
    named: set[str] = set()
    for card in cards:
        for key in keys:
            value = card.values.get(key)
            if isinstance(value, list):
                named.update(item for item in value if isinstance(item, str))
    if not named:
        return {}
    skills = Skill.objects.filter(
        module__organization_id=episode.program.organization_id,
        public_id__in=[item for item in named if _is_uuid(item)],
    ).select_related("module")
    return {str(skill.public_id): skill for skill in skills}


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class TrendLine:
    label: str
    points: list[tuple[date, float | None]]  # week start → mean (None: no card that week)
    svg_points: list[str]


def diary_trend(diary: DiaryAccess, episode: Episode, *, weeks: int = 12) -> dict[str, Any]:
    """Weekly means of the urge rows over the last `weeks` weeks, as server-drawn SVG
    polylines (a week with no answer breaks the line: missing, not zero)."""
    today = episode_today(episode)
    first = week_start_of(today) - timedelta(days=7 * (weeks - 1))
    starts = [first + timedelta(days=7 * n) for n in range(weeks)]
    rows = [r for r in card_rows(diary.config) if r["kind"] == RowKind.URGE]
    sums: dict[tuple[str, date], list[int]] = {}
    for card in DiaryCard.objects.filter(episode=episode, card_on__gte=first).only(
        "card_on", "values"
    ):
        start = week_start_of(card.card_on)
        for row in rows:
            value = card.values.get(row["key"])
            if isinstance(value, int):
                sums.setdefault((row["key"], start), []).append(value)
    width, height, pad = 600, 160, 20
    step = (width - 2 * pad) / max(weeks - 1, 1)
    lines = []
    for row in rows:
        points: list[tuple[date, float | None]] = []
        segments: list[str] = []
        current: list[str] = []
        for index, start in enumerate(starts):
            found = sums.get((row["key"], start))
            mean = sum(found) / len(found) if found else None
            points.append((start, mean))
            if mean is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x = pad + index * step
            y = height - pad - (height - 2 * pad) * mean / 5
            current.append(f"{x:.1f},{y:.1f}")
        if current:
            segments.append(" ".join(current))
        lines.append(TrendLine(label=row["label"], points=points, svg_points=segments))
    return {
        "trend_lines": lines,
        "trend_weeks": starts,
        "trend_width": width,
        "trend_height": height,
    }


def diary_cards(diary: DiaryAccess, since: date, until: date) -> list[DiaryCard]:
    """The opened diary's cards from `since` to `until`, oldest first."""
    return list(
        DiaryCard.objects.filter(
            episode=diary.episode, card_on__gte=since, card_on__lte=until
        ).order_by("card_on")
    )


def days_written(diary: DiaryAccess, days: list[date]) -> set[date]:
    """Which of `days` already have a card in the opened diary."""
    return set(
        DiaryCard.objects.filter(episode=diary.episode, card_on__in=days).values_list(
            "card_on", flat=True
        )
    )


def chart_diary_week(access: ParticipantAccess, episode: Episode) -> dict[str, Any] | None:
    """This week's card for the chart's Practice tab, read under the tab's own (already
    audited) access; None when the access is not clinical for the episode or the program
    keeps no diary card."""
    from trellis.practice.access import DiaryAccess
    from trellis.practice.models.diary import DiaryCardConfig

    if not access.is_clinical_for(episode):
        return None
    config = (
        DiaryCardConfig.objects.filter(program_id=episode.program_id, enabled=True)
        .prefetch_related("tracks")
        .first()
    )
    if config is None or not config.used_by(episode):
        return None
    diary = DiaryAccess(participant_access=access, episode=episode, config=config)
    return diary_week(diary, episode, episode_today(episode))
