"""The daily diary card: a per-program configuration (its rows and risk rules) and one card a
day per participant episode.

Rows are data, like worksheet definitions: each row has a `key`, a `label` and a `kind`:

- "urge" and "emotion": 0–5 (`min`/`max` fixed by the kind);
- "action": did it happen (yes/no), with an optional amount (a whole number ≥ 0);
- "skills": the 0–7 skill-use scale;
- "skill_checklist": the library skills used that day (a list of skill public ids);
- "note": free text.

Optional details: an urge row may name its `target` ("alcohol"), an action row its `unit`
("drinks"). A row's `key` is stable: cards store values by key, a removed row's definition is
kept in `DiaryCardConfig.retired_rows` (and in each card's own `rows`), and a key is never
reused for a row of another kind.

Risk rules name a row: `{"row": "self_harm_urge", "at_least": 4}` for urges and emotions,
`{"row": "self_harm_act", "any": true}` for actions. The defaults (`DEFAULT_ROWS`,
`DEFAULT_RULES`) hold for a program with no configuration of its own.

A card's values and note are the participant's words: encrypted at rest. A card for a past day
is `late_entered`; one card per episode and day (a double submit gets the first back).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedJSONField, EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program, Track


class RowKind(models.TextChoices):
    URGE = "urge", "Urge 0–5"
    ACTION = "action", "Action (yes/no, amount)"
    EMOTION = "emotion", "Emotion 0–5"
    SKILLS = "skills", "Skills used 0–7"
    SKILL_CHECKLIST = "skill_checklist", "Skills used (checklist of the library's skills)"
    NOTE = "note", "Note"


SCALE_OF: dict[str, tuple[int, int]] = {
    RowKind.URGE: (0, 5),
    RowKind.EMOTION: (0, 5),
    RowKind.SKILLS: (0, 7),
}

DEFAULT_ROWS: list[dict[str, Any]] = [
    {"key": "suicide_urge", "label": "Urge to kill myself", "kind": "urge"},
    {"key": "self_harm_urge", "label": "Urge to hurt myself", "kind": "urge"},
    {"key": "use_urge", "label": "Urge to drink or use", "kind": "urge"},
    {"key": "self_harm_act", "label": "Hurt myself", "kind": "action"},
    {"key": "used", "label": "Drank or used (drinks or times)", "kind": "action"},
    {"key": "sadness", "label": "Sadness", "kind": "emotion"},
    {"key": "anger", "label": "Anger", "kind": "emotion"},
    {"key": "fear", "label": "Fear", "kind": "emotion"},
    {"key": "shame", "label": "Shame", "kind": "emotion"},
    {"key": "joy", "label": "Joy", "kind": "emotion"},
    {"key": "skills", "label": "Skills used", "kind": "skills"},
    {"key": "note", "label": "Anything else", "kind": "note"},
]

DEFAULT_RULES: list[dict[str, Any]] = [
    {"row": "suicide_urge", "at_least": 4},
    {"row": "self_harm_urge", "at_least": 4},
    {"row": "self_harm_act", "any": True},
]

DEFAULT_BACKFILL_DAYS = 2


def validate_rows(rows: Any) -> list[dict[str, Any]]:
    """The rows, checked: a list of {key, label, kind} with unique keys and known kinds."""
    problems: list[str] = []
    if not isinstance(rows, list) or not rows:
        raise ValidationError({"rows": "Give at least one row."})
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"Row {index}: must be an object.")
            continue
        key = row.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            problems.append(f"Row {index}: key must be a short identifier.")
        elif key in seen:
            problems.append(f"Row {index}: key {key!r} is used twice.")
        else:
            seen.add(key)
        if not isinstance(row.get("label"), str) or not row["label"].strip():
            problems.append(f"Row {index}: label is required.")
        if row.get("kind") not in RowKind.values:
            problems.append(f"Row {index}: kind must be one of {', '.join(RowKind.values)}.")
        elif isinstance(row.get("label"), str) and len(row["label"]) > 80:
            problems.append(f"Row {index}: label must be at most 80 characters.")
        for detail, kind in (("target", RowKind.URGE), ("unit", RowKind.ACTION)):
            value = row.get(detail)
            if value in (None, ""):
                continue
            if row.get("kind") != kind:
                problems.append(f"Row {index}: only a {kind} row has a {detail}.")
            elif not isinstance(value, str) or len(value) > 40:
                problems.append(f"Row {index}: {detail} must be text of at most 40 characters.")
    if len(rows) > 40:
        problems.append("A card has at most 40 rows.")
    if problems:
        raise ValidationError({"rows": problems})
    return rows


def validate_rules(rules: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The risk rules, checked against the rows they name."""
    kinds = {row["key"]: row["kind"] for row in rows}
    problems: list[str] = []
    if not isinstance(rules, list):
        raise ValidationError({"risk_rules": "Risk rules must be a list."})
    for index, rule in enumerate(rules, start=1):
        kind = kinds.get(rule.get("row")) if isinstance(rule, dict) else None
        if kind is None:
            problems.append(f"Rule {index}: row must name one of the card's rows.")
        elif kind in (RowKind.URGE, RowKind.EMOTION, RowKind.SKILLS):
            low, high = SCALE_OF[kind]
            threshold = rule.get("at_least")
            if not isinstance(threshold, int) or not low <= threshold <= high:
                problems.append(f"Rule {index}: at_least must be a whole number {low}–{high}.")
        elif kind == RowKind.ACTION:
            if rule.get("any") is not True:
                problems.append(f"Rule {index}: an action rule is {{'any': true}}.")
        else:
            problems.append(f"Rule {index}: a note or checklist row cannot raise risk.")
    if problems:
        raise ValidationError({"risk_rules": problems})
    return rules


class DiaryCardConfig(models.Model):
    """A program's diary card: its rows, its risk rules and how far back a card may be written."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="diary_config")
    enabled = models.BooleanField(default=True)
    rows = models.JSONField(default=list)
    risk_rules = models.JSONField(default=list, blank=True)
    backfill_days = models.PositiveSmallIntegerField(
        default=DEFAULT_BACKFILL_DAYS, help_text="How many past days a card may still be written"
    )
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="+", help_text="The tracks that use it (none: all)"
    )
    retired_rows = models.JSONField(
        default=list,
        blank=True,
        help_text="Rows removed from the card: their keys are never reused",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Diary card of program {self.program_id}"

    def used_by(self, episode: Any) -> bool:
        """Whether the episode's participant keeps this card (enabled, and the episode's
        track is one of the chosen tracks, or no track is chosen)."""
        if not self.enabled:
            return False
        chosen = {track.pk for track in self.tracks.all()}
        return not chosen or episode.track_id in chosen

    def clean(self) -> None:
        validate_rules(self.risk_rules, validate_rows(self.rows))


class DiaryCard(models.Model):
    """One day's card of one episode. `values` maps row key → value (int, or for actions
    {"done": bool, "amount": int|None}); the note row is kept in `note`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="diary_cards")
    card_on = models.DateField(help_text="The organization's date the card describes")
    values = EncryptedJSONField(default=dict)
    note = EncryptedTextField(blank=True, default="")
    rows = models.JSONField(
        default=list, help_text="The rows the card was written on (configs change)"
    )
    late_entered = models.BooleanField(default=False)
    risk_raised = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-card_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "card_on"], name="practice_one_card_a_day")
        ]

    def __str__(self) -> str:
        return f"Diary card {self.public_id}"
