"""Reliable deterioration and not-on-track alerts make the plan's review due."""

from __future__ import annotations

import pytest

from tests.personas import PASSWORD, World, org_today
from trellis.lib import periodic
from trellis.plans.models import TreatmentPlan
from trellis.plans.sweeps import do_request_reviews_from_alerts
from trellis.plans.tests.factory import signed_plan
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import AlertKind, Priority


def raise_alert(world: World, kind: str) -> None:
    do_raise_alert(
        None,
        participant=world.participant,
        episode=world.participant.episodes.get(),
        kind=kind,
        priority=Priority.HIGH,
        title="PHQ-9: change",
        source="test",
        dedupe_key=f"test:{kind}",
    )


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (AlertKind.RELIABLE_DETERIORATION, "reliable deterioration"),
        (AlertKind.NOT_ON_TRACK, "not on track"),
    ],
)
def test_a_trigger_alert_makes_the_review_due_once(world: World, kind: str, reason: str) -> None:
    episode = world.participant.episodes.get()
    signed_plan(world.clinician, episode, PASSWORD)
    raise_alert(world, kind)
    assert do_request_reviews_from_alerts() == 1
    plan = TreatmentPlan.objects.get(episode=episode)
    assert plan.review_reason == reason
    assert plan.review_is_due(org_today())
    assert do_request_reviews_from_alerts() == 0


def test_other_alerts_and_people_without_a_plan_are_left_alone(world: World) -> None:
    raise_alert(world, AlertKind.NOT_ON_TRACK)
    assert do_request_reviews_from_alerts() == 0  # no plan yet: the plan is due anyway
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    raise_alert(world, AlertKind.CRITICAL_ITEM)
    assert do_request_reviews_from_alerts() == 1  # only the not-on-track alert counts


def test_the_sweep_runs_from_the_clock() -> None:
    assert "plans.review_triggers" in {job.name for job in periodic.registered()}
