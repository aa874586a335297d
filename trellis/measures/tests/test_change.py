"""Change statistics: baseline, previous, latest, reliable change, MCID, response, remission,
reliable recovery and "not on track" (docs/domain.md §4)."""

from __future__ import annotations

import copy
import math
from datetime import date, timedelta

from trellis.measures.change import Point, change
from trellis.measures.scoring import bundled, load_instrument

PHQ9 = bundled()["PHQ-9"]
GAD7 = bundled()["GAD-7"]
ADMITTED = date(2026, 3, 2)


def series(*totals: int) -> list[Point]:
    return [Point(ADMITTED + timedelta(weeks=n), t) for n, t in enumerate(totals)]


def test_phq9_18_to_11_is_a_reliable_improvement_in_week_5_with_the_summary_line() -> None:
    result = change(
        PHQ9, series(18, 16, 15, 13, 11), admitted_on=ADMITTED, today=ADMITTED + timedelta(weeks=4)
    )
    assert (result.baseline.total, result.previous.total, result.latest.total) == (18, 13, 11)  # type: ignore[union-attr]
    assert result.delta == -7
    assert result.reliable_improvement
    assert result.mcid_reached
    assert not result.response  # 7 < 50% of 18
    assert result.summary == "PHQ-9 18 → 11 (−7, reliable improvement, week 5)"


def test_a_drop_of_five_is_mcid_but_not_reliable_for_phq9() -> None:
    result = change(PHQ9, series(15, 10), admitted_on=ADMITTED, today=ADMITTED + timedelta(days=8))
    assert result.mcid_reached
    assert not result.reliable_improvement
    assert "no reliable change" in result.summary


def test_reliable_deterioration_at_exactly_the_threshold() -> None:
    result = change(PHQ9, series(8, 14), admitted_on=ADMITTED, today=ADMITTED + timedelta(days=8))
    assert result.reliable_deterioration
    assert not result.reliable_improvement
    result = change(GAD7, series(8, 12), admitted_on=ADMITTED, today=ADMITTED + timedelta(days=8))
    assert result.reliable_deterioration  # GAD-7 threshold is 4


def test_response_remission_and_reliable_recovery() -> None:
    result = change(PHQ9, series(16, 4), admitted_on=ADMITTED, today=ADMITTED + timedelta(days=8))
    assert result.response
    assert result.remission
    assert result.reliable_recovery
    # Reliable improvement that stays at caseness (≥ 10) is not recovery.
    result = change(PHQ9, series(22, 12), admitted_on=ADMITTED, today=ADMITTED + timedelta(days=8))
    assert result.reliable_improvement
    assert not result.reliable_recovery
    assert not result.remission


def test_not_on_track_after_week_four_without_reliable_improvement() -> None:
    flat = series(16, 15, 16, 14, 15)
    assert not change(
        PHQ9, flat, admitted_on=ADMITTED, today=ADMITTED + timedelta(days=27)
    ).not_on_track
    late = change(PHQ9, flat, admitted_on=ADMITTED, today=ADMITTED + timedelta(days=29))
    assert late.not_on_track
    assert "not on track" in late.summary
    improving = series(16, 9)
    assert not change(
        PHQ9, improving, admitted_on=ADMITTED, today=ADMITTED + timedelta(days=40)
    ).not_on_track
    assert change(
        PHQ9, flat, admitted_on=ADMITTED, today=ADMITTED + timedelta(days=20), on_track_weeks=2
    ).not_on_track


def test_jacobson_truax_threshold_from_sd_and_reliability_in_data() -> None:
    data = copy.deepcopy(dict(PHQ9.raw))
    data["scoring"]["change"] = {"sd": 5.0, "reliability": 0.84}
    instrument = load_instrument(data)
    expected = 1.96 * math.sqrt(2) * 5.0 * math.sqrt(1 - 0.84)
    assert instrument.change.reliable_threshold is not None
    assert math.isclose(instrument.change.reliable_threshold, expected)  # ≈ 5.54
    assert change(
        instrument, series(15, 9), admitted_on=ADMITTED, today=ADMITTED
    ).reliable_improvement
    assert not change(
        instrument, series(15, 10), admitted_on=ADMITTED, today=ADMITTED
    ).reliable_improvement


def test_no_scores_and_a_single_baseline() -> None:
    assert change(PHQ9, [], admitted_on=ADMITTED, today=ADMITTED).summary == "PHQ-9: no scores yet"
    one = change(PHQ9, series(12), admitted_on=ADMITTED, today=ADMITTED)
    assert one.summary == "PHQ-9 12 (baseline)"
    assert not one.remission
