"""What a participant's calendar link lists, and who may turn a link off or replace it.

A link lists only the episodes its maker could see, checked at every fetch: a link made by
mental-health staff never carries substance-use (42 CFR Part 2) sessions. Each person rotates
and revokes their own links; directors (and the participant) may also revoke others' links.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.participants.actions import do_open_episode
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import Membership
from trellis.scheduling import actions
from trellis.scheduling.models import CalendarFeed, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today


@pytest.fixture
def two_programs(world: World) -> tuple[SessionSeries, SessionSeries]:
    """`participant` in a daily mental-health group and a daily substance-use group."""
    start = local_today(world) - timedelta(days=7)
    mental_health = daily_group(world, dtstart=start)
    enroll(mental_health, world.participant, start)
    episode = do_open_episode(
        None, world.participant, world.sud_program, track=world.sud_track,
        status=EpisodeStatus.ACTIVE, admitted_on=start,
    )  # fmt: skip
    substance_use = actions.do_create_series(
        world.outsider,
        world.sud_track,
        actions.SeriesData(
            name="Relapse prevention", start_time=time(10, 0), duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=start, capacity=10,
            room=world.room, facilitators=[world.outsider],
        ),
    )  # fmt: skip
    actions.do_add_to_roster(None, episode, substance_use, start)
    return mental_health, substance_use


def fetch(token: str) -> str:
    response = Client().get(f"/schedule/feeds/{token}.ics")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("maker", ["director", "front_desk"])
def test_a_link_made_by_mental_health_staff_lists_no_substance_use_sessions(
    world: World, two_programs: tuple[SessionSeries, SessionSeries], maker: str
) -> None:
    mental_health, substance_use = two_programs
    _, token = actions.do_create_feed(
        world.personas[maker], "participant", participant=world.participant
    )
    body = fetch(token)
    assert str(mental_health.public_id) in body
    assert str(substance_use.public_id) not in body


def test_the_participants_own_link_lists_both_programs(
    world: World, two_programs: tuple[SessionSeries, SessionSeries]
) -> None:
    _, token = actions.do_create_feed(
        world.participant_user, "participant", participant=world.participant
    )
    body = fetch(token)
    assert all(str(series.public_id) in body for series in two_programs)


def test_the_makers_access_is_checked_again_at_each_fetch(
    world: World, two_programs: tuple[SessionSeries, SessionSeries]
) -> None:
    mental_health, _ = two_programs
    _, token = actions.do_create_feed(world.director, "participant", participant=world.participant)
    assert str(mental_health.public_id) in fetch(token)
    Membership.objects.filter(user=world.director).update(is_active=False)
    world.director.refresh_from_db()
    assert "VEVENT" not in fetch(token)


def chart_feed(client: Client, world: World, change: str, feed: CalendarFeed) -> int:
    response = client.post(
        f"/participants/{world.participant.public_id}/schedule/feed/",
        {"change": change, "feed": str(feed.public_id)},
    )
    return response.status_code


def live(feed: CalendarFeed) -> bool:
    feed.refresh_from_db()
    return feed.revoked_at is None


def test_front_desk_cannot_revoke_or_rotate_a_link_someone_else_made(
    world: World, client_for: Callable[[User], Client]
) -> None:
    feed, _ = actions.do_create_feed(world.director, "participant", participant=world.participant)
    front_desk = client_for(world.front_desk)
    assert chart_feed(front_desk, world, "revoke", feed) == 404
    assert chart_feed(front_desk, world, "rotate", feed) == 404
    assert live(feed)
    page = front_desk.get(f"/participants/{world.participant.public_id}/schedule/")
    assert f'value="{feed.public_id}"' not in page.content.decode()  # no buttons for it
    assert "by Dana Director" in page.content.decode()


def test_staff_rotate_and_revoke_their_own_links(
    world: World, client_for: Callable[[User], Client]
) -> None:
    feed, _ = actions.do_create_feed(world.front_desk, "participant", participant=world.participant)
    front_desk = client_for(world.front_desk)
    assert chart_feed(front_desk, world, "rotate", feed) == 302
    assert not live(feed)
    replacement = CalendarFeed.objects.get(revoked_at__isnull=True)
    assert chart_feed(front_desk, world, "revoke", replacement) == 302
    assert not live(replacement)


def test_a_director_revokes_any_link_of_their_participant_but_rotates_only_their_own(
    world: World, client_for: Callable[[User], Client]
) -> None:
    feed, _ = actions.do_create_feed(world.front_desk, "participant", participant=world.participant)
    director = client_for(world.director)
    assert chart_feed(director, world, "rotate", feed) == 404
    assert live(feed)
    assert chart_feed(director, world, "revoke", feed) == 302
    assert not live(feed)


def test_the_participant_revokes_a_link_staff_made_for_them(
    world: World, client_for: Callable[[User], Client]
) -> None:
    feed, _ = actions.do_create_feed(world.front_desk, "participant", participant=world.participant)
    client = client_for(world.participant_user)
    rotate = client.post("/me/schedule/", {"change": "rotate", "feed": str(feed.public_id)})
    assert rotate.status_code == 404
    revoke = client.post("/me/schedule/", {"change": "revoke", "feed": str(feed.public_id)})
    assert revoke.status_code == 302
    assert not live(feed)


def test_the_api_revokes_by_the_same_rule(
    world: World, client_for: Callable[[User], Client]
) -> None:
    by_director, _ = actions.do_create_feed(
        world.director, "participant", participant=world.participant
    )
    by_front_desk, _ = actions.do_create_feed(
        world.front_desk, "participant", participant=world.participant
    )
    url = "/api/v1/scheduling/feeds/{}"
    front_desk = client_for(world.front_desk)
    # Session clients need the CSRF token on writes; enforce_csrf_checks is off in tests.
    assert front_desk.delete(url.format(by_director.public_id)).status_code == 404
    assert live(by_director)
    assert client_for(world.director).delete(url.format(by_front_desk.public_id)).status_code == 204
    assert not live(by_front_desk)
    outsider = client_for(world.outsider)
    assert outsider.delete(url.format(by_director.public_id)).status_code == 404
    assert live(by_director)


def test_a_clinician_turns_off_their_own_schedule_link(
    world: World, client_for: Callable[[User], Client]
) -> None:
    feed, _ = actions.do_create_feed(world.clinician, "clinician", user=world.clinician)
    answer = client_for(world.clinician).post(
        "/schedule/mine/feed/", {"change": "revoke", "feed": str(feed.public_id)}
    )
    assert answer.status_code == 302
    assert not live(feed)
    other, _ = actions.do_create_feed(world.director, "clinician", user=world.director)
    refused = client_for(world.clinician).post(
        "/schedule/mine/feed/", {"change": "revoke", "feed": str(other.public_id)}
    )
    assert refused.status_code == 404
    assert live(other)
