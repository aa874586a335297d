"""Schedule data for tests, built through the actions the app uses."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from tests.personas import World
from trellis.participants.models import EpisodeStatusChange, Participant
from trellis.scheduling import actions
from trellis.scheduling.models import Mode, SessionSeries
from trellis.scheduling.queries import Slot, find_slot


def local_today(world: World) -> date:
    return timezone.now().astimezone(world.organization.tz).date()


def evening_dbt(
    world: World,
    *,
    dtstart: date | None = None,
    rrule: str = "FREQ=WEEKLY;BYDAY=MO,WE",
    at: time = time(18, 0),
    minutes: int = 150,
    topics: list[str] | None = None,
    capacity: int = 10,
) -> SessionSeries:
    """DBT skills, Mon/Wed 6-8:30 pm in Room 2, facilitated by the evening clinician."""
    return actions.do_create_series(
        world.director,
        world.evening,
        actions.SeriesData(
            name="DBT skills",
            start_time=at,
            duration_minutes=minutes,
            rrule=rrule,
            dtstart=dtstart or date(2026, 9, 7),
            capacity=capacity,
            room=world.room,
            facilitators=[world.clinician],
            topics=topics if topics is not None else ["Mindfulness", "Distress tolerance"],
        ),
    )


def daily_group(
    world: World,
    *,
    dtstart: date | None = None,
    at: time = time(18, 0),
    minutes: int = 90,
    name: str = "Evening group",
) -> SessionSeries:
    """A group every day of the week, so "today" always has one (tests run any weekday)."""
    return actions.do_create_series(
        world.director,
        world.evening,
        actions.SeriesData(
            name=name,
            start_time=at,
            duration_minutes=minutes,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            dtstart=dtstart or date(2026, 9, 7),
            capacity=12,
            room=world.room,
            facilitators=[world.clinician],
        ),
    )


def process_telehealth(world: World) -> SessionSeries:
    return actions.do_create_series(
        world.director,
        world.evening,
        actions.SeriesData(
            name="Process group",
            start_time=time(18, 0),
            duration_minutes=180,
            rrule="FREQ=WEEKLY;BYDAY=TH",
            dtstart=date(2026, 9, 10),
            capacity=10,
            mode=Mode.TELEHEALTH,
            telehealth_url="https://video.example.test/room/abc",
            facilitators=[world.clinician],
        ),
    )


def admitted_since(participant: Participant, day: date) -> None:
    """Move the persona's admission (and the start of its status history) back to `day`, for
    tests that live on fixed dates before the personas' real admission (test data, not an
    action)."""
    participant.episodes.update(admitted_on=day)
    EpisodeStatusChange.objects.filter(episode__participant=participant).update(effective_on=day)


def enroll(series: SessionSeries, participant: Participant, start: date | None = None) -> None:
    actions.do_add_to_roster(None, participant.episodes.get(), series, start or series.dtstart)


def slot(series: SessionSeries, day: date) -> Slot:
    found = find_slot(series.public_id, day)
    assert found is not None, f"no occurrence of the series on {day}"
    return found


def yesterday(world: World) -> date:
    return local_today(world) - timedelta(days=1)
