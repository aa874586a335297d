"""Telehealth links are https only, at every way in, and nothing else reaches a feed or a page."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling import actions
from trellis.scheduling.models import Mode, SessionSeries, is_https_link
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot
from trellis.scheduling.tests.test_api import API, series_body

BAD_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://video.example.test/room",
    "https://",
    "https://video.example.test/a b",
    "https://video.example.test/\x00",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_the_api_refuses_a_telehealth_link_that_is_not_https(
    world: World, client_for: Callable[[User], Client], link: str
) -> None:
    body = series_body(world, mode="telehealth", room=None, telehealth_url=link)
    response = client_for(world.director).post(
        f"{API}/series", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert "telehealth_url" in [e["field"] for e in response.json()["detail"]]
    assert not SessionSeries.objects.exists()


def test_an_https_link_is_accepted(world: World, client_for: Callable[[User], Client]) -> None:
    body = series_body(
        world, mode="telehealth", room=None, telehealth_url="https://video.example.test/r/1"
    )
    response = client_for(world.director).post(
        f"{API}/series", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_moving_one_session_to_telehealth_refuses_a_script_link(world: World) -> None:
    group = daily_group(world, dtstart=local_today(world))
    day = local_today(world) + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        actions.check_reschedule_occurrence(
            world.director, slot(group, day), new_date=day, start_time=time(18, 0),
            duration_minutes=90, mode=Mode.TELEHEALTH, room=None,
            telehealth_url="javascript:alert(1)",
        )  # fmt: skip
    assert "telehealth_url" in refused.value.message_dict


def test_a_stored_script_link_never_reaches_a_feed_or_a_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """A row written before links were checked (do_* skips the check) stays harmless."""
    start = local_today(world)
    series = actions.do_create_series(
        world.director,
        world.evening,
        actions.SeriesData(
            name="Process group", start_time=time(18, 0), duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=start, capacity=10,
            mode=Mode.TELEHEALTH, telehealth_url="javascript:alert(1)",
            facilitators=[world.clinician],
        ),
    )  # fmt: skip
    enroll(series, world.participant, start)
    _, token = actions.do_create_feed(world.director, "participant", participant=world.participant)
    feed = Client().get(f"/schedule/feeds/{token}.ics").content.decode()
    assert "BEGIN:VEVENT" in feed
    assert "javascript" not in feed.lower()
    page = client_for(world.participant_user).get("/me/schedule/").content.decode()
    assert "javascript:" not in page.lower()


@pytest.mark.parametrize(
    ("link", "ok"),
    [("https://video.example.test/r", True), ("HTTPS://video.example.test/r", True)]
    + [(link, False) for link in BAD_LINKS],
)
def test_is_https_link(link: str, ok: bool) -> None:
    assert is_https_link(link) is ok
