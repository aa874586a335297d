"""Pages and endpoints that show many people name each of them in the audit trail: the
take-attendance sheet, the series roster, the attendance dashboard (issue: a "who viewed
this person's record" report must find them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.listed import listed
from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today

Clients = Callable[[User], Client]


@pytest.fixture
def group(world: World) -> SessionSeries:
    """A daily group with two people on its roster."""
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    enroll(series, world.other_participant)
    return series


def test_the_attendance_sheet_names_everyone_on_it(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    page = client_for(world.director).get(f"/schedule/series/{group.public_id}/{day:%Y-%m-%d}/")
    assert page.status_code == 200
    assert listed(world.director, "scheduling.occurrence") == {
        world.participant,
        world.other_participant,
    }


def test_the_attendance_api_names_everyone_it_returns(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    url = f"/api/v1/scheduling/occurrences/{group.public_id}/{day:%Y-%m-%d}/attendance"
    assert client_for(world.director).get(url).status_code == 200
    assert listed(world.director, "scheduling.occurrence") == {
        world.participant,
        world.other_participant,
    }


def test_the_series_roster_names_everyone_on_it(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    assert client_for(world.director).get(f"/schedule/series/{group.public_id}/").status_code == 200
    assert listed(world.director, "scheduling.roster") == {
        world.participant,
        world.other_participant,
    }


def test_the_attendance_dashboard_names_each_row(world: World, client_for: Clients) -> None:
    url = f"/schedule/programs/{world.program.public_id}/attendance/"
    assert client_for(world.director).get(url).status_code == 200
    assert listed(world.director, "scheduling.attendance") == {
        world.participant,
        world.other_participant,
    }
    # A clinician's dashboard shows their care team only, and names only them.
    assert client_for(world.clinician).get(url).status_code == 200
    assert listed(world.clinician, "scheduling.attendance") == {world.participant}
