"""The level-of-care recommendation as a pure function: rules and facts in, a level with its
reasons in words out. No database: `queries.screening_facts` gathers the facts and
`queries.program_rules` the program's rules (or `DEFAULT_RULES`).

Rules are ordered; the first whose condition holds proposes the level. The reasons always
say what the scores were and, for intensive outpatient, which track fits the person's
preferred schedule (docs/intake-and-discharge.md, "Level-of-care recommendation")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from trellis.intake.models import Condition, Level

RISK_NEGATIVE, RISK_POSITIVE, RISK_ACUTE = "negative", "positive", "acute"


@dataclass(frozen=True)
class Rule:
    condition: str
    level: str
    instrument: str = ""
    threshold: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.condition == Condition.SCORE_AT_LEAST:
            return f"{self.instrument} {self.threshold} or more"
        return str(Condition(self.condition).label)


# The rules a program starts with (seeded on its rules page; used while it has none).
# A starting point for the program's clinical director to review, not a clinical standard.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Condition.ACUTE_RISK, Level.INPATIENT,
         reason="Acute positive risk screen: emergency mental health evaluation now"),
    Rule(Condition.AGE_OUTSIDE, Level.REFER,
         reason="Age outside the program's population: refer to an age-appropriate program"),
    Rule(Condition.SCORE_AT_LEAST, Level.PARTIAL, "PHQ-9", 20,
         reason="Severe depression: consider a higher level of care"),
    Rule(Condition.SCORE_AT_LEAST, Level.INTENSIVE_OUTPATIENT, "PHQ-9", 10,
         reason="Moderate or worse depression"),
    Rule(Condition.SCORE_AT_LEAST, Level.INTENSIVE_OUTPATIENT, "GAD-7", 10,
         reason="Moderate or worse anxiety"),
    Rule(Condition.SCORE_AT_LEAST, Level.INTENSIVE_OUTPATIENT, "AUDIT-C", 4,
         reason="Positive alcohol screen"),
    Rule(Condition.RISK_POSITIVE, Level.INTENSIVE_OUTPATIENT,
         reason="Positive risk screen: more support than weekly outpatient"),
    Rule(Condition.ALWAYS, Level.OUTPATIENT,
         reason="Mild or minimal symptoms: weekly outpatient care"),
)  # fmt: skip


@dataclass(frozen=True)
class TrackHours:
    id: int
    name: str
    starts: time | None
    ends: time | None
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class ScoreFact:
    total: int | None
    band: str


@dataclass(frozen=True)
class Facts:
    scores: dict[str, ScoreFact]  # by instrument code
    risk: str | None  # RISK_NEGATIVE / RISK_POSITIVE / RISK_ACUTE, None when not screened
    age: int | None
    population: str  # the program's: "adult" or "adolescent"
    preferred_schedule: str  # PreferredSchedule value
    tracks: tuple[TrackHours, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    level: str
    track_id: int | None
    track_name: str
    reasons: tuple[str, ...]
    rule: str  # the rule that matched, described
    risk: str | None
    scores: dict[str, Any] = field(default_factory=dict)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_label": self.level_label,
            "track_id": self.track_id,
            "track": self.track_name,
            "reasons": list(self.reasons),
            "rule": self.rule,
            "risk": self.risk,
            "scores": self.scores,
        }


SCHEDULE_WORDS = {"any": "any", "day": "daytime", "evening": "evening", "weekend": "weekend"}
EVENING_FROM = time(16, 0)


def track_fits(track: TrackHours, schedule: str) -> bool | None:
    """Whether the track's hours fit the preferred schedule; None when its hours are unset."""
    if schedule == "any":
        return True
    if schedule == "weekend":
        return any(d in (5, 6) for d in track.weekdays) if track.weekdays else None
    if track.starts is None:
        return None
    evening = track.starts >= EVENING_FROM
    return evening if schedule == "evening" else not evening


def fitting_track(facts: Facts) -> tuple[TrackHours | None, str]:
    """The first track that fits the preferred schedule, and the reason in words."""
    words = SCHEDULE_WORDS.get(facts.preferred_schedule, facts.preferred_schedule)
    for track in facts.tracks:
        if track_fits(track, facts.preferred_schedule):
            return track, f"{words} schedule fits the {track.name} track"
    if not facts.tracks:
        return None, "the program has no open track"
    unknown = [t.name for t in facts.tracks if track_fits(t, facts.preferred_schedule) is None]
    if unknown:
        return None, f"no track is known to fit {_a(words)} schedule (hours not set: " + (
            ", ".join(unknown) + ")"
        )
    return None, f"no track fits {_a(words)} schedule"


def _a(words: str) -> str:
    """ "a daytime", "an evening": the article for a schedule's words."""
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def age_outside(facts: Facts) -> bool:
    if facts.age is None:
        return False
    return facts.age < 18 if facts.population == "adult" else facts.age >= 18


def matches(rule: Rule, facts: Facts) -> bool:
    if rule.condition == Condition.ACUTE_RISK:
        return facts.risk == RISK_ACUTE
    if rule.condition == Condition.RISK_POSITIVE:
        return facts.risk in (RISK_POSITIVE, RISK_ACUTE)
    if rule.condition == Condition.SCORE_AT_LEAST:
        fact = facts.scores.get(rule.instrument)
        return (
            fact is not None
            and fact.total is not None
            and rule.threshold is not None
            and fact.total >= rule.threshold
        )
    if rule.condition == Condition.AGE_OUTSIDE:
        return age_outside(facts)
    if rule.condition == Condition.NO_TRACK_FITS:
        return fitting_track(facts)[0] is None
    return rule.condition == Condition.ALWAYS


def scores_in_words(facts: Facts) -> str:
    parts = []
    for code, fact in facts.scores.items():
        if code == "ASQ":
            continue
        if fact.total is None:
            parts.append(f"{code} not scored (incomplete)")
        else:
            parts.append(f"{code} {fact.total}" + (f" ({fact.band.lower()})" if fact.band else ""))
    risk = {
        RISK_NEGATIVE: "risk screen negative",
        RISK_POSITIVE: "risk screen POSITIVE (non-acute)",
        RISK_ACUTE: "risk screen ACUTE POSITIVE",
    }.get(facts.risk or "", "risk screen not done")
    return ", ".join([*parts, risk])


def recommend(rules: Sequence[Rule], facts: Facts) -> Recommendation:
    """The first matching rule's level, with reasons in words. With no rule matching (a
    program's rules without an "otherwise"), intensive outpatient is proposed and the reasons
    say that no rule matched."""
    chosen = next((rule for rule in rules if matches(rule, facts)), None)
    level = chosen.level if chosen is not None else Level.INTENSIVE_OUTPATIENT
    reasons = [scores_in_words(facts)]
    if chosen is not None:
        reasons.append(chosen.reason or chosen.describe())
    else:
        reasons.append("No rule matched: the program's rules need an “otherwise” rule")
    if facts.age is not None and age_outside(facts):
        reasons.append(f"age {facts.age} is outside the program's {facts.population} population")
    track, fit = None, ""
    if level == Level.INTENSIVE_OUTPATIENT:
        track, fit = fitting_track(facts)
        reasons.append(fit)
    return Recommendation(
        level=level,
        track_id=track.id if track else None,
        track_name=track.name if track else "",
        reasons=tuple(reasons),
        rule=chosen.describe() if chosen else "",
        risk=facts.risk,
        scores={k: {"total": v.total, "band": v.band} for k, v in facts.scores.items()},
    )
