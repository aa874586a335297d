"""Alerts: raising once, acknowledgement and its time, documented follow-up, escalation to the
director after TRELLIS_ALERT_ESCALATION_MINUTES, and who may open an alert."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.worklist.actions import (
    check_document_follow_up,
    do_acknowledge_alert,
    do_escalate_overdue_alerts,
    do_raise_alert,
)
from trellis.worklist.models import Alert, AlertKind, AlertStatus, Priority, RecipientReason
from trellis.worklist.tasks import escalate_alerts


def urgent(world: World, key: str = "k1", minutes_ago: int = 0) -> Alert:
    return do_raise_alert(
        None,
        participant=world.participant,
        episode=world.participant.episodes.get(),
        kind=AlertKind.CRITICAL_ITEM,
        priority=Priority.URGENT,
        title="PHQ-9: item 9 answered above 0",
        source="test",
        dedupe_key=key,
        notify_on_call=True,
        now=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_raising_the_same_alert_twice_stores_one(world: World) -> None:
    assert urgent(world).pk == urgent(world).pk
    assert Alert.objects.count() == 1
    assert Event.objects.filter(object_type="worklist.alert", action="create").count() == 1


def test_acknowledgement_records_the_time_to_acknowledge_once(world: World) -> None:
    alert = urgent(world, minutes_ago=30)
    acknowledged = do_acknowledge_alert(world.clinician, alert)
    assert acknowledged.status == AlertStatus.ACKNOWLEDGED
    assert acknowledged.minutes_to_acknowledge == 30
    again = do_acknowledge_alert(world.director, alert)
    assert again.acknowledged_by == world.clinician


def test_a_critical_alert_resolves_only_with_documented_clinical_follow_up(world: World) -> None:
    alert = urgent(world)
    with pytest.raises(ValidationError, match="risk assessment"):
        check_document_follow_up(
            world.clinician,
            alert,
            risk_assessment_done=False,
            safety_plan_reviewed=False,
            referred_higher_level=False,
            note="Called, all fine",
        )
    resolved = check_document_follow_up(
        world.clinician,
        alert,
        risk_assessment_done=True,
        safety_plan_reviewed=True,
        referred_higher_level=False,
        note="",
    )
    assert resolved.status == AlertStatus.RESOLVED
    assert resolved.acknowledged_at is not None
    with pytest.raises(ValidationError, match="already resolved"):
        check_document_follow_up(
            world.clinician,
            resolved,
            risk_assessment_done=True,
            safety_plan_reviewed=False,
            referred_higher_level=False,
            note="",
        )


@override_settings(TRELLIS_ALERT_ESCALATION_MINUTES=120)
def test_unacknowledged_urgent_alerts_escalate_to_the_director_once(world: World) -> None:
    # Someone is on call, so the director hears only on escalation (with nobody on call the
    # director receives urgent alerts from the start: test_alert_page.py).
    from trellis.worklist.actions import do_set_on_call

    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=5),
        ends_at=now + timedelta(hours=5),
    )
    fresh = urgent(world, key="fresh", minutes_ago=119)
    old = urgent(world, key="old", minutes_ago=121)
    acknowledged = urgent(world, key="acked", minutes_ago=200)
    do_acknowledge_alert(world.clinician, acknowledged)
    escalate_alerts.enqueue()  # the periodic task (immediate backend in tests)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.escalated_at is not None
    assert fresh.escalated_at is None
    assert old.recipients.filter(user=world.director, reason=RecipientReason.ESCALATION).exists()
    assert not acknowledged.recipients.filter(user=world.director).exists()
    # A second sweep (or the same sweep after a worker restart) changes nothing.
    assert do_escalate_overdue_alerts() == 0
    assert old.recipients.filter(user=world.director).count() == 1


@override_settings(TRELLIS_ALERT_ESCALATION_MINUTES=10)
def test_the_escalation_delay_is_configurable(world: World) -> None:
    alert = urgent(world, minutes_ago=11)
    assert do_escalate_overdue_alerts() == 1
    alert.refresh_from_db()
    assert alert.escalated_at is not None


def test_an_alert_with_no_primary_clinician_goes_to_the_director_at_once(world: World) -> None:
    from tests.personas import make_participant

    lonely = make_participant(
        world.organization, "MRN-3001", "Lee", "Nobody", program=world.program, track=world.evening
    )
    alert = do_raise_alert(
        None,
        participant=lonely,
        episode=lonely.episodes.get(),
        kind=AlertKind.CRITICAL_ITEM,
        priority=Priority.URGENT,
        title="t",
        source="test",
        dedupe_key="lonely",
    )
    assert [r.user for r in alert.recipients.all()] == [world.director]


def test_alert_pages_for_the_clinician_and_404_for_others(
    world: World, client_for: Callable[[User], Client]
) -> None:
    alert = urgent(world)
    url = f"/worklist/{alert.public_id}/"
    clinician = client_for(world.clinician)
    assert clinician.get("/worklist/").status_code == 200
    assert clinician.get(url).status_code == 200
    assert client_for(world.director).get(url).status_code == 200
    for persona in (world.other_clinician, world.outsider, world.front_desk, world.compliance):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_for(world.participant_user).get(url).status_code in {403, 404}
    assert clinician.post(f"{url}acknowledge/").status_code == 302
    bad = clinician.post(f"{url}follow-up/", {"note": "x"})
    assert bad.status_code == 422
    ok = clinician.post(f"{url}follow-up/", {"risk_assessment_done": "on", "note": "Seen today"})
    assert ok.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.follow_up_note == "Seen today"


def test_the_on_call_recipient_may_open_the_alert_without_being_on_the_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from trellis.worklist.actions import do_set_on_call

    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    alert = urgent(world)
    assert client_for(world.other_clinician).get(f"/worklist/{alert.public_id}/").status_code == 200
    assert Event.objects.filter(object_id=str(alert.public_id), role="alert_recipient").exists()


def test_my_work_api(world: World, client_for: Callable[[User], Client]) -> None:
    alert = urgent(world)
    client = client_for(world.clinician)
    listed = client.get("/api/v1/worklist/alerts")
    assert listed.status_code == 200
    assert [a["public_id"] for a in listed.json()] == [str(alert.public_id)]
    assert (
        client_for(world.outsider).get(f"/api/v1/worklist/alerts/{alert.public_id}").status_code
        == 404
    )
