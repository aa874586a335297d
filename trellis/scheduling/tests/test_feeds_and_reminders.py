"""Calendar feeds parsed by a second, independent parser (vobject); day-before reminders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.test import Client
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.notifications.actions import do_deliver_due
from trellis.scheduling import actions, ical
from trellis.scheduling.models import CalendarFeed, ProgramScheduleSettings, SentReminder
from trellis.scheduling.tasks import send_due_reminders
from trellis.scheduling.tests.factory import (
    enroll,
    evening_dbt,
    local_today,
    process_telehealth,
    slot,
)

CHICAGO = ZoneInfo("America/Chicago")


def parse(body: bytes) -> list[Any]:
    calendar = vobject.readOne(body.decode())
    assert calendar.name == "VCALENDAR"
    assert hasattr(calendar, "vtimezone")
    return list(calendar.vevent_list)


@pytest.fixture
def autumn(world: World, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The evening track in autumn 2026, with "today" on 20 October so the feed window
    spans the 1 November change."""
    dbt = evening_dbt(world, dtstart=date(2026, 10, 5))
    process = process_telehealth(world)
    enroll(dbt, world.participant)
    enroll(process, world.participant)
    actions.do_cancel_occurrence(world.director, slot(dbt, date(2026, 11, 4)), "Snow")
    return dbt


def feed_events(client: Client, token: str) -> list[Any]:
    response = client.get(f"/schedule/feeds/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return parse(response.content)


def test_participant_feed_is_generic_valid_and_keeps_wall_clock_time(
    world: World, autumn: Any
) -> None:
    feed, _token = actions.do_create_feed(
        world.director, "participant", participant=world.participant
    )
    slots, detailed = ical.feed_slots(feed, date(2026, 10, 20))
    events = parse(ical.calendar(slots, detailed_programs=detailed))
    by_day = {e.dtstart.value.date(): e for e in events}
    before, after = by_day[date(2026, 10, 26)], by_day[date(2026, 11, 2)]
    for event in (before, after):
        assert event.dtstart.value.hour == 18
        assert event.dtstart.value.minute == 0
        assert event.summary.value == "Trellis session"
        assert event.uid.value.endswith("@trellis")
    assert before.dtstart.value.utcoffset() == timedelta(hours=-5)
    assert after.dtstart.value.utcoffset() == timedelta(hours=-6)
    assert by_day[date(2026, 11, 4)].status.value == "CANCELLED"
    assert by_day[date(2026, 10, 29)].location.value.startswith("Telehealth: https://")
    assert "Room 2" in before.location.value
    text = ical.calendar(slots, detailed_programs=detailed).decode()
    for secret in ("DBT", "Process group", "Adult Mental Health", world.participant.family_name):
        assert secret not in text


def test_uids_are_stable_when_a_session_moves(world: World, autumn: Any) -> None:
    feed, _ = actions.do_create_feed(world.director, "participant", participant=world.participant)
    before = {
        e.uid.value for e in parse(ical.calendar(ical.feed_slots(feed, date(2026, 10, 20))[0]))
    }
    actions.check_reschedule_occurrence(
        world.director, slot(autumn, date(2026, 10, 26)), new_date=date(2026, 10, 27),
        start_time=time(17), duration_minutes=150, mode="in_person", room=world.room,
    )  # fmt: skip
    events = parse(ical.calendar(ical.feed_slots(feed, date(2026, 10, 20))[0]))
    assert {e.uid.value for e in events} == before
    moved = next(e for e in events if e.uid.value.endswith("20261026@trellis"))
    assert (moved.dtstart.value.date(), moved.dtstart.value.hour) == (date(2026, 10, 27), 17)


def test_staff_feeds_show_names_only_when_the_program_opts_in(world: World, autumn: Any) -> None:
    feed, _ = actions.do_create_feed(world.clinician, "clinician", user=world.clinician)
    generic = _calendar(feed).decode()
    assert "DBT" not in generic
    assert "Trellis session" in generic
    ProgramScheduleSettings.objects.create(program=world.program, staff_feed_details=True)
    detailed = _calendar(feed).decode()
    assert "DBT skills (Evening)" in detailed
    room_feed, _ = actions.do_create_feed(world.director, "room", room=world.room)
    room_events = parse(_calendar(room_feed))
    assert room_events
    assert all("Room 2" in e.location.value for e in room_events)


def _calendar(feed: CalendarFeed) -> bytes:
    slots, detailed = ical.feed_slots(feed, date(2026, 10, 20))
    return ical.calendar(slots, detailed_programs=detailed)


def test_revoked_and_rotated_feeds(world: World, autumn: Any) -> None:
    client = Client()
    feed, token = actions.do_create_feed(
        world.director, "participant", participant=world.participant
    )
    assert feed_events(client, token) is not None
    assert CalendarFeed.objects.get().token_hash != token  # only the hash is stored
    new_feed, new_token = actions.do_rotate_feed(world.director, feed)
    assert client.get(f"/schedule/feeds/{token}.ics").status_code == 404
    assert client.get(f"/schedule/feeds/{new_token}.ics").status_code == 200
    actions.do_revoke_feed(world.director, new_feed)
    assert client.get(f"/schedule/feeds/{new_token}.ics").status_code == 404
    assert client.get("/schedule/feeds/guess.ics").status_code == 404


def test_participants_create_their_own_feed_and_see_the_link_once(
    world: World, autumn: Any, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    page = client.post("/me/schedule/", {"change": "create"}, follow=True).content.decode()
    assert "/schedule/feeds/" in page
    again = client.get("/me/schedule/").content.decode()
    assert "/schedule/feeds/" not in again
    assert CalendarFeed.objects.filter(participant=world.participant).count() == 1


def test_day_before_reminders_are_sent_once_without_clinical_details(
    world: World, mailoutbox: list[Any]
) -> None:
    tomorrow = local_today(world) + timedelta(days=1)
    series = evening_dbt(world, dtstart=tomorrow, rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU")
    enroll(series, world.participant)
    enroll(series, world.other_participant)
    world.other_participant.email = ""
    world.other_participant.save(update_fields=["email"])
    # Both are queued (docs/portal.md, "Notifications"); the sweep of the outbox sends by
    # preferences: the participant without an email address is skipped.
    assert send_due_reminders.call() == 2
    assert send_due_reminders.call() == 0  # idempotent
    assert SentReminder.objects.count() == 2
    assert do_deliver_due() == 1
    assert do_deliver_due() == 0
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [world.participant.email]
    assert "tomorrow at 6:00 pm" in message.body
    for word in ("DBT", "Mindfulness", "Adult Mental Health", "Room 2"):
        assert word not in message.body + message.subject


def test_the_reminder_sweep_is_registered_with_the_clock() -> None:
    from trellis.lib import periodic

    assert "scheduling.reminders" in [job.name for job in periodic.registered()]
    assert timezone.now() > datetime(2020, 1, 1, tzinfo=CHICAGO)
