"""Generating the agenda runs the same number of queries for a small and a larger program."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests.personas import PASSWORD, World, make_participant
from tests.queries import CountQueries
from trellis.meetings.actions import do_generate_agenda
from trellis.meetings.queries import agenda_for
from trellis.plans.actions import do_request_plan_review
from trellis.plans.tests.factory import signed_plan
from trellis.programs.models import ClinicianKind
from trellis.scheduling import actions as scheduling
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot
from trellis.worklist.models import AlertKind, Priority

from .factory import alert, todays_meeting


def add_people(world: World, count: int, start: int) -> None:
    group = daily_group(world, dtstart=local_today(world) - timedelta(days=20))
    for n in range(start, start + count):
        person = make_participant(
            world.organization,
            f"Q{n:04d}",
            "Pat",
            f"Query{n:04d}",
            program=world.program,
            track=world.evening,
            team=[(world.clinician, ClinicianKind.THERAPIST, True)],
        )
        episode = person.episodes.get()
        alert(person, AlertKind.RELIABLE_DETERIORATION)
        alert(person, AlertKind.CRITICAL_ITEM, Priority.URGENT)
        enroll(group, person)
        day = local_today(world) - timedelta(days=1)
        scheduling.do_record_attendance(
            None, slot(group, day), episode, scheduling.Mark("absent_unexcused")
        )
        scheduling.do_record_attendance(
            None,
            slot(group, day - timedelta(days=1)),
            episode,
            scheduling.Mark("absent_unexcused"),
        )
        if n % 2:
            signed_plan(world.clinician, episode, PASSWORD)
            do_request_plan_review(episode, "team meeting")


def count(world: World, count_queries: CountQueries) -> tuple[int, int]:
    with count_queries() as captured:
        entries = agenda_for(world.program)
    return captured.count, len(entries)


def test_agenda_queries_do_not_grow_with_the_program(
    world: World, count_queries: CountQueries
) -> None:
    add_people(world, 2, 0)
    small_queries, small_items = count(world, count_queries)
    add_people(world, 10, 100)
    large_queries, large_items = count(world, count_queries)
    assert large_items > small_items + 40  # the rules did fire for the new people
    assert small_queries == large_queries
    assert large_queries <= 20


def test_generating_twice_adds_nothing_new(world: World) -> None:
    add_people(world, 2, 0)
    meeting = todays_meeting(world)
    first = do_generate_agenda(world.director, meeting)
    assert first
    assert do_generate_agenda(world.director, meeting) == []
    assert meeting.items.count() == len(first)


def page_queries(world: World, meeting_url: str, count_queries: CountQueries) -> int:
    client = Client()
    client.force_login(world.director)
    client.get("/")  # the session's first request also stores its zone and activity time
    with count_queries() as captured:
        response = client.get(meeting_url)
    assert response.status_code == 200
    return captured.count


def test_the_meeting_page_runs_the_same_queries_for_a_longer_agenda(
    world: World, count_queries: CountQueries
) -> None:
    add_people(world, 2, 0)
    meeting = todays_meeting(world)
    do_generate_agenda(world.director, meeting)
    url = f"/meetings/{meeting.public_id}/"
    small = page_queries(world, url, count_queries)
    add_people(world, 8, 100)
    do_generate_agenda(world.director, meeting)
    assert meeting.items.values("episode").distinct().count() >= 10
    assert page_queries(world, url, count_queries) == small
