"""Readmission: a returning person gets a new episode and keeps their history; the chart
lists every episode with the current one first, and every role sees the current status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.participants.actions import check_open_episode, do_add_care_team_member
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import ClinicianKind
from trellis.transitions.tests.factory import discharge


def readmit(world: World) -> None:
    """The persona discharged by their therapist a while ago, admitted again today to the
    morning track with a new therapist."""
    discharge(world.clinician, world.participant, on=org_today() - timedelta(days=1),
              handed_to=world.director)  # fmt: skip
    episode = check_open_episode(
        world.intake, world.participant, world.program, track=world.morning,
        status=EpisodeStatus.ACTIVE, admitted_on=org_today(),
    )  # fmt: skip
    do_add_care_team_member(
        None, episode, world.other_clinician, role=ClinicianKind.THERAPIST, is_primary=True,
        start_date=org_today(),
    )  # fmt: skip


def episodes_table(client: Client, world: World) -> str:
    response = client.get(f"/participants/{world.participant.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="episodes"')
    return body[start : body.index("</table>", start)]


@pytest.mark.parametrize("persona", ["director", "front_desk"])
def test_the_chart_lists_every_episode_with_the_current_one_first(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    readmit(world)
    table = episodes_table(client_for(world.personas[persona]), world)
    rows = table.split("<tr")[2:]  # after the header row
    assert len(rows) == 2
    assert "Active" in rows[0]
    assert "current" in rows[0]
    assert "Morning" in rows[0]
    assert "Discharged" in rows[1]


def test_the_old_episode_keeps_its_history(world: World) -> None:
    old = world.participant.episodes.get()
    readmit(world)
    old.refresh_from_db()
    assert old.status == EpisodeStatus.DISCHARGED
    assert [c.status for c in old.status_changes.all()] == ["active", "discharged"]
    assert old.discharge_summary is not None
    assert world.participant.episodes.count() == 2


def test_the_director_sees_the_discharge_reason_of_the_old_episode(
    world: World, client_for: Callable[[User], Client]
) -> None:
    readmit(world)
    table = episodes_table(client_for(world.director), world)
    assert "Treatment completed" in table
