"""Each agenda rule: the item appears with its reason when the condition holds, and not
otherwise. Conditions are built through the owning apps' actions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.personas import PASSWORD, World
from trellis.meetings.models import AgendaRule
from trellis.meetings.queries import AgendaEntry, agenda_for
from trellis.participants.actions import check_set_planned_discharge
from trellis.participants.models import Participant
from trellis.plans.actions import do_request_plan_review
from trellis.plans.tests.factory import complete_content, draft_with, signed_plan
from trellis.scheduling import actions as scheduling
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot
from trellis.worklist.actions import do_document_follow_up
from trellis.worklist.models import AlertKind, Priority

from .factory import alert


def items(world: World, participant: Participant, rule: str) -> list[AgendaEntry]:
    return [
        e
        for e in agenda_for(world.program)
        if e.participant.pk == participant.pk and e.rule == rule
    ]


def test_open_urgent_alert(world: World) -> None:
    assert items(world, world.participant, AgendaRule.URGENT_ALERT) == []
    raised = alert(world.participant, AlertKind.CRITICAL_ITEM, Priority.URGENT)
    [entry] = items(world, world.participant, AgendaRule.URGENT_ALERT)
    assert "critical item" in entry.reason
    assert entry.evidence_url == f"/worklist/{raised.public_id}/"
    do_document_follow_up(
        world.clinician,
        raised,
        risk_assessment_done=True,
        safety_plan_reviewed=False,
        referred_higher_level=False,
        note="",
    )
    assert items(world, world.participant, AgendaRule.URGENT_ALERT) == []


def test_reliable_deterioration(world: World) -> None:
    assert items(world, world.participant, AgendaRule.DETERIORATION) == []
    alert(world.participant, AlertKind.RELIABLE_DETERIORATION)
    [entry] = items(world, world.participant, AgendaRule.DETERIORATION)
    assert "reliable deterioration" in entry.reason
    assert entry.evidence_url.endswith("/measures/")
    assert items(world, world.other_participant, AgendaRule.DETERIORATION) == []


def test_not_on_track(world: World) -> None:
    assert items(world, world.participant, AgendaRule.NOT_ON_TRACK) == []
    alert(world.participant, AlertKind.NOT_ON_TRACK, Priority.NORMAL)
    [entry] = items(world, world.participant, AgendaRule.NOT_ON_TRACK)
    assert "not on track" in entry.reason


def test_hours_below_the_minimum_last_week(world: World) -> None:
    # Nobody attended anything last week: below the program's 9 hours.
    [entry] = items(world, world.participant, AgendaRule.BELOW_MINIMUM)
    assert "Below minimum last week (0.0 h)" in entry.reason
    # A payer's rule of 0 hours a week: not below anything.
    episode = world.participant.episodes.get()
    scheduling.do_set_hours_override(None, episode, Decimal(0), Decimal(19), "payer")
    assert items(world, world.participant, AgendaRule.BELOW_MINIMUM) == []


def test_two_or_more_unexcused_absences(world: World) -> None:
    group = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(group, world.participant)
    episode = world.participant.episodes.get()
    day = local_today(world) - timedelta(days=1)
    unexcused = scheduling.Mark("absent_unexcused")
    scheduling.do_record_attendance(None, slot(group, day), episode, unexcused)
    assert items(world, world.participant, AgendaRule.UNEXCUSED) == []  # one is not two
    earlier = day - timedelta(days=1)
    scheduling.do_record_attendance(None, slot(group, earlier), episode, unexcused)
    [entry] = items(world, world.participant, AgendaRule.UNEXCUSED)
    assert entry.reason == "2 unexcused absences in the last 14 days"
    assert entry.evidence_url.endswith("/schedule/")


def test_plan_review_due_within_seven_days(world: World) -> None:
    episode = world.participant.episodes.get()
    signed_plan(world.clinician, episode, PASSWORD)  # next review in 30 days
    assert items(world, world.participant, AgendaRule.REVIEW_DUE) == []
    do_request_plan_review(episode, "reliable deterioration")
    [entry] = items(world, world.participant, AgendaRule.REVIEW_DUE)
    assert entry.reason.startswith("Plan review due")
    assert "(reliable deterioration)" in entry.reason
    assert entry.evidence_url.endswith("/plan/")


def test_unsigned_plan(world: World) -> None:
    episode = world.participant.episodes.get()
    [entry] = items(world, world.participant, AgendaRule.UNSIGNED_PLAN)
    assert entry.reason.startswith("No treatment plan yet")
    draft_with(world.clinician, episode, complete_content(world.clinician))
    [entry] = items(world, world.participant, AgendaRule.UNSIGNED_PLAN)
    assert entry.reason.startswith("Plan drafted, not signed")


def test_signed_plan_is_not_unsigned(world: World) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    assert items(world, world.participant, AgendaRule.UNSIGNED_PLAN) == []


def test_discharged_and_other_programs_are_never_on_the_agenda(world: World) -> None:
    alert(world.sud_participant, AlertKind.RELIABLE_DETERIORATION)
    assert all(e.participant.pk != world.sud_participant.pk for e in agenda_for(world.program))


def test_discharge_planned_within_seven_days(world: World) -> None:
    episode = world.participant.episodes.get()
    assert items(world, world.participant, AgendaRule.DISCHARGE_PLANNED) == []
    today = local_today(world)
    check_set_planned_discharge(world.clinician, episode, today + timedelta(days=12))
    assert items(world, world.participant, AgendaRule.DISCHARGE_PLANNED) == []
    check_set_planned_discharge(world.clinician, episode, today + timedelta(days=5))
    [entry] = items(world, world.participant, AgendaRule.DISCHARGE_PLANNED)
    assert "Discharge planned" in entry.reason
    assert entry.evidence_url == f"/participants/{world.participant.public_id}/"
