"""Discharge from the chart: one transaction, every refusal named, nothing dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.meetings.tests.factory import alert
from trellis.participants.models import CareTeamMember, EpisodeStatus
from trellis.scheduling.models import RosterMembership
from trellis.scheduling.tests.factory import daily_group, enroll
from trellis.transitions import actions
from trellis.transitions.models import DischargeSummary
from trellis.worklist.models import AlertKind, AlertStatus, Priority

from .factory import discharge

ClientFor = Callable[[User], Client]


def _url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/discharge/"


def test_therapist_discharges_and_lands_on_a_draft_summary(
    world: World, client_for: ClientFor
) -> None:
    group = daily_group(world)
    enroll(group, world.participant, org_today() - timedelta(days=14))
    client = client_for(world.clinician)
    assert client.get(_url(world)).status_code == 200
    today = org_today()
    response = client.post(_url(world), {"reason": "completed", "discharged_on": today})
    summary = DischargeSummary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/discharge-summaries/{summary.public_id}/"
    episode = world.participant.episodes.get()
    assert episode.status == EpisodeStatus.DISCHARGED
    assert episode.discharged_on == today
    assert episode.status_on(today) == EpisodeStatus.DISCHARGED
    assert not RosterMembership.objects.filter(episode=episode, end_date__isnull=True).exists()
    assert not CareTeamMember.objects.filter(episode=episode, end_date__isnull=True).exists()
    assert not summary.is_signed
    assert summary.aftercare.crisis_steps.startswith("If you are in danger")


def test_the_chart_offers_discharge_to_the_care_team(world: World, client_for: ClientFor) -> None:
    page = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/")
    assert _url(world) in page.content.decode()


def test_a_future_completed_discharge_is_refused_and_nothing_changes(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.clinician).post(
        _url(world),
        {"reason": "completed", "discharged_on": org_today() + timedelta(days=1)},
    )
    assert response.status_code == 422
    assert "cannot be dated in the future" in response.content.decode()
    assert world.participant.episodes.get().is_open
    assert not DischargeSummary.objects.exists()


def test_a_discharge_before_admission_is_refused(world: World, client_for: ClientFor) -> None:
    admitted = world.participant.episodes.get().admitted_on
    assert admitted is not None
    response = client_for(world.clinician).post(
        _url(world), {"reason": "other", "discharged_on": admitted - timedelta(days=1)}
    )
    assert response.status_code == 422
    assert "before admission" in response.content.decode()


def test_reason_is_required(world: World, client_for: ClientFor) -> None:
    response = client_for(world.clinician).post(_url(world), {"discharged_on": org_today()})
    assert response.status_code == 422
    assert world.participant.episodes.get().is_open


def test_dropped_out_proposes_the_last_attended_session(
    world: World, client_for: ClientFor
) -> None:
    from trellis.scheduling import actions as scheduling
    from trellis.scheduling.tests.factory import slot

    group = daily_group(world)
    enroll(group, world.participant, org_today() - timedelta(days=14))
    last = org_today() - timedelta(days=5)
    scheduling.do_record_attendance(
        None, slot(group, last), world.participant.episodes.get(), scheduling.Mark("present")
    )
    client = client_for(world.clinician)
    page = client.get(_url(world) + "?reason=dropped_out").content.decode()
    assert f'value="{last:%Y-%m-%d}"' in page
    client.post(_url(world), {"reason": "dropped_out", "discharged_on": ""})
    assert world.participant.episodes.get().discharged_on == last


def test_double_discharge_is_refused(world: World) -> None:
    summary = discharge(world.clinician, world.participant)
    with pytest.raises(ValidationError) as refused:
        actions.check_discharge_episode(
            world.clinician,
            summary.episode,
            discharged_on=org_today(),
            reason="completed",
            decisions=[],
        )
    assert "already discharged" in str(refused.value)
    assert DischargeSummary.objects.count() == 1


def test_a_discharged_episode_has_no_discharge_page(world: World, client_for: ClientFor) -> None:
    discharge(world.clinician, world.participant)
    assert client_for(world.director).get(_url(world)).status_code == 404


@pytest.mark.parametrize("who", ["other_clinician", "front_desk", "outsider", "participant_user"])
def test_people_outside_the_care_team_get_404_and_a_deny_event(
    world: World, client_for: ClientFor, who: str
) -> None:
    user = getattr(world, who)
    response = client_for(user).post(
        _url(world), {"reason": "completed", "discharged_on": org_today()}
    )
    assert response.status_code in {403, 404}
    assert world.participant.episodes.get().is_open
    if who != "participant_user":  # the participant is not staff: 403 before any lookup
        assert Event.objects.filter(actor=user, action="deny").exists()


def test_the_director_may_discharge(world: World, client_for: ClientFor) -> None:
    response = client_for(world.director).post(
        _url(world), {"reason": "transferred", "discharged_on": org_today()}
    )
    assert response.status_code == 302


def test_every_open_item_needs_a_decision(world: World, client_for: ClientFor) -> None:
    task = alert(world.participant, AlertKind.TASK, Priority.NORMAL)
    client = client_for(world.clinician)
    response = client.post(_url(world), {"reason": "completed", "discharged_on": org_today()})
    assert response.status_code == 422
    assert "Decide what happens" in response.content.decode()
    assert world.participant.episodes.get().is_open
    response = client.post(
        _url(world),
        {"reason": "completed", "discharged_on": org_today(), f"item_{task.public_id}": "close"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED


def test_a_clinical_alert_is_handed_on_not_ticked_closed(
    world: World, client_for: ClientFor
) -> None:
    risk = alert(world.participant, AlertKind.CRITICAL_ITEM, Priority.URGENT)
    client = client_for(world.clinician)
    response = client.post(
        _url(world),
        {"reason": "completed", "discharged_on": org_today(), f"item_{risk.public_id}": "close"},
    )
    assert response.status_code == 422
    response = client.post(
        _url(world),
        {
            "reason": "completed",
            "discharged_on": org_today(),
            f"item_{risk.public_id}": str(world.director.public_id),
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.is_open
    assert risk.owner == world.director


@pytest.mark.parametrize(
    "step",
    [
        "trellis.transitions.actions.do_end_rosters_at_discharge",
        "trellis.transitions.actions.do_discharge",
        "trellis.transitions.actions.do_complete_task",
    ],
)
def test_a_failure_in_any_step_leaves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    group = daily_group(world)
    enroll(group, world.participant, org_today() - timedelta(days=14))
    task = alert(world.participant, AlertKind.TASK, Priority.NORMAL)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(step, fail)
    events_before = Event.objects.count()
    with pytest.raises(RuntimeError):
        discharge(world.clinician, world.participant)
    episode = world.participant.episodes.get()
    assert episode.is_open
    assert episode.status_changes.filter(status=EpisodeStatus.DISCHARGED).count() == 0
    assert RosterMembership.objects.filter(episode=episode, end_date__isnull=True).exists()
    assert CareTeamMember.objects.filter(episode=episode, end_date__isnull=True).exists()
    task.refresh_from_db()
    assert task.is_open
    assert not DischargeSummary.objects.exists()
    assert Event.objects.count() == events_before


def test_discharge_page_queries_do_not_grow_with_open_items(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    client = client_for(world.clinician)
    alert(world.participant, AlertKind.TASK, Priority.NORMAL)
    client.get(_url(world))  # the first request of a session does more (session, grants)
    with count_queries() as small:
        assert client.get(_url(world)).status_code == 200
    for kind in (AlertKind.NOT_ON_TRACK, AlertKind.MISSED_CHECKINS, AlertKind.PLAN_REVIEW_DUE):
        alert(world.participant, kind)
    with count_queries() as large:
        assert client.get(_url(world)).status_code == 200
    assert large.count == small.count


def test_items_are_handed_to_a_director_not_the_departing_care_team(world: World) -> None:
    task = alert(world.participant, AlertKind.TASK, Priority.NORMAL)
    episode = world.participant.episodes.get()
    with pytest.raises(ValidationError) as refused:
        actions.check_discharge_episode(
            world.clinician,
            episode,
            discharged_on=org_today(),
            reason="completed",
            decisions=[actions.ItemDecision(task, close=False, owner=world.clinician)],
        )
    assert "program director" in str(refused.value)
    assert world.participant.episodes.get().is_open
