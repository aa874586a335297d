"""Reads for screening and the level of care: the battery, results, the rules' facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from trellis.intake.models import (
    Inquiry,
    LevelOfCareDecision,
    LevelOfCareRule,
    Screening,
)
from trellis.intake.rules import (
    DEFAULT_RULES,
    RISK_ACUTE,
    RISK_NEGATIVE,
    RISK_POSITIVE,
    Facts,
    Rule,
    ScoreFact,
    TrackHours,
)
from trellis.measures.models import Administration, Score
from trellis.measures.queries import AnsweredItem, hash_token
from trellis.measures.registry import get_instrument
from trellis.programs.models import Program, Track

if TYPE_CHECKING:
    pass


def program_rules(program: Program) -> tuple[list[Rule], bool]:
    """The program's level-of-care rules in order, and whether they are its own (False: the
    defaults, until its director saves rules)."""
    rows = list(LevelOfCareRule.objects.filter(program=program).order_by("position"))
    if not rows:
        return list(DEFAULT_RULES), False
    return [
        Rule(r.condition, r.level, r.instrument_code, r.threshold, r.reason) for r in rows
    ], True


def screening_for_link(token: str) -> Screening | None:
    """The battery a one-time link opens (only the token's hash is stored)."""
    if not token or len(token) > 100:
        return None
    return (
        Screening.objects.filter(link_token_hash=hash_token(token))
        .select_related("inquiry__program__organization", "episode")
        .first()
    )


def battery(screening: Screening) -> list[Administration]:
    """The screening's check-ins in the battery's order."""
    rows = list(screening.administrations.select_related("participant"))
    order = {code: n for n, code in enumerate(["PHQ-9", "GAD-7", "AUDIT-C", "ASQ"])}
    return sorted(rows, key=lambda a: (order.get(a.instrument_code, 99), a.instrument_code))


@dataclass(frozen=True)
class ScreeningResult:
    code: str
    title: str
    status: str  # the check-in's status label
    score: Score | None
    critical: list[AnsweredItem]

    @property
    def is_risk_positive(self) -> bool:
        return self.score is not None and self.score.band_code in {
            "non-acute-positive",
            "acute-positive",
        }


@dataclass(frozen=True)
class ScreeningView:
    screening: Screening | None
    results: list[ScreeningResult]
    risk: str | None
    decisions: list[LevelOfCareDecision]


def screening_view(inquiry: Inquiry) -> ScreeningView:
    """The inquiry's latest screening with each questionnaire's score and critical answers,
    and its level-of-care decisions: five queries whatever the battery's size."""
    screening = Screening.objects.filter(inquiry=inquiry).order_by("-created_at", "-pk").first()
    decisions = list(
        LevelOfCareDecision.objects.filter(inquiry=inquiry)
        .select_related("decided_by", "track")
        .order_by("decided_at", "pk")
    )
    if screening is None:
        return ScreeningView(None, [], None, decisions)
    administrations = battery(screening)
    scores = {
        s.response.administration_id: s
        for s in Score.objects.current()
        .filter(response__administration__in=[a.pk for a in administrations])
        .select_related("response")
    }
    results = []
    risk: str | None = None
    for administration in administrations:
        instrument = get_instrument(
            administration.instrument_code, administration.instrument_version
        )
        score = scores.get(administration.pk)
        critical: list[AnsweredItem] = []
        if score is not None:
            wanted = set(score.critical_items)
            for number, item in enumerate(instrument.items, start=1):
                if item.link_id in wanted:
                    option = item.option(str(score.response.answers.get(item.link_id, "")))
                    critical.append(
                        AnsweredItem(number, item.text, option.display if option else "—")
                    )
            if instrument.code == "ASQ":
                risk = {
                    "acute-positive": RISK_ACUTE,
                    "non-acute-positive": RISK_POSITIVE,
                }.get(score.band_code, RISK_NEGATIVE)
        results.append(
            ScreeningResult(
                instrument.code,
                instrument.short_title,
                administration.get_status_display(),
                score,
                critical,
            )
        )
    return ScreeningView(screening, results, risk, decisions)


def open_tracks(program: Program) -> tuple[TrackHours, ...]:
    return tuple(
        TrackHours(t.pk, t.name, t.day_starts_at, t.day_ends_at, tuple(t.weekdays or ()))
        for t in Track.objects.filter(program=program, is_active=True).order_by("name")
    )


def screening_facts(inquiry: Inquiry, view: ScreeningView) -> Facts:
    """What the rules read about this person: scores, risk, age, schedule, the tracks."""
    program = inquiry.program
    return Facts(
        scores={
            r.code: ScoreFact(r.score.total, r.score.band_label)
            for r in view.results
            if r.score is not None
        },
        risk=view.risk,
        age=inquiry.age_on(program.organization.today()),
        population=program.population,
        preferred_schedule=inquiry.preferred_schedule,
        tracks=open_tracks(program),
    )
