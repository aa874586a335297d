"""Change over an episode: baseline, previous and latest scores, reliable change (threshold or
Jacobson–Truax), MCID, response, remission, reliable recovery and "not on track" (docs/domain.md
§4). Pure functions over an instrument's change rules (scoring.py) and dated totals.

`change()` judges one instrument alone; `joint_outcome()` judges recovery on PHQ-9 and GAD-7
together, as domain.md §4 defines it.
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
    caseness: float | None = None  # the instrument's cut-off (score ≥ caseness is a case)
    mcid: float | None = None  # minimal clinically important difference, in points

    @property
    def flags(self) -> list[str]:
        names = [
            ("reliable_improvement", "reliable improvement"),
            ("reliable_deterioration", "reliable deterioration"),
            ("response", "response"),
            ("remission", "remission"),
            # Judged on this instrument only; recovery proper is judged on PHQ-9 and GAD-7
            # together (joint_outcome below, docs/domain.md §4).
            ("reliable_recovery", "reliable recovery (this measure alone)"),
            ("not_on_track", "not on track"),
        ]
        return [label for attr, label in names if getattr(self, attr)]

    @property
    def mcid_label(self) -> str:
        """ "MCID reached (≥ 5 points)", or "" when it was not (or the instrument has none)."""
        if not self.mcid_reached or self.mcid is None:
            return ""
        return f"MCID reached (≥ {self.mcid:g} points)"

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
        return Change(
            instrument.code,
            None,
            None,
            None,
            None,
            None,
            threshold,
            caseness=instrument.caseness,
            mcid=instrument.change.mcid,
        )
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
    # Reliable recovery on this instrument alone: reliable improvement and moving from caseness
    # to below it. The definition proper is on the pair (joint_outcome).
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
        caseness=instrument.caseness,
        mcid=rules.mcid,
    )


JOINT = "PHQ-9 + GAD-7"


@dataclass(frozen=True)
class MeasurePair:
    """One instrument's own baseline and latest score, with its cut-off."""

    change: Change
    baseline: Point
    latest: Point
    caseness: float

    @property
    def case_at_baseline(self) -> bool:
        return self.baseline.total >= self.caseness

    @property
    def case_at_latest(self) -> bool:
        return self.latest.total >= self.caseness


def _pair(c: Change | None) -> MeasurePair | None:
    """The pair to judge, or None without a baseline and a later score, or without a cut-off."""
    if c is None or c.baseline is None or c.latest is None or c.previous is None:
        return None
    if c.caseness is None:
        return None
    return MeasurePair(c, c.baseline, c.latest, c.caseness)


@dataclass(frozen=True)
class JointOutcome:
    """Recovery on PHQ-9 and GAD-7 together; see `joint_outcome`."""

    measured: bool  # both instruments have a baseline and a later score
    case_at_baseline: bool = False
    recovered: bool = False
    reliably_improved: bool = False
    reliably_deteriorated: bool = False
    reliable_recovery: bool = False
    pairs: tuple[MeasurePair, ...] = ()

    @property
    def on_different_days(self) -> bool:
        """The two instruments' baselines or latest scores fall on different days."""
        return len({p.baseline.on for p in self.pairs}) > 1 or (
            len({p.latest.on for p in self.pairs}) > 1
        )

    @property
    def label(self) -> str:
        """One line for staff: "Reliable recovery (PHQ-9 + GAD-7)", "Not recovered: …"."""
        if not self.measured:
            return (
                f"Recovery ({JOINT}): not judged yet; it needs a baseline and a later score on both"
            )
        if not self.case_at_baseline:
            head = f"Recovery ({JOINT}) does not apply: below caseness on both at baseline"
        elif self.reliable_recovery:
            return f"Reliable recovery ({JOINT})"
        elif self.recovered:
            head = f"Recovered ({JOINT}), without reliable improvement"
        else:
            head = "Not recovered: " + " and ".join(
                f"{p.change.instrument_code} {'still' if p.case_at_baseline else 'now'} at "
                f"caseness ({p.latest.total}, ≥ {p.caseness:g})"
                for p in self.pairs
                if p.case_at_latest
            )
        if self.reliably_improved:
            return f"{head}; reliable improvement ({JOINT})"
        if self.reliably_deteriorated:
            return f"{head}; reliable deterioration ({JOINT})"
        improved = [p.change.instrument_code for p in self.pairs if p.change.reliable_improvement]
        worse = [p.change.instrument_code for p in self.pairs if p.change.reliable_deterioration]
        if improved and worse:
            return (
                f"{head}; mixed: reliable improvement on {', '.join(improved)}, "
                f"reliable deterioration on {', '.join(worse)}"
            )
        return head


def joint_outcome(phq9: Change | None, gad7: Change | None) -> JointOutcome:
    """Recovery judged on PHQ-9 and GAD-7 together (docs/domain.md §4).

    domain.md §4: "Reliable recovery": reliable improvement and moving from caseness (PHQ-9 ≥ 10
    or GAD-7 ≥ 8) to below both cut-offs. So: a case on at least one measure at baseline,
    below the cut-off on both at the latest score, and reliable improvement. domain.md does not
    spell out reliable change on the pair; NHS Talking Therapies counts reliable improvement
    when at least one measure improved reliably and neither deteriorated reliably, and reliable
    deterioration the other way round (at least one deteriorated, neither improved). A mixed
    result is neither; the per-instrument flags still show each.

    Pairing: each instrument runs from its own baseline (first score of the episode) to its own
    latest score, even when the two were not given on the same days (Trellis schedules them
    together, so they usually are); `on_different_days` says when they were not.
    Without a baseline and a later score on both there is no joint outcome (`measured` False).
    The rule is symmetric: swapping the two changes gives the same outcome.
    """
    pairs = tuple(p for p in (_pair(phq9), _pair(gad7)) if p is not None)
    if len(pairs) < 2:
        return JointOutcome(measured=False)
    case_at_baseline = any(p.case_at_baseline for p in pairs)
    recovered = case_at_baseline and not any(p.case_at_latest for p in pairs)
    improved_any = any(p.change.reliable_improvement for p in pairs)
    deteriorated_any = any(p.change.reliable_deterioration for p in pairs)
    reliably_improved = improved_any and not deteriorated_any
    return JointOutcome(
        measured=True,
        case_at_baseline=case_at_baseline,
        recovered=recovered,
        reliably_improved=reliably_improved,
        reliably_deteriorated=deteriorated_any and not improved_any,
        reliable_recovery=recovered and reliably_improved,
        pairs=pairs,
    )
