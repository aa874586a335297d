"""Change over an episode: baseline, previous and latest scores, reliable change (threshold or
Jacobson–Truax), MCID, response, remission, reliable recovery and "not on track" (docs/domain.md
§4). Pure functions over an instrument's change rules (scoring.py) and dated totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trellis.measures.scoring import Instrument


@dataclass(frozen=True)
class Point:
    on: date
    total: int
    incomplete: bool = False


@dataclass(frozen=True)
class Change:
    instrument_code: str
    baseline: Point | None
    previous: Point | None
    latest: Point | None
    week: int | None  # weeks in care at the latest score (week 1 is the first week)
    delta: int | None  # latest − baseline: negative is better on every bundled instrument
    reliable_threshold: float | None
    reliable_improvement: bool = False
    reliable_deterioration: bool = False
    mcid_reached: bool = False
    response: bool = False
    remission: bool = False
    reliable_recovery: bool = False
    not_on_track: bool = False

    @property
    def flags(self) -> list[str]:
        names = [
            ("reliable_improvement", "reliable improvement"),
            ("reliable_deterioration", "reliable deterioration"),
            ("response", "response"),
            ("remission", "remission"),
            ("reliable_recovery", "reliable recovery"),
            ("not_on_track", "not on track"),
        ]
        return [label for attr, label in names if getattr(self, attr)]

    @property
    def summary(self) -> str:
        """ "PHQ-9 18 → 11 (−7, reliable improvement, week 5)"."""
        if self.latest is None or self.baseline is None:
            return f"{self.instrument_code}: no scores yet"
        mark = " (incomplete)" if self.latest.incomplete else ""
        if self.latest == self.baseline:
            return f"{self.instrument_code} {self.latest.total}{mark} (baseline)"
        delta = self.delta or 0
        sign = "−" if delta < 0 else ("+" if delta > 0 else "±")
        parts = [f"{sign}{abs(delta)}"]
        if self.reliable_improvement:
            parts.append("reliable improvement")
        elif self.reliable_deterioration:
            parts.append("reliable deterioration")
        else:
            parts.append("no reliable change")
        if self.not_on_track:
            parts.append("not on track")
        if self.week is not None:
            parts.append(f"week {self.week}")
        return (
            f"{self.instrument_code} {self.baseline.total} → {self.latest.total}{mark} "
            f"({', '.join(parts)})"
        )


def week_in_care(admitted_on: date | None, on: date) -> int | None:
    if admitted_on is None:
        return None
    return max(1, (on - admitted_on).days // 7 + 1)


def change(
    instrument: Instrument,
    points: Sequence[Point],
    *,
    admitted_on: date | None,
    today: date,
    on_track_weeks: int = 4,
) -> Change:
    """Change statistics over an episode's scores (any order; scored ones only).

    Lower is better on every bundled instrument. "Not on track": no reliable improvement by
    week `on_track_weeks` of care (default 4, docs/domain.md §4).
    """
    ordered = sorted(points, key=lambda p: p.on)
    threshold = instrument.change.reliable_threshold
    if not ordered:
        return Change(instrument.code, None, None, None, None, None, threshold)
    baseline, latest = ordered[0], ordered[-1]
    previous = ordered[-2] if len(ordered) > 1 else None
    delta = latest.total - baseline.total
    rules = instrument.change
    improved = threshold is not None and -delta >= threshold
    deteriorated = threshold is not None and delta >= threshold
    response = (
        rules.response_drop is not None
        and baseline.total > 0
        and (baseline.total - latest.total) >= rules.response_drop * baseline.total
    )
    remission = (
        rules.remission_below is not None
        and len(ordered) > 1
        and latest.total < rules.remission_below
    )
    # Reliable recovery: reliable improvement and moving from caseness to below it.
    recovery = (
        improved
        and instrument.caseness is not None
        and baseline.total >= instrument.caseness
        and latest.total < instrument.caseness
    )
    week_now = week_in_care(admitted_on, today)
    not_on_track = (
        threshold is not None
        and week_now is not None
        and week_now > on_track_weeks
        and not improved
        and (instrument.caseness is None or baseline.total >= instrument.caseness)
    )
    return Change(
        instrument_code=instrument.code,
        baseline=baseline,
        previous=previous,
        latest=latest,
        week=week_in_care(admitted_on, latest.on),
        delta=delta,
        reliable_threshold=threshold,
        reliable_improvement=improved,
        reliable_deterioration=deteriorated,
        mcid_reached=rules.mcid is not None and -delta >= rules.mcid,
        response=response,
        remission=remission,
        reliable_recovery=recovery,
        not_on_track=not_on_track,
    )
