"""The attendance tablet: nobody is present before a session starts, the counter follows each
tap, and the sheet cannot be locked before the session has begun."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling import actions
from trellis.scheduling.models import Attendance, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

Clients = Callable[[User], Client]


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10), minutes=120)
    enroll(series, world.participant)
    return series


def sheet(series: SessionSeries, day: date) -> str:
    return f"/schedule/series/{series.public_id}/{day:%Y-%m-%d}/"


@pytest.fixture
def before_start(world: World) -> Iterator[date]:
    """Five to six in the program's zone, for the 6 pm group of today."""
    day = local_today(world)
    with time_machine.travel(datetime.combine(day, time(17, 55), world.organization.tz)):
        yield day


@pytest.mark.parametrize("status", ["present", "late", "left_early", "absent_unexcused"])
def test_nobody_is_present_or_a_no_show_before_the_session_starts(
    world: World, group: SessionSeries, before_start: date, status: str
) -> None:
    with pytest.raises(ValidationError, match=r"not started yet \(it starts at 6:00 pm"):
        actions.check_record_attendance(
            world.clinician,
            slot(group, before_start),
            world.participant.episodes.get(),
            actions.Mark(status),
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["absent_excused", "cancelled_by_program"])
def test_excused_absences_and_cancellations_may_be_recorded_ahead(
    world: World, group: SessionSeries, before_start: date, status: str
) -> None:
    episode = world.participant.episodes.get()
    actions.check_record_attendance(
        world.clinician, slot(group, before_start), episode, actions.Mark(status)
    )
    # Also for a later day: someone calls on Monday to say they will miss Wednesday.
    later = slot(group, before_start + timedelta(days=2))
    actions.check_record_attendance(world.clinician, later, episode, actions.Mark(status))
    assert Attendance.objects.filter(status=status).count() == 2


def test_the_tablet_and_the_api_refuse_presence_before_the_start(
    world: World, group: SessionSeries, before_start: date, client_for: Clients
) -> None:
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    row = client.post(
        f"{sheet(group, before_start)}{episode.public_id}/mark/",
        {"status": "present"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "has not started yet" in row
    assert 'role="alert"' in row
    page = client.get(sheet(group, before_start)).content.decode()
    assert "Excused absences and cancellations can be recorded before then" in page
    api = client.put(
        f"/api/v1/scheduling/occurrences/{group.public_id}/{before_start:%Y-%m-%d}"
        f"/attendance/{episode.public_id}",
        json.dumps({"status": "present"}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "not started yet" in api.json()["detail"][0]["message"]
    assert not Attendance.objects.exists()


def test_the_sheet_cannot_be_completed_before_the_session_starts(
    world: World, group: SessionSeries, before_start: date, client_for: Clients
) -> None:
    episode = world.participant.episodes.get()
    actions.check_record_attendance(
        world.clinician, slot(group, before_start), episode, actions.Mark("absent_excused")
    )
    with pytest.raises(ValidationError, match="not started yet"):
        actions.check_complete_attendance(world.clinician, slot(group, before_start), [episode])
    assert not slot(group, before_start).locked


def test_the_marked_counter_follows_each_tap(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    page = client.get(sheet(group, day)).content.decode()
    assert re.search(r'id="marked-count"[^>]*>0 of 1 marked<', page)
    marked = client.post(
        f"{sheet(group, day)}{episode.public_id}/mark/",
        {"status": "present"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert re.search(r'id="marked-count" hx-swap-oob="true"[^>]*>1 of 1 marked<', marked)
    undone = client.post(
        f"{sheet(group, day)}{episode.public_id}/undo/", headers={"HX-Request": "true"}
    ).content.decode()
    assert re.search(r'id="marked-count" hx-swap-oob="true"[^>]*>0 of 1 marked<', undone)


def test_the_chosen_status_says_so_in_words_and_a_tick_not_only_colour(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    row = (
        client_for(world.clinician)
        .post(
            f"{sheet(group, day)}{episode.public_id}/mark/",
            {"status": "late", "minutes": "10"},
            headers={"HX-Request": "true"},
        )
        .content.decode()
    )
    chosen = re.findall(r'<button[^>]*class="tap chosen"[^>]*>(.*?)</button>', row, re.S)
    assert len(chosen) == 1
    assert "✓" in chosen[0]
    assert 'aria-pressed="true"' in row
