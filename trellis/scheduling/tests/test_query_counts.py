"""The week view, the attendance sheet and the dashboard run the same number of queries
with little and with much data (more people, more series, more history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.participants.actions import ParticipantDetails, do_create_participant
from trellis.participants.models import EpisodeStatus
from trellis.scheduling import actions
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot


def grow(world: World, group: SessionSeries, people: int, extra_series: int, start: date) -> None:
    today = local_today(world)
    for number in range(people):
        participant = do_create_participant(
            None,
            world.organization,
            ParticipantDetails(
                mrn=f"Q-{group.pk}-{number:04d}", given_name="Bulk",
                family_name=f"Person{number:04d}", date_of_birth=date(1985, 1, 1),
            ),
            program=world.program, track=world.evening, status=EpisodeStatus.ACTIVE,
            admitted_on=start,
        )  # fmt: skip
        enroll(group, participant, start)
        episode = participant.episodes.get()
        day = start
        while day < today:
            actions.do_record_attendance(None, slot(group, day), episode, actions.Mark("present"))
            day += timedelta(days=3)
    for number in range(extra_series):
        actions.do_create_series(
            None, world.evening,
            actions.SeriesData(
                name=f"Extra {number}", start_time=time(8 + number, 0), duration_minutes=50,
                rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", dtstart=start, capacity=10,
                mode="telehealth", telehealth_url="https://video.example.test/x",
                facilitators=[world.clinician],
            ),
        )  # fmt: skip


def counts(client: Client, urls: list[str], count_queries: CountQueries) -> list[int]:
    result = []
    for url in urls:
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result.append(queries.count)
    return result


def test_schedule_pages_run_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    today = local_today(world)
    start = today - timedelta(days=20)
    group = daily_group(world, dtstart=start)
    enroll(group, world.participant, start)
    yesterday = today - timedelta(days=1)
    urls = [
        f"/schedule/?program={world.program.public_id}",
        f"/schedule/series/{group.public_id}/{yesterday:%Y-%m-%d}/",
        f"/schedule/programs/{world.program.public_id}/attendance/",
        f"/participants/{world.participant.public_id}/schedule/",
        f"/participants/{world.participant.public_id}/",
        "/",
    ]
    client = client_for(world.director)
    counts(client, urls, count_queries)  # warm caches (content types, sessions)
    small = counts(client, urls, count_queries)
    grow(world, group, people=12, extra_series=3, start=start)
    large = counts(client, urls, count_queries)
    assert small == large, dict(zip(urls, zip(small, large, strict=True), strict=True))
