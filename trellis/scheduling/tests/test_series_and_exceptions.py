"""Series validation, conflicts, one-occurrence exceptions, closures and series splits."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.personas import World
from trellis.audit.models import Event
from trellis.scheduling import actions
from trellis.scheduling.models import Occurrence, RosterMembership, SessionSeries
from trellis.scheduling.queries import occurrences_between, series_queryset
from trellis.scheduling.tests.factory import (
    admitted_since,
    enroll,
    evening_dbt,
    process_telehealth,
    slot,
)


def data(world: World, **changes: Any) -> actions.SeriesData:
    values: dict[str, Any] = {
        "name": "Process group",
        "start_time": time(18, 0),
        "duration_minutes": 180,
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "dtstart": date(2026, 9, 8),
        "capacity": 10,
        "room": world.room,
        "facilitators": [world.clinician],
    }
    values.update(changes)
    return actions.SeriesData(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rrule": "FREQ=DAILY"}, "rrule"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260901"}, "rrule"),  # ends before it starts
        ({"room": None}, "room"),
        ({"mode": "telehealth", "room": None}, "telehealth_url"),
        ({"start_time": time(23, 0)}, "duration_minutes"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_series_input_names_the_field_and_saves_nothing(
    world: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.check_create_series(world.director, world.evening, data(world, **changes))
    assert field in error.value.message_dict
    assert not SessionSeries.objects.exists()


def test_a_facilitator_from_another_program_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.check_create_series(
            world.director, world.evening, data(world, facilitators=[world.outsider])
        )
    assert "facilitators" in error.value.message_dict


def test_double_bookings_are_refused_unless_overridden_with_a_reason(world: World) -> None:
    evening_dbt(world, dtstart=date(2026, 9, 7))  # Mon/Wed 6-8:30 pm in Room 2
    clash = data(world, rrule="FREQ=WEEKLY;BYDAY=WE", start_time=time(19, 0), duration_minutes=60,
                 dtstart=date(2026, 12, 2))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        actions.check_create_series(world.director, world.evening, clash)
    messages = " ".join(error.value.message_dict["conflicts"])
    assert "Room 2 is already booked" in messages
    assert "already facilitating" in messages
    assert SessionSeries.objects.count() == 1
    series = actions.check_create_series(
        world.director, world.evening, clash, override_reason="Room 2 split with a divider"
    )
    event = Event.objects.filter(object_id=str(series.public_id), action="create").get()
    assert event.detail["conflicts"] == ["facilitator", "room"]
    assert event.detail["override_reason"] == "Room 2 split with a divider"


def test_a_room_over_capacity_is_a_conflict(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.check_create_series(world.director, world.evening, data(world, capacity=30))
    assert "holds 12" in " ".join(error.value.message_dict["conflicts"])


def test_a_participant_in_two_overlapping_sessions_is_a_conflict(world: World) -> None:
    dbt = evening_dbt(world, dtstart=date(2026, 12, 7))
    enroll(dbt, world.participant)
    other = actions.do_create_series(
        world.director, world.evening,
        data(world, rrule="FREQ=WEEKLY;BYDAY=MO", start_time=time(19, 0), duration_minutes=60,
             dtstart=date(2026, 12, 7), room=None, mode="telehealth",
             telehealth_url="https://video.example.test/x", facilitators=[world.other_clinician]),
    )  # fmt: skip
    episode = world.participant.episodes.get()
    with pytest.raises(ValidationError) as error:
        actions.check_add_to_roster(world.director, episode, other, date(2026, 12, 7))
    assert "Already expected at DBT skills" in " ".join(error.value.message_dict["conflicts"])
    actions.check_add_to_roster(
        world.director, episode, other, date(2026, 12, 7), override_reason="Family asked"
    )


def test_cancelling_one_occurrence_leaves_the_series_and_notifies(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    series = evening_dbt(world, dtstart=date(2026, 12, 7))
    enroll(series, world.participant)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_cancel_occurrence(world.director, slot(series, date(2026, 12, 9)), "Snow")
    got = occurrences_between(
        [series_queryset().get(pk=series.pk)], date(2026, 12, 7), date(2026, 12, 16)
    )
    assert [(s.date, s.cancelled) for s in got] == [
        (date(2026, 12, 7), False), (date(2026, 12, 9), True),
        (date(2026, 12, 14), False), (date(2026, 12, 16), False),
    ]  # fmt: skip
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([world.participant.email, world.clinician.email])
    for message in mailoutbox:
        assert "DBT" not in message.body + message.subject
        assert "Snow" not in message.body
    assert "6:00 pm" in mailoutbox[0].body


def test_reschedule_substitute_and_topic_touch_one_occurrence(world: World) -> None:
    series = evening_dbt(world, dtstart=date(2026, 12, 7), topics=["A", "B", "C"])
    first = slot(series, date(2026, 12, 7))
    actions.check_reschedule_occurrence(
        world.director, first, new_date=date(2026, 12, 8), start_time=time(17, 0),
        duration_minutes=150, mode="in_person", room=world.room,
    )  # fmt: skip
    actions.check_substitute_facilitator(
        world.director, slot(series, date(2026, 12, 9)), substitute=world.other_clinician,
        replaced=world.clinician,
    )  # fmt: skip
    actions.do_change_topic(world.director, slot(series, date(2026, 12, 14)), "Guest speaker")
    got = occurrences_between(
        [series_queryset().get(pk=series.pk)], date(2026, 12, 7), date(2026, 12, 16)
    )
    assert [(s.original_date, s.date, s.start_time.hour) for s in got] == [
        (date(2026, 12, 7), date(2026, 12, 8), 17),
        (date(2026, 12, 9), date(2026, 12, 9), 18),
        (date(2026, 12, 14), date(2026, 12, 14), 18),
        (date(2026, 12, 16), date(2026, 12, 16), 18),
    ]
    assert [f.username for f in got[1].facilitators] == ["morgan.morning"]
    assert [s.topic for s in got] == ["A", "B", "Guest speaker", "A"]
    # A move is found from the window of its new date too.
    moved_in = occurrences_between(
        [series_queryset().get(pk=series.pk)], date(2026, 12, 8), date(2026, 12, 8)
    )
    assert [s.original_date for s in moved_in] == [date(2026, 12, 7)]


def test_a_program_closure_cancels_every_occurrence_that_day(world: World) -> None:
    dbt = evening_dbt(world, dtstart=date(2026, 11, 23))
    process_telehealth(world)
    actions.check_add_closure(world.director, world.program, date(2026, 11, 26), "Thanksgiving")
    with pytest.raises(ValidationError):
        actions.check_add_closure(world.director, world.program, date(2026, 11, 26), "Again")
    got = occurrences_between(series_queryset(), date(2026, 11, 23), date(2026, 11, 29))
    closed = [(s.series.name, s.cancel_reason) for s in got if s.cancelled]
    assert closed == [("Process group", "Thanksgiving")]
    assert not Occurrence.objects.filter(series=dbt).exists()  # nothing materialized


def test_this_and_following_splits_the_series_and_keeps_attended_history(world: World) -> None:
    series = evening_dbt(world, dtstart=date(2026, 11, 2))
    enroll(series, world.participant)
    episode = world.participant.episodes.get()
    attended_day = date(2026, 11, 18)
    actions.do_record_attendance(
        world.clinician, slot(series, attended_day), episode, actions.Mark("present")
    )
    actions.do_change_topic(world.director, slot(series, date(2026, 11, 23)), "Moved across")
    whole = actions.SeriesData.of(series)
    whole.start_time = time(17, 30)
    with pytest.raises(ValidationError) as error:
        actions.check_update_series(world.director, series, whole)
    assert "from_date" in error.value.message_dict

    changed = actions.SeriesData.of(series)
    changed.start_time = time(17, 30)
    new = actions.check_update_series(world.director, series, changed, from_date=date(2026, 11, 16))
    series.refresh_from_db()
    assert series.rrule.endswith("UNTIL=20261115")
    assert new.split_from == series
    assert new.dtstart == date(2026, 11, 16)
    got = occurrences_between(series_queryset(), date(2026, 11, 9), date(2026, 11, 25))
    shown = [(s.series.pk, s.date, s.start_time, s.cancelled) for s in got]
    assert (series.pk, date(2026, 11, 11), time(18), False) in shown
    # The attended session stays with the old series at its old time; the new series does
    # not expect people twice that day.
    assert (series.pk, attended_day, time(18), False) in shown
    assert (new.pk, attended_day, time(17, 30), True) in shown
    assert (new.pk, date(2026, 11, 16), time(17, 30), False) in shown
    assert Occurrence.objects.get(original_date=date(2026, 11, 23)).series == new
    # The roster continues on the new series from the split date.
    periods = sorted(
        (m.series_id, m.start_date, m.end_date)
        for m in RosterMembership.objects.filter(episode=episode)
    )
    assert periods == [
        (series.pk, date(2026, 11, 2), date(2026, 11, 15)),
        (new.pk, date(2026, 11, 16), None),
    ]


def test_splitting_a_counted_series_continues_the_count(world: World) -> None:
    series = evening_dbt(world, dtstart=date(2026, 11, 2), rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=6")
    changed = actions.SeriesData.of(series)
    changed.start_time = time(17, 0)
    new = actions.check_update_series(world.director, series, changed, from_date=date(2026, 11, 16))
    series.refresh_from_db()
    assert series.rrule.endswith("COUNT=2")
    assert new.rrule.endswith("COUNT=4")
    total = occurrences_between(series_queryset(), date(2026, 11, 1), date(2027, 3, 1))
    assert len(total) == 6


def test_join_track_series_rosters_an_episode_on_its_tracks_groups(world: World) -> None:
    dbt = evening_dbt(world, dtstart=date(2026, 11, 2))
    process = process_telehealth(world)
    episode = world.participant.episodes.get()
    joined = actions.do_join_track_series(world.director, episode, date(2026, 11, 10))
    assert {m.series for m in joined} == {dbt, process}
    assert actions.do_join_track_series(world.director, episode, date(2026, 11, 10)) == []


def test_roster_periods_decide_who_is_expected(world: World) -> None:
    from trellis.scheduling.queries import expected_episodes, roster_for

    series = evening_dbt(world, dtstart=date(2026, 11, 2))
    admitted_since(world.participant, date(2026, 10, 1))
    episode = world.participant.episodes.get()
    membership = actions.check_add_to_roster(world.director, episode, series, date(2026, 11, 9))
    actions.do_end_roster_membership(world.director, membership, date(2026, 11, 18))
    with pytest.raises(ValidationError):
        actions.check_add_to_roster(world.director, episode, series, date(2026, 11, 16))
    with pytest.raises(ValidationError) as error:
        actions.check_add_to_roster(
            world.director, episode, series, date(2026, 12, 9), date(2026, 12, 1)
        )
    assert "end_date" in error.value.message_dict
    slots = occurrences_between(
        [series_queryset().get(pk=series.pk)], date(2026, 11, 2), date(2026, 11, 25)
    )
    roster = roster_for([series.pk], date(2026, 11, 2), date(2026, 11, 25))
    expected = [(s.date, len(expected_episodes(s, roster))) for s in slots]
    assert expected == [
        (date(2026, 11, 2), 0), (date(2026, 11, 4), 0), (date(2026, 11, 9), 1),
        (date(2026, 11, 11), 1), (date(2026, 11, 16), 1), (date(2026, 11, 18), 1),
        (date(2026, 11, 23), 0), (date(2026, 11, 25), 0),
    ]  # fmt: skip
