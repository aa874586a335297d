"""Assignments: to everyone present in a session, entries (idempotent), couldn't do it,
excuse, status rules and the missed sweep."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.personas import World, make_participant
from trellis.audit.models import Event
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_assign_to_present,
    do_could_not,
    do_excuse,
    do_record_entry,
    sweep_missed,
)
from trellis.practice.models.assignments import Assignment, AssignmentStatus, PracticeEntry
from trellis.practice.tests.helpers import dear_man, skill_practice_log
from trellis.scheduling import actions as scheduling
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.queries import Slot, attendance_for
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    return series


def _marked(world: World, series: SessionSeries, **people: str) -> Slot:
    """Yesterday's session with the given participants (attr name → status) marked."""
    day = local_today(world) - timedelta(days=1)
    s = slot(series, day)
    for attr, status in people.items():
        episode = getattr(world, attr).episodes.get()
        scheduling.do_record_attendance(world.clinician, s, episode, scheduling.Mark(status))
    s = slot(series, day)
    attendance_for([s])
    return s


def _data(world: World, **kw: object) -> AssignmentData:
    today = local_today(world)
    base: dict[str, object] = {
        "title": "Practise DEAR MAN once and log it",
        "due_on": today + timedelta(days=2),
        "starts_on": today,
        "skill": dear_man(world.organization),
    }
    base.update(kw)
    return AssignmentData(**base)  # type: ignore[arg-type]


@pytest.fixture
def second(world: World, group: SessionSeries) -> World:
    """A second evening participant on the group's roster (absent in the tests that mark)."""
    p = make_participant(
        world.organization,
        "MRN-1009",
        "Maya",
        "Fernhollow",
        program=world.evening.program,
        track=world.evening,
        team=[(world.clinician, "therapist", True)],
    )
    enroll(group, p)
    world.second = p  # type: ignore[attr-defined]
    return world


def test_assign_to_everyone_present_is_one_batch(
    world: World, group: SessionSeries, second: World
) -> None:
    s = _marked(world, group, participant="present", second="absent_unexcused")
    rows = do_assign_to_present(world.clinician, s, _data(world))
    assert [a.participant for a in rows] == [world.participant]
    stored = Assignment.objects.get()
    assert stored.occurrence == s.row
    assert stored.batch is not None
    assert stored.assigned_by == world.clinician
    assert Event.objects.filter(object_type="practice.assignment", action="create").count() == 1


def test_naming_someone_not_present_stores_nothing(
    world: World, group: SessionSeries, second: World
) -> None:
    s = _marked(world, group, participant="present", second="absent_excused")
    ids = [world.participant.episodes.get().public_id, world.second.episodes.get().public_id]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as err:
        do_assign_to_present(world.clinician, s, _data(world), episode_ids=ids)
    assert "participants" in err.value.message_dict
    assert "not present" in err.value.message_dict["participants"][0]
    assert not Assignment.objects.exists()


def test_a_double_submitted_batch_stores_one(world: World, group: SessionSeries) -> None:
    s = _marked(world, group, participant="late")
    key = uuid.uuid4()
    first = do_assign_to_present(world.clinician, s, _data(world), batch=key)
    again = do_assign_to_present(world.clinician, s, _data(world), batch=key)
    assert [a.pk for a in first] == [a.pk for a in again]
    assert Assignment.objects.count() == 1


def test_nobody_present_is_refused(world: World, group: SessionSeries) -> None:
    s = _marked(world, group, participant="absent_unexcused")
    with pytest.raises(ValidationError) as err:
        do_assign_to_present(world.clinician, s, _data(world))
    assert "participants" in err.value.message_dict


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"skill": None}, "skill"),
        ({"title": " "}, "title"),
        ({"due_on_offset": -5}, "due_on"),
        ({"frequency": "times", "times_required": 40}, "times_required"),
        ({"frequency": "daily", "due_on_offset": 40}, "due_on"),
        ({"frequency": "weekly"}, "frequency"),
    ],
)
def test_bad_assignments_name_the_field(
    world: World, change: dict[str, object], field: str
) -> None:
    today = local_today(world)
    offset = change.pop("due_on_offset", None)
    if offset is not None:
        change["due_on"] = today + timedelta(days=int(offset))  # type: ignore[call-overload]
        if int(offset) < 0:  # type: ignore[call-overload]
            change["starts_on"] = today + timedelta(days=int(offset))  # type: ignore[call-overload]
    with pytest.raises(ValidationError) as err:
        do_assign(world.clinician, world.participant.episodes.get(), _data(world, **change))
    assert field in err.value.message_dict
    assert not Assignment.objects.exists()


def test_daily_needs_one_entry_a_day(world: World) -> None:
    today = local_today(world)
    a = do_assign(
        world.clinician,
        world.participant.episodes.get(),
        _data(world, frequency="daily", starts_on=today, due_on=today + timedelta(days=6)),
    )
    assert a.times_required == 7


def _entry(key: str, **kw: object) -> EntryData:
    base: dict[str, object] = {"practiced_on": kw.pop("day"), "idempotency_key": key}
    base.update(kw)
    return EntryData(**base)  # type: ignore[arg-type]


def test_an_entry_completes_once_and_a_double_submit_stores_one(world: World) -> None:
    today = local_today(world)
    a = do_assign(world.clinician, world.participant.episodes.get(), _data(world))
    data = _entry("k1", day=today, rating=7, what_happened="Asked my sister for a lift")
    first = do_record_entry(world.participant_user, a, data)
    second = do_record_entry(world.participant_user, a, data)
    assert first.pk == second.pk
    assert PracticeEntry.objects.count() == 1
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DONE
    assert first.answers == {"what_happened": "Asked my sister for a lift"}
    assert not first.late_entered


def test_times_assignment_goes_in_progress_then_done(world: World) -> None:
    today = local_today(world)
    a = do_assign(
        world.clinician,
        world.participant.episodes.get(),
        _data(world, starts_on=today - timedelta(days=2), frequency="times", times_required=2),
    )
    e = do_record_entry(None, a, _entry("a", day=today - timedelta(days=1), rating=5))
    assert e.late_entered
    a.refresh_from_db()
    assert a.status == AssignmentStatus.IN_PROGRESS
    do_record_entry(None, a, _entry("b", day=today, rating=5))
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DONE


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"day_offset": 1, "rating": 5}, "practiced_on"),
        ({"day_offset": 0, "rating": 11}, "rating"),
        ({"day_offset": 0}, "rating"),
        ({"day_offset": 0, "rating": 5, "key": ""}, "idempotency_key"),
    ],
)
def test_bad_entries_name_the_field(world: World, kw: dict[str, object], field: str) -> None:
    today = local_today(world)
    a = do_assign(world.clinician, world.participant.episodes.get(), _data(world))
    day = today + timedelta(days=int(kw.pop("day_offset")))  # type: ignore[call-overload]
    key = str(kw.pop("key", "k"))
    with pytest.raises(ValidationError) as err:
        do_record_entry(None, a, _entry(key, day=day, **kw))
    assert field in err.value.message_dict
    assert not PracticeEntry.objects.exists()


def test_worksheet_entry_is_checked_against_its_definition(world: World) -> None:
    today = local_today(world)
    sheet = skill_practice_log(world.organization)
    skill = dear_man(world.organization)
    a = do_assign(
        world.clinician, world.participant.episodes.get(), _data(world, skill=None, worksheet=sheet)
    )
    with pytest.raises(ValidationError) as err:
        do_record_entry(None, a, _entry("w1", day=today, answers={"situation": "x", "bogus": 1}))
    assert not PracticeEntry.objects.exists()
    assert err.value.message_dict
    entry = do_record_entry(
        None,
        a,
        _entry(
            "w2",
            day=today,
            answers={"situation": "At work", "skill": str(skill.public_id), "how_it_went": "8"},
        ),
    )
    assert entry.rating == 8
    assert entry.answers["how_it_went"] == 8


def test_could_not_and_excuse(world: World) -> None:
    a = do_assign(world.clinician, world.participant.episodes.get(), _data(world))
    with pytest.raises(ValidationError) as err:
        do_could_not(world.participant_user, a, "  ")
    assert "reason" in err.value.message_dict
    do_could_not(world.participant_user, a, "I was sick all week")
    a.refresh_from_db()
    assert a.could_not_reason == "I was sick all week"
    assert a.could_not_at is not None
    do_excuse(world.clinician, a)
    a.refresh_from_db()
    assert a.status == AssignmentStatus.EXCUSED
    with pytest.raises(ValidationError):
        do_record_entry(None, a, _entry("late", day=local_today(world), rating=3))


def test_sweep_marks_past_due_missed(world: World) -> None:
    today = local_today(world)
    a = do_assign(world.clinician, world.participant.episodes.get(), _data(world, due_on=today))
    assert sweep_missed(world.organization.pk, today) == 0
    assert sweep_missed(world.organization.pk, today + timedelta(days=1)) == 1
    a.refresh_from_db()
    assert a.status == AssignmentStatus.MISSED
