"""The attendance dashboard: the attended total is judged on attended hours, and a past
session nobody marked reads differently from a day still to come."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.scheduling import actions, recurrence
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, slot

Clients = Callable[[User], Client]


@pytest.fixture
def wednesday(world: World) -> Iterator[date]:
    """Noon on the Wednesday of next week, in the program's zone."""
    monday = recurrence.iso_week_start(org_today()) + timedelta(days=7)
    day = monday + timedelta(days=2)
    with time_machine.travel(datetime.combine(day, time(12, 0), world.organization.tz)):
        yield day


@pytest.fixture
def group(world: World, wednesday: date) -> SessionSeries:
    """Two hours at 10 am every day of the week: 14 hours scheduled, against a 9-hour minimum."""
    series = daily_group(world, dtstart=wednesday - timedelta(days=2), at=time(10, 0), minutes=120)
    enroll(series, world.participant)
    episode = world.participant.episodes.get()
    for day in (wednesday - timedelta(days=2), wednesday):  # Monday and Wednesday; Tuesday unmarked
        actions.do_record_attendance(None, slot(series, day), episode, actions.Mark("present"))
    return series


def dashboard_row(client: Client, world: World, wednesday: date) -> str:
    week = recurrence.iso_week_label(recurrence.iso_week_start(wednesday))
    page = client.get(
        f"/schedule/programs/{world.program.public_id}/attendance/", {"week": week}
    ).content.decode()
    found = re.search(r"<tr>\s*<th scope=\"row\">.*?Patricia Quillfeather.*?</tr>", page, re.S)
    assert found, page
    return found.group(0)


def cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>.*?</td>", row, re.S)


def test_the_attended_total_is_coloured_by_attended_hours_not_projected(
    world: World, group: SessionSeries, wednesday: date, client_for: Clients
) -> None:
    row = dashboard_row(client_for(world.director), world, wednesday)
    attended, _scheduled, projected = cells(row)[7:10]
    # 4 h attended of a 9 h minimum, 12 h projected (the rest of the week still to come).
    assert ">4.0<" in attended
    assert 'class="band-below"' in attended
    assert "below minimum" in attended
    assert ">12.0" in projected
    assert 'class="band-within"' in projected


def test_an_unmarked_past_session_reads_differently_from_a_day_to_come(
    world: World, group: SessionSeries, wednesday: date, client_for: Clients
) -> None:
    days = cells(dashboard_row(client_for(world.front_desk), world, wednesday))[:7]
    monday, tuesday, wednesday_cell, thursday = days[:4]
    assert "2.0" in monday
    assert "Not marked" in tuesday
    assert "2.0" in wednesday_cell
    assert "Not marked" not in thursday
    assert "Upcoming" in thursday
    assert 'class="day-unmarked"' in tuesday
