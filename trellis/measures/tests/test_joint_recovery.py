"""Recovery judged on PHQ-9 and GAD-7 together (docs/domain.md §4, NHS Talking Therapies): a
case on either at baseline, below both cut-offs at the latest score, plus reliable improvement.
The per-instrument flag is labelled "(this measure alone)"; MCID is shown per instrument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.personas import World
from trellis.accounts.models import User
from trellis.measures.change import Change, Point, change, joint_outcome
from trellis.measures.scoring import bundled
from trellis.measures.tests.factories import complete_checkin

PHQ9 = bundled()["PHQ-9"]  # caseness 10, reliable change 6, MCID 5
GAD7 = bundled()["GAD-7"]  # caseness 8, reliable change 4, MCID 4
ADMITTED = date(2026, 3, 2)
TODAY = ADMITTED + timedelta(weeks=3)


def phq9(*totals: int, start: date = ADMITTED) -> Change:
    points = [Point(start + timedelta(weeks=n), t) for n, t in enumerate(totals)]
    return change(PHQ9, points, admitted_on=ADMITTED, today=TODAY)


def gad7(*totals: int, start: date = ADMITTED) -> Change:
    points = [Point(start + timedelta(weeks=n), t) for n, t in enumerate(totals)]
    return change(GAD7, points, admitted_on=ADMITTED, today=TODAY)


def test_below_caseness_on_both_at_baseline_means_recovery_does_not_apply() -> None:
    outcome = joint_outcome(phq9(8, 1), gad7(6, 1))
    assert outcome.measured
    assert not outcome.case_at_baseline
    assert not outcome.recovered
    assert not outcome.reliable_recovery
    assert outcome.reliably_improved  # PHQ-9 −7, GAD-7 −5: improvement is judged all the same
    assert outcome.label.startswith("Recovery (PHQ-9 + GAD-7) does not apply")


def test_a_case_on_one_measure_only_recovers_when_both_end_below_their_cut_offs() -> None:
    outcome = joint_outcome(phq9(16, 4), gad7(6, 5))
    assert outcome.case_at_baseline
    assert outcome.recovered
    assert outcome.reliably_improved
    assert not outcome.reliably_deteriorated
    assert outcome.reliable_recovery
    assert outcome.label == "Reliable recovery (PHQ-9 + GAD-7)"


def test_recovered_on_one_measure_but_not_the_other_is_not_recovery() -> None:
    depression, anxiety = phq9(16, 4), gad7(12, 9)
    assert depression.reliable_recovery  # on PHQ-9 alone it is
    outcome = joint_outcome(depression, anxiety)
    assert outcome.case_at_baseline
    assert not outcome.recovered
    assert outcome.reliably_improved
    assert not outcome.reliable_recovery
    assert outcome.label == (
        "Not recovered: GAD-7 still at caseness (9, ≥ 8); reliable improvement (PHQ-9 + GAD-7)"
    )


def test_reliable_deterioration_on_one_measure_cancels_reliable_improvement_on_the_other() -> None:
    outcome = joint_outcome(phq9(16, 4), gad7(3, 7))
    assert outcome.recovered  # below both cut-offs at the end
    assert not outcome.reliably_improved
    assert not outcome.reliably_deteriorated
    assert not outcome.reliable_recovery
    assert outcome.label == (
        "Recovered (PHQ-9 + GAD-7), without reliable improvement; mixed: reliable improvement "
        "on PHQ-9, reliable deterioration on GAD-7"
    )


def test_reliable_deterioration_on_one_measure_and_none_on_the_other_is_joint() -> None:
    outcome = joint_outcome(phq9(12, 18), gad7(3, 7))
    assert outcome.reliably_deteriorated
    assert not outcome.reliably_improved
    assert not outcome.recovered
    assert outcome.label == (
        "Not recovered: PHQ-9 still at caseness (18, ≥ 10); reliable deterioration (PHQ-9 + GAD-7)"
    )


def test_recovered_without_reliable_improvement_is_not_reliable_recovery() -> None:
    outcome = joint_outcome(phq9(11, 7), gad7(5, 5))
    assert outcome.recovered
    assert not outcome.reliably_improved
    assert not outcome.reliable_recovery
    assert outcome.label == "Recovered (PHQ-9 + GAD-7), without reliable improvement"


def test_a_measure_that_became_a_case_is_now_at_caseness_not_still() -> None:
    outcome = joint_outcome(phq9(14, 4), gad7(5, 9))
    assert not outcome.recovered
    assert outcome.label.startswith("Not recovered: GAD-7 now at caseness (9, ≥ 8)")


def test_only_one_instrument_measured_gives_no_joint_outcome() -> None:
    for depression, anxiety in [
        (phq9(16, 4), None),
        (None, gad7(12, 3)),
        (phq9(16, 4), gad7()),
        (phq9(16, 4), gad7(12)),  # a baseline without a later score
        (None, None),
    ]:
        outcome = joint_outcome(depression, anxiety)
        assert not outcome.measured
        assert not outcome.case_at_baseline
        assert not outcome.recovered
        assert not outcome.reliably_improved
        assert not outcome.reliably_deteriorated
        assert not outcome.reliable_recovery
        assert outcome.label.startswith("Recovery (PHQ-9 + GAD-7): not judged yet")


def test_each_measure_runs_from_its_own_baseline_to_its_own_latest_score() -> None:
    same = joint_outcome(phq9(16, 4), gad7(9, 3))
    assert not same.on_different_days
    # GAD-7 first given a day later and once more after PHQ-9's latest: each keeps its own pair.
    later = joint_outcome(phq9(16, 4), gad7(9, 9, 3, start=ADMITTED + timedelta(days=1)))
    assert later.on_different_days
    assert later.reliable_recovery


def test_the_per_instrument_flag_says_this_measure_alone_and_mcid_names_its_threshold() -> None:
    result = phq9(16, 4)
    assert "reliable recovery (this measure alone)" in result.flags
    assert result.mcid_label == "MCID reached (≥ 5 points)"
    assert phq9(16, 12).mcid_label == ""
    assert gad7(12, 8).mcid_label == "MCID reached (≥ 4 points)"


totals_phq9 = st.lists(st.integers(0, 27), min_size=0, max_size=4)
totals_gad7 = st.lists(st.integers(0, 21), min_size=0, max_size=4)


@settings(max_examples=300, deadline=None)
@given(totals_phq9, totals_gad7)
def test_joint_outcome_is_consistent_and_symmetric(
    depression_totals: list[int], anxiety_totals: list[int]
) -> None:
    depression, anxiety = phq9(*depression_totals), gad7(*anxiety_totals)
    outcome = joint_outcome(depression, anxiety)
    if outcome.reliable_recovery:
        assert outcome.recovered
        assert outcome.reliably_improved
        assert not outcome.reliably_deteriorated
        assert depression.reliable_improvement or anxiety.reliable_improvement
    assert not (outcome.reliably_improved and outcome.reliably_deteriorated)
    if outcome.recovered:
        assert outcome.measured
        assert outcome.case_at_baseline
    if depression.reliable_recovery and anxiety.reliable_recovery:
        assert outcome.reliable_recovery
    swapped = joint_outcome(anxiety, depression)
    facts = [
        "measured",
        "case_at_baseline",
        "recovered",
        "reliably_improved",
        "reliably_deteriorated",
        "reliable_recovery",
    ]
    assert [getattr(swapped, f) for f in facts] == [getattr(outcome, f) for f in facts]


def test_the_measures_tab_shows_the_joint_line_the_labelled_flag_and_mcid(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 16, days_ago=14)
    complete_checkin(world.participant, 12, code="GAD-7", days_ago=14)
    complete_checkin(world.participant, 4)
    complete_checkin(world.participant, 9, code="GAD-7")
    url = f"/participants/{world.participant.public_id}/measures/"
    body = client_for(world.clinician).get(url).content.decode()
    assert "Not recovered: GAD-7 still at caseness (9, ≥ 8)" in body
    assert "reliable recovery (this measure alone)" in body
    assert "MCID reached (≥ 5 points)" in body
    complete_checkin(world.participant, 3, code="GAD-7")
    body = client_for(world.clinician).get(url).content.decode()
    assert "Reliable recovery (PHQ-9 + GAD-7)" in body
    assert "MCID reached (≥ 4 points)" in body


def test_the_program_page_flags_joint_recovery_and_labels_the_per_measure_one(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 16, days_ago=14)
    complete_checkin(world.participant, 12, code="GAD-7", days_ago=14)
    complete_checkin(world.participant, 4)
    complete_checkin(world.participant, 3, code="GAD-7")
    body = (
        client_for(world.clinician)
        .get(f"/measures/programs/{world.program.public_id}/")
        .content.decode()
    )
    assert "PHQ-9 reliable recovery (this measure alone)" in body
    assert "reliable recovery (PHQ-9 + GAD-7)" in body


def test_the_scores_api_gives_the_joint_outcome_and_mcid_per_instrument(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    url = f"/api/v1/measures/participants/{world.participant.public_id}/scores"
    complete_checkin(world.participant, 16, days_ago=14)
    assert client.get(url).json()["joint_outcome"]["measured"] is False
    complete_checkin(world.participant, 12, code="GAD-7", days_ago=14)
    complete_checkin(world.participant, 4)
    complete_checkin(world.participant, 3, code="GAD-7")
    data = client.get(url).json()
    assert data["joint_outcome"] == {
        "measured": True,
        "case_at_baseline": True,
        "recovered": True,
        "reliably_improved": True,
        "reliably_deteriorated": False,
        "reliable_recovery": True,
        "label": "Reliable recovery (PHQ-9 + GAD-7)",
    }
    by_code = {c["instrument"]: c for c in data["change"]}
    assert by_code["PHQ-9"]["mcid_reached"] is True
    assert by_code["PHQ-9"]["mcid"] == 5
    assert "reliable recovery (this measure alone)" in by_code["PHQ-9"]["flags"]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "reliable_recovery" in schema["JointOutcomeOut"]["properties"]
    assert schema["JointOutcomeOut"]["properties"]["recovered"]["description"]
