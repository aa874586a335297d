"""The level-of-care rules (each one), the decision (accept, override with a rationale), and
the rules page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.personas import World
from trellis.accounts.models import User
from trellis.intake.actions import check_decide_level_of_care, check_save_rules
from trellis.intake.models import (
    Inquiry,
    InquiryStatus,
    Level,
    LevelOfCareDecision,
    LevelOfCareRule,
)
from trellis.intake.queries import program_rules, screening_facts, screening_view
from trellis.intake.rules import (
    DEFAULT_RULES,
    RISK_ACUTE,
    RISK_NEGATIVE,
    RISK_POSITIVE,
    Facts,
    Recommendation,
    Rule,
    ScoreFact,
    TrackHours,
    recommend,
)
from trellis.intake.tests.screening_helpers import complete, screened_inquiry

EVENING = TrackHours(2, "Evening", time(17, 30), time(20, 30), (0, 2, 4))
MORNING = TrackHours(1, "Morning", time(9, 0), time(12, 0), (0, 1, 2, 3))


def facts(**changes: object) -> Facts:
    base: dict[str, object] = {
        "scores": {"PHQ-9": ScoreFact(4, "Minimal"), "GAD-7": ScoreFact(3, "Minimal"),
                   "AUDIT-C": ScoreFact(1, "Negative screen")},
        "risk": RISK_NEGATIVE,
        "age": 30,
        "population": "adult",
        "preferred_schedule": "evening",
        "tracks": (MORNING, EVENING),
    }  # fmt: skip
    return Facts(**(base | changes))  # type: ignore[arg-type]  # test data by keyword  # test data by keyword


def with_score(code: str, total: int, band: str = "") -> Facts:
    scores = dict(facts().scores)
    scores[code] = ScoreFact(total, band)
    return facts(scores=scores)


def test_an_acute_risk_screen_proposes_emergency_evaluation_first() -> None:
    result = recommend(DEFAULT_RULES, facts(risk=RISK_ACUTE, age=15))
    assert result.level == Level.INPATIENT
    assert any("ACUTE" in r for r in result.reasons)


def test_an_age_outside_the_population_is_referred() -> None:
    assert recommend(DEFAULT_RULES, facts(age=16)).level == Level.REFER
    assert recommend(DEFAULT_RULES, facts(age=19, population="adolescent")).level == Level.REFER


def test_severe_depression_proposes_partial_hospitalization() -> None:
    assert recommend(DEFAULT_RULES, with_score("PHQ-9", 22, "Severe")).level == Level.PARTIAL


def test_moderate_depression_proposes_iop_with_the_track_that_fits_the_schedule() -> None:
    result = recommend(DEFAULT_RULES, with_score("PHQ-9", 18, "Moderately severe"))
    assert (result.level, result.track_name) == (Level.INTENSIVE_OUTPATIENT, "Evening")
    assert "PHQ-9 18 (moderately severe)" in result.reasons[0]
    assert "evening schedule fits the Evening track" in result.reasons


def test_anxiety_alone_proposes_iop() -> None:
    assert recommend(DEFAULT_RULES, with_score("GAD-7", 12)).level == Level.INTENSIVE_OUTPATIENT


def test_a_positive_alcohol_screen_proposes_iop() -> None:
    assert recommend(DEFAULT_RULES, with_score("AUDIT-C", 5)).level == Level.INTENSIVE_OUTPATIENT


def test_a_non_acute_positive_risk_screen_with_low_scores_proposes_iop() -> None:
    result = recommend(DEFAULT_RULES, facts(risk=RISK_POSITIVE))
    assert result.level == Level.INTENSIVE_OUTPATIENT
    assert "risk screen POSITIVE (non-acute)" in result.reasons[0]


def test_mild_symptoms_propose_outpatient() -> None:
    assert recommend(DEFAULT_RULES, facts()).level == Level.OUTPATIENT


def test_no_track_fitting_the_schedule_is_said_and_a_rule_can_act_on_it() -> None:
    day_only = facts(scores={"PHQ-9": ScoreFact(12, "Moderate")}, tracks=(MORNING,))
    result = recommend(DEFAULT_RULES, day_only)
    assert result.track_id is None
    assert "no track fits an evening schedule" in result.reasons
    rules = [Rule("no_track_fits", Level.REFER, reason="No track fits: refer"), *DEFAULT_RULES]
    assert recommend(rules, day_only).level == Level.REFER


def test_a_weekend_preference_matches_a_track_meeting_on_saturdays() -> None:
    weekend = TrackHours(3, "Weekend", time(9, 0), time(13, 0), (5,))
    result = recommend(
        DEFAULT_RULES,
        facts(scores={"PHQ-9": ScoreFact(12, "")}, preferred_schedule="weekend",
              tracks=(MORNING, weekend)),
    )  # fmt: skip
    assert result.track_name == "Weekend"


def test_rules_are_ordered_first_match_wins() -> None:
    rules = [Rule("always", Level.RESIDENTIAL, reason="everyone"), *DEFAULT_RULES]
    assert recommend(rules, facts(risk=RISK_ACUTE)).level == Level.RESIDENTIAL


# --- rules stored per program --------------------------------------------------------------


@pytest.mark.django_db
def test_a_program_uses_the_defaults_until_its_director_saves_rules(world: World) -> None:
    rules, own = program_rules(world.program)
    assert (rules, own) == (list(DEFAULT_RULES), False)
    check_save_rules(world.director, world.program, [Rule("always", Level.OUTPATIENT)])
    assert program_rules(world.program) == ([Rule("always", Level.OUTPATIENT)], True)


@pytest.mark.django_db
def test_a_score_rule_without_an_instrument_is_refused_and_the_old_rules_stay(
    world: World,
) -> None:
    check_save_rules(world.director, world.program, list(DEFAULT_RULES))
    with pytest.raises(ValidationError) as error:
        check_save_rules(world.director, world.program, [Rule("score_at_least", Level.PARTIAL)])
    assert "rule-1" in error.value.message_dict
    assert LevelOfCareRule.objects.filter(program=world.program).count() == len(DEFAULT_RULES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("director", 200), ("intake", 404), ("clinician", 404), ("front_desk", 404)],
)
def test_only_the_programs_director_edits_its_rules(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    url = reverse("intake:rules", kwargs={"program_id": world.program.public_id})
    assert client_for(getattr(world, persona)).get(url).status_code == status


@pytest.mark.django_db
def test_the_director_saves_rules_on_the_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = reverse("intake:rules", kwargs={"program_id": world.program.public_id})
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-condition": "score_at_least", "form-0-instrument": "PHQ-9",
            "form-0-threshold": "15", "form-0-level": "partial", "form-0-reason": "Severe",
            "form-1-condition": "always", "form-1-level": "iop"}  # fmt: skip
    response = client_for(world.director).post(url, data)
    assert response.status_code == 302
    assert [r.level for r in program_rules(world.program)[0]] == ["partial", "iop"]


# --- the decision --------------------------------------------------------------------------


def _waiting(world: World, phq9: int = 2) -> tuple[Inquiry, Recommendation]:
    inquiry, screening, _ = screened_inquiry(world, preferred_schedule="evening")
    complete(screening, phq9=phq9)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    view = screening_view(inquiry)
    return inquiry, recommend(program_rules(world.program)[0], screening_facts(inquiry, view))


@pytest.mark.django_db
def test_accepting_iop_keeps_the_inquiry_waiting_for_admission_with_the_track(
    world: World,
) -> None:
    world.evening.day_starts_at = time(17, 30)
    world.evening.save()
    inquiry, recommendation = _waiting(world, phq9=2)
    decision = check_decide_level_of_care(world.clinician, inquiry, recommendation, accept=True)
    assert (decision.level, decision.track, decision.accepted) == (
        Level.INTENSIVE_OUTPATIENT, world.evening, True,
    )  # fmt: skip
    assert decision.recommendation["level"] == Level.INTENSIVE_OUTPATIENT
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION


@pytest.mark.django_db
def test_an_override_needs_a_rationale_and_keeps_both(world: World) -> None:
    inquiry, recommendation = _waiting(world, phq9=2)
    with pytest.raises(ValidationError) as error:
        check_decide_level_of_care(
            world.clinician, inquiry, recommendation, accept=False,
            level=Level.PARTIAL, destination="Riverside PHP",
        )  # fmt: skip
    assert "rationale" in error.value.message_dict
    assert not LevelOfCareDecision.objects.exists()
    decision = check_decide_level_of_care(
        world.clinician, inquiry, recommendation, accept=False,
        level=Level.PARTIAL, rationale="Daily support needed", destination="Riverside PHP",
    )  # fmt: skip
    assert (decision.recommended_level, decision.level) == (
        Level.INTENSIVE_OUTPATIENT,
        Level.PARTIAL,
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REFERRED


@pytest.mark.django_db
def test_accepting_a_referral_needs_a_destination_and_moves_to_referred(world: World) -> None:
    inquiry, recommendation = _waiting(world, phq9=3)  # PHQ-9 27: partial hospitalization
    assert recommendation.level == Level.PARTIAL
    with pytest.raises(ValidationError) as error:
        check_decide_level_of_care(world.clinician, inquiry, recommendation, accept=True)
    assert "destination" in error.value.message_dict
    check_decide_level_of_care(
        world.clinician,
        inquiry,
        recommendation,
        accept=True,
        destination="Lakeside PHP",
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REFERRED


@pytest.mark.django_db
def test_an_intake_coordinator_sees_the_recommendation_but_cannot_decide(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, _ = _waiting(world)
    kwargs = {"inquiry_id": inquiry.public_id}
    client = client_for(world.intake)
    page = client.get(reverse("intake:screening", kwargs=kwargs)).content.decode()
    assert "Recommended level of care" in page
    assert "Record the decision" not in page
    client.post(reverse("intake:decide", kwargs=kwargs), {"choice": "accept"})
    assert not LevelOfCareDecision.objects.exists()


@pytest.mark.django_db
def test_a_clinician_accepts_on_the_page_and_the_decision_is_shown(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, _ = _waiting(world)
    kwargs = {"inquiry_id": inquiry.public_id}
    client = client_for(world.clinician)
    assert (
        "Record the decision"
        in client.get(reverse("intake:screening", kwargs=kwargs)).content.decode()
    )
    response = client.post(reverse("intake:decide", kwargs=kwargs), {"choice": "accept"})
    assert response.status_code == 302
    page = client.get(reverse("intake:screening", kwargs=kwargs)).content.decode()
    assert "Accepted" in page
    assert "Casey Clinician" in page
    refused = client.post(
        reverse("intake:decide", kwargs=kwargs), {"choice": "override", "level": "partial"}
    )
    assert refused.status_code in (302, 422)
    assert LevelOfCareDecision.objects.count() == 1
