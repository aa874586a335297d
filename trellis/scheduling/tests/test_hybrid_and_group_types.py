"""Hybrid sessions (a room and a video link, each person in person or by video) and group
types (open, closed, cohort) that decide who may still join a roster."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
import vobject
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling import actions, ical
from trellis.scheduling.models import Attendance, GroupType, Mode, SessionSeries
from trellis.scheduling.tests.factory import enroll, local_today, slot

Clients = Callable[[User], Client]
VIDEO = "https://video.example.test/room/hybrid"


def series_data(world: World, **changes: Any) -> actions.SeriesData:
    data = actions.SeriesData(
        name="Relapse prevention", start_time=time(0, 0), duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
        dtstart=local_today(world) - timedelta(days=7), capacity=12, mode=Mode.HYBRID,
        room=world.room, telehealth_url=VIDEO, facilitators=[world.clinician],
    )  # fmt: skip
    for name, value in changes.items():
        setattr(data, name, value)
    return data


@pytest.fixture
def hybrid(world: World) -> SessionSeries:
    series = actions.check_create_series(world.director, world.evening, series_data(world))
    enroll(series, world.participant)
    return series


def test_a_hybrid_series_needs_both_a_room_and_a_video_link(world: World) -> None:
    with pytest.raises(ValidationError) as no_link:
        actions.check_create_series(
            world.director, world.evening, series_data(world, telehealth_url="")
        )
    assert "telehealth_url" in no_link.value.message_dict
    with pytest.raises(ValidationError) as no_room:
        actions.check_create_series(world.director, world.evening, series_data(world, room=None))
    assert "room" in no_room.value.message_dict
    series = actions.check_create_series(world.director, world.evening, series_data(world))
    assert (series.mode, series.room, series.telehealth_url) == ("hybrid", world.room, VIDEO)


def test_hybrid_sessions_show_the_room_and_the_video_link_to_staff_and_participants(
    world: World, hybrid: SessionSeries, client_for: Clients
) -> None:
    staff = client_for(world.director)
    series_page = staff.get(f"/schedule/series/{hybrid.public_id}/").content.decode()
    assert "Room 2" in series_page
    assert VIDEO in series_page
    week = staff.get(f"/schedule/?program={world.program.public_id}").content.decode()
    assert "Room 2 and video" in week
    assert f'href="{VIDEO}"' in week
    day = local_today(world)
    sheet = staff.get(f"/schedule/series/{hybrid.public_id}/{day:%Y-%m-%d}/").content.decode()
    assert "Room 2 and video" in sheet
    assert f'href="{VIDEO}"' in sheet
    mine = client_for(world.participant_user).get("/me/schedule/").content.decode()
    assert "Room 2" in mine
    assert f'href="{VIDEO}"' in mine
    api = staff.get(
        "/api/v1/scheduling/occurrences",
        {"program": str(world.program.public_id), "start": f"{day:%Y-%m-%d}",
         "end": f"{day:%Y-%m-%d}"},
    ).json()  # fmt: skip
    hybrid_one = next(o for o in api if o["series"] == str(hybrid.public_id))
    assert hybrid_one["room"]["name"] == "Room 2"
    assert hybrid_one["telehealth_url"] == VIDEO


def test_a_hybrid_calendar_event_has_both_places_and_a_generic_title(
    world: World, hybrid: SessionSeries
) -> None:
    body = ical.calendar([slot(hybrid, local_today(world))]).decode()
    event = vobject.readOne(body).vevent
    assert event.summary.value == "Trellis session"
    assert "Room 2" in event.location.value
    assert VIDEO in event.location.value
    assert event.url.value == VIDEO


def test_the_tablet_records_in_person_or_video_for_each_person(
    world: World, hybrid: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    base = f"/schedule/series/{hybrid.public_id}/{day:%Y-%m-%d}/"
    client = client_for(world.clinician)
    page = client.get(base).content.decode()
    assert "Joined how: Patricia Quillfeather" in page
    row = client.post(
        f"{base}{episode.public_id}/mark/",
        {"status": "present", "mode": "telehealth"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "by video" in row
    assert Attendance.objects.get().mode == Mode.TELEHEALTH
    # A hybrid is a session's mode, not a person's.
    refused = client.post(
        f"{base}{episode.public_id}/mark/",
        {"status": "present", "mode": "hybrid"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "In person or telehealth" in refused
    assert Attendance.objects.get().mode == Mode.TELEHEALTH


def test_an_in_person_sheet_asks_nobody_how_they_joined(world: World, client_for: Clients) -> None:
    series = actions.check_create_series(
        world.director, world.evening, series_data(world, mode=Mode.IN_PERSON, telehealth_url="")
    )
    enroll(series, world.participant)
    day = local_today(world) - timedelta(days=1)
    page = client_for(world.clinician).get(f"/schedule/series/{series.public_id}/{day:%Y-%m-%d}/")
    assert "Joined how" not in page.content.decode()


# --- group types --------------------------------------------------------------------------


def test_existing_and_new_series_are_open_groups(world: World, hybrid: SessionSeries) -> None:
    assert hybrid.group_type == GroupType.OPEN
    late = local_today(world)
    membership = actions.check_add_to_roster(
        world.director, world.other_participant.episodes.get(), hybrid, late
    )
    assert membership.start_date == late


def test_a_closed_group_refuses_new_members_after_its_first_session(world: World) -> None:
    today = local_today(world)
    started = actions.check_create_series(
        world.director, world.evening,
        series_data(world, group_type=GroupType.CLOSED, dtstart=today - timedelta(days=3)),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="closed group") as refused:
        actions.check_add_to_roster(
            world.director, world.participant.episodes.get(), started, today
        )
    assert "start_date" in refused.value.message_dict
    upcoming = actions.check_create_series(
        world.director, world.evening,
        series_data(world, name="Next closed group", group_type=GroupType.CLOSED,
                    dtstart=today + timedelta(days=3), start_time=time(3, 0)),
    )  # fmt: skip
    episode = world.participant.episodes.get()
    actions.check_add_to_roster(world.director, episode, upcoming, today)
    # Joining a closed group part-way through is joining after its start, too.
    with pytest.raises(ValidationError, match="closed group"):
        actions.check_add_to_roster(
            world.director,
            world.other_participant.episodes.get(),
            upcoming,
            today + timedelta(days=10),
        )


def test_a_cohort_needs_its_dates_and_refuses_members_outside_them(world: World) -> None:
    today = local_today(world)
    with pytest.raises(ValidationError) as undated:
        actions.check_create_series(
            world.director, world.evening, series_data(world, group_type=GroupType.COHORT)
        )
    assert "cohort_start" in undated.value.message_dict
    cohort = actions.check_create_series(
        world.director, world.evening,
        series_data(world, group_type=GroupType.COHORT, dtstart=today,
                    cohort_start=today + timedelta(days=7), cohort_end=today + timedelta(days=62)),
    )  # fmt: skip
    episode = world.participant.episodes.get()
    membership = actions.check_add_to_roster(world.director, episode, cohort, today)
    # On the roster for the cohort's dates: from its first day to its last.
    assert (membership.start_date, membership.end_date) == (
        today + timedelta(days=7),
        today + timedelta(days=62),
    )
    other = world.other_participant.episodes.get()
    with pytest.raises(ValidationError, match="cohort"):
        actions.check_add_to_roster(world.director, other, cohort, today + timedelta(days=8))
    with pytest.raises(ValidationError, match="cohort"):
        actions.check_add_to_roster(
            world.director, other, cohort, today, today + timedelta(days=90)
        )


def test_joining_a_track_skips_groups_closed_to_new_members(world: World) -> None:
    today = local_today(world)
    closed = actions.check_create_series(
        world.director, world.evening,
        series_data(world, group_type=GroupType.CLOSED, dtstart=today - timedelta(days=3)),
    )  # fmt: skip
    open_group = actions.check_create_series(
        world.director,
        world.evening,
        series_data(world, name="Open process group", start_time=time(3, 0)),
    )
    joined = actions.do_join_track_series(None, world.participant.episodes.get(), today)
    assert [m.series for m in joined] == [open_group]
    assert not closed.roster.exists()


def test_the_series_form_and_page_show_the_group_type(world: World, client_for: Clients) -> None:
    client = client_for(world.director)
    today = local_today(world)
    form = client.get(f"/schedule/series/new/?track={world.evening.public_id}").content.decode()
    assert 'name="group_type"' in form
    assert 'name="cohort_start"' in form
    posted = client.post(
        f"/schedule/series/new/?track={world.evening.public_id}",
        {
            "name": "Eight-week cohort", "kind": "group", "start_time": "10:00",
            "duration_minutes": "90", "rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": f"{today}",
            "mode": "hybrid", "room": str(world.room.public_id), "telehealth_url": VIDEO,
            "capacity": "10", "group_type": "cohort", "cohort_start": f"{today}",
            "cohort_end": f"{today + timedelta(days=55)}",
        },
    )  # fmt: skip
    assert posted.status_code == 302, posted.content.decode()[:3000]
    series = SessionSeries.objects.get(name="Eight-week cohort")
    assert (series.group_type, series.cohort_end) == ("cohort", today + timedelta(days=55))
    page = client.get(f"/schedule/series/{series.public_id}/").content.decode()
    assert "Cohort" in page
    assert f"{today + timedelta(days=55):%Y-%m-%d}" in page


def test_the_api_reads_and_writes_the_group_type(world: World, client_for: Clients) -> None:
    today = local_today(world)
    body = {
        "track": str(world.evening.public_id), "name": "Closed skills group",
        "start_time": "10:00", "duration_minutes": 90, "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "dtstart": f"{today + timedelta(days=14)}", "capacity": 8, "mode": "hybrid",
        "room": str(world.room.public_id), "telehealth_url": VIDEO, "group_type": "closed",
    }  # fmt: skip
    client = client_for(world.director)
    created = client.post(
        "/api/v1/scheduling/series", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["group_type"] == "closed"
    assert created.json()["mode"] == "hybrid"
    bad = client.post(
        "/api/v1/scheduling/series",
        json.dumps(body | {"group_type": "cohort"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "cohort" in json.dumps(bad.json()).lower()
