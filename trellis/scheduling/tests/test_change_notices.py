"""Closures, moved sessions and series edits reach the people they affect: one email per
person per change, listing their sessions, in the program's time, without clinical words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest

from tests.personas import World
from trellis.scheduling import actions
from trellis.scheduling.models import Mode, SessionSeries
from trellis.scheduling.tests.factory import enroll, local_today, slot

# Words that would tell a reader what the care is for, or which group it is.
HEALTH_WORDS = (
    "DBT", "Mindfulness", "Mental Health", "Substance", "IOP", "Evening", "skills",
    "Room 2", "Thanksgiving", "therapy", "Quillfeather",
)  # fmt: skip


def start(world: World) -> date:
    return local_today(world) + timedelta(days=3)


def dbt(world: World, *, rrule: str = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU") -> SessionSeries:
    return actions.do_create_series(
        world.director,
        world.evening,
        actions.SeriesData(
            name="DBT skills",
            start_time=time(18, 0),
            duration_minutes=90,
            rrule=rrule,
            dtstart=start(world),
            capacity=12,
            room=world.room,
            facilitators=[world.clinician],
            topics=["Mindfulness"],
        ),
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def assert_plain(messages: list[Any]) -> None:
    for message in messages:
        text = message.subject + "\n" + message.body
        for word in HEALTH_WORDS:
            assert word.lower() not in text.lower(), (word, text)


def recipients(messages: list[Any]) -> Counter[str]:
    return Counter(address for m in messages for address in m.to)


def test_a_closure_tells_each_person_once_about_all_their_sessions_that_day(
    world: World, mailoutbox: list[Any], committed: Callable[[], Any]
) -> None:
    evening = dbt(world)
    late = actions.do_create_series(
        world.director, world.evening,
        actions.SeriesData(
            name="Skills practice", start_time=time(20, 0), duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=start(world), capacity=12,
            mode=Mode.TELEHEALTH, telehealth_url="https://video.example.test/p",
            facilitators=[world.clinician],
        ),
    )  # fmt: skip
    for series in (evening, late):
        enroll(series, world.participant, start(world))
    enroll(evening, world.other_participant, start(world))
    day = start(world) + timedelta(days=2)
    with committed():
        actions.check_add_closure(world.director, world.program, day, "Thanksgiving")
    assert recipients(mailoutbox) == Counter(
        {world.participant.email: 1, world.other_participant.email: 1, world.clinician.email: 1}
    )
    mine = next(m for m in mailoutbox if m.to == [world.participant.email])
    assert "6:00 pm" in mine.body
    assert "8:00 pm" in mine.body
    assert f"{day:%A} {day.day} {day:%B}" in mine.body
    assert_plain(mailoutbox)


def test_a_moved_session_tells_its_participants_and_facilitators(
    world: World, mailoutbox: list[Any], committed: Callable[[], Any]
) -> None:
    series = dbt(world)
    enroll(series, world.participant, start(world))
    day = start(world) + timedelta(days=1)
    with committed():
        actions.check_reschedule_occurrence(
            world.director, slot(series, day), new_date=day + timedelta(days=1),
            start_time=time(17, 0), duration_minutes=90, mode=Mode.TELEHEALTH, room=None,
            telehealth_url="https://video.example.test/moved", override_reason="Clash ok",
        )  # fmt: skip
    assert recipients(mailoutbox) == Counter({world.participant.email: 1, world.clinician.email: 1})
    body = next(m.body for m in mailoutbox if m.to == [world.participant.email])
    assert "6:00 pm" in body
    assert "5:00 pm" in body
    assert "video" in body
    assert_plain(mailoutbox)


def test_a_series_time_change_is_one_message_per_person_listing_their_sessions(
    world: World, mailoutbox: list[Any], committed: Callable[[], Any]
) -> None:
    series = dbt(world, rrule="FREQ=WEEKLY;BYDAY=MO,WE")
    enroll(series, world.participant, start(world))
    enroll(series, world.other_participant, start(world))
    earlier = actions.SeriesData.of(series)
    earlier.start_time = time(17, 30)
    with committed():
        actions.check_update_series(world.director, series, earlier, override_reason="ok")
    assert recipients(mailoutbox) == Counter(
        {world.participant.email: 1, world.other_participant.email: 1, world.clinician.email: 1}
    )
    body = next(m.body for m in mailoutbox if m.to == [world.participant.email])
    assert body.count("5:30 pm") >= 4  # several sessions in one message
    assert "6:00 pm" in body
    assert_plain(mailoutbox)


def test_this_and_following_changes_notify_too_but_a_new_name_does_not(
    world: World, mailoutbox: list[Any], committed: Callable[[], Any]
) -> None:
    series = dbt(world, rrule="FREQ=WEEKLY;BYDAY=MO,WE")
    enroll(series, world.participant, start(world))
    renamed = actions.SeriesData.of(series)
    renamed.name = "Skills group"
    with committed():
        series = actions.check_update_series(world.director, series, renamed)
    assert mailoutbox == []
    moved = actions.SeriesData.of(series)
    moved.rrule = "FREQ=WEEKLY;BYDAY=TU,TH"
    with committed():
        actions.check_update_series(
            world.director, series, moved, from_date=start(world) + timedelta(days=7),
            override_reason="ok",
        )  # fmt: skip
    assert recipients(mailoutbox) == Counter({world.participant.email: 1, world.clinician.email: 1})
    assert_plain(mailoutbox)


def test_people_no_longer_expected_are_not_told(
    world: World, mailoutbox: list[Any], committed: Callable[[], Any]
) -> None:
    series = dbt(world)
    enroll(series, world.participant, start(world))
    actions.do_end_roster_membership(None, series.roster.get(), start(world))  # left before the day
    with committed():
        actions.check_add_closure(
            world.director, world.program, start(world) + timedelta(days=2), "Closed"
        )
    assert recipients(mailoutbox) == Counter({world.clinician.email: 1})
