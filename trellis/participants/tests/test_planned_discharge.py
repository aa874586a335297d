"""The care team records when it plans to discharge; bad dates are refused by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import Episode


def url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/planned-discharge/"


def test_primary_clinician_sets_and_clears_the_date(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    day = org_today() + timedelta(days=10)
    response = client.post(url(world), {"planned_discharge_on": day.isoformat()})
    assert response.status_code == 302
    episode = Episode.objects.get(participant=world.participant)
    assert episode.planned_discharge_on == day
    assert Event.objects.filter(
        actor=world.clinician, action=Action.UPDATE, object_id=str(episode.public_id)
    ).exists()
    chart = client.get(f"/participants/{world.participant.public_id}/").content.decode()
    assert day.isoformat() in chart
    client.post(url(world), {"planned_discharge_on": ""})
    episode.refresh_from_db()
    assert episode.planned_discharge_on is None


@pytest.mark.parametrize(
    ("days", "message"),
    [(-3, "That date has passed"), (-400, "before the admission")],
)
def test_bad_dates_are_refused_and_nothing_changes(
    world: World, client_for: Callable[[User], Client], days: int, message: str
) -> None:
    client = client_for(world.clinician)
    day = org_today() + timedelta(days=days)
    response = client.post(url(world), {"planned_discharge_on": day.isoformat()}, follow=True)
    assert message in response.content.decode()
    assert Episode.objects.get(participant=world.participant).planned_discharge_on is None


@pytest.mark.parametrize("persona", ["front_desk", "other_clinician", "outsider", "compliance"])
def test_others_cannot_set_it(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    day = org_today() + timedelta(days=10)
    response = client_for(world.personas[persona]).post(
        url(world), {"planned_discharge_on": day.isoformat()}
    )
    assert response.status_code == 404
    assert Episode.objects.get(participant=world.participant).planned_discharge_on is None
