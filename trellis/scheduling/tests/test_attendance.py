"""Taking attendance: permissions, one-tap htmx rows, walk-ins, locking, corrections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.scheduling import actions
from trellis.scheduling.models import Attendance, AttendanceCorrection, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

Clients = Callable[[User], Client]


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    return series


def sheet(series: SessionSeries, day: date) -> str:
    return f"/schedule/series/{series.public_id}/{day:%Y-%m-%d}/"


def test_the_facilitator_marks_a_late_arrival_with_one_tap(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    page = client.get(sheet(group, day))
    assert page.status_code == 200
    assert "Patricia Quillfeather" in page.content.decode()
    response = client.post(
        f"{sheet(group, day)}{episode.public_id}/mark/",
        {"status": "late", "minutes": "15"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<li id="row-')  # the row fragment, not the page
    assert "15 min late" in body
    assert "by Casey Clinician" in body
    mark = Attendance.objects.get()
    assert (mark.status, mark.minutes_attended) == ("late", 75)
    assert Event.objects.filter(object_type="scheduling.attendance", actor=world.clinician).exists()


def test_undo_removes_the_mark(world: World, group: SessionSeries, client_for: Clients) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    client.post(f"{sheet(group, day)}{episode.public_id}/mark/", {"status": "present"})
    assert Attendance.objects.count() == 1
    response = client.post(
        f"{sheet(group, day)}{episode.public_id}/undo/", headers={"HX-Request": "true"}
    )
    assert "Not marked" in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(("persona", "status"), [
    ("front_desk", 200), ("director", 200), ("other_clinician", 403), ("outsider", 404),
    ("compliance", 403), ("participant", 403),
])  # fmt: skip
def test_who_may_open_and_mark_the_attendance_sheet(
    world: World, group: SessionSeries, client_for: Clients, persona: str, status: int
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    client = client_for(world.personas[persona])
    assert client.get(sheet(group, day)).status_code == status
    marked = client.post(f"{sheet(group, day)}{episode.public_id}/mark/", {"status": "present"})
    assert Attendance.objects.exists() == (status == 200)
    if status != 200:
        assert marked.status_code == status


def test_a_substitute_may_mark_that_night_only(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    actions.do_substitute_facilitator(
        world.director, slot(group, day), substitute=world.other_clinician, replaced=None
    )
    client = client_for(world.other_clinician)
    assert client.get(sheet(group, day)).status_code == 200
    assert client.get(sheet(group, day - timedelta(days=1))).status_code == 403


def test_attendance_on_a_cancelled_occurrence_is_refused_clearly(
    world: World, group: SessionSeries
) -> None:
    day = local_today(world) - timedelta(days=1)
    actions.do_cancel_occurrence(world.director, slot(group, day), "Facilitator ill")
    with pytest.raises(ValidationError, match="cancelled"):
        actions.check_record_attendance(
            world.clinician,
            slot(group, day),
            world.participant.episodes.get(),
            actions.Mark("present"),
        )
    assert not Attendance.objects.exists()


def test_someone_not_on_the_roster_needs_the_walk_in_path(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    other = world.other_participant.episodes.get()
    with pytest.raises(ValidationError, match="walk-in"):
        actions.check_record_attendance(
            world.director, slot(group, day), other, actions.Mark("present")
        )
    client = client_for(world.director)
    response = client.post(
        f"{sheet(group, day)}walk-in/",
        {
            "episode": str(other.public_id),
            "reason": "Missed the morning group",
            "status": "late",
            "minutes": "10",
        },
        follow=True,
    )
    assert "added as a walk-in" in response.content.decode()
    mark = Attendance.objects.get(episode=other)
    assert mark.is_walk_in
    assert mark.minutes_late == 10
    # A participant of another program cannot be a walk-in, even by MRN.
    client.post(
        f"{sheet(group, day)}walk-in/",
        {"mrn": world.sud_participant.mrn, "reason": "x", "status": "present"},
    )
    assert Attendance.objects.count() == 1


def test_completing_locks_and_corrections_need_a_reason(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    client.post(f"{sheet(group, day)}complete/")
    assert slot(group, day).row is None or not slot(group, day).locked  # someone unmarked
    client.post(f"{sheet(group, day)}{episode.public_id}/mark/", {"status": "absent_unexcused"})
    client.post(f"{sheet(group, day)}complete/")
    assert slot(group, day).locked
    refused = client.post(
        f"{sheet(group, day)}{episode.public_id}/mark/",
        {"status": "present"},
        headers={"HX-Request": "true"},
    )
    assert "give a reason" in refused.content.decode()
    assert Attendance.objects.get().status == "absent_unexcused"
    client.post(
        f"{sheet(group, day)}{episode.public_id}/mark/",
        {"status": "present", "reason": "Arrived after roll call"},
    )
    correction = AttendanceCorrection.objects.get()
    assert (correction.previous_status, correction.new_status) == ("absent_unexcused", "present")
    assert Attendance.objects.get().status == "present"


def test_two_people_marking_at_once_the_last_write_wins_visibly(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    url = f"{sheet(group, day)}{episode.public_id}/mark/"
    client_for(world.clinician).post(url, {"status": "present"})
    last = client_for(world.front_desk).post(
        url, {"status": "absent_excused"}, headers={"HX-Request": "true"}
    )
    assert "by Frankie Frontdesk" in last.content.decode()
    assert Attendance.objects.get().status == "absent_excused"
    writers = set(
        Event.objects.filter(object_type="scheduling.attendance").values_list(
            "actor__username", flat=True
        )
    )
    assert writers == {"casey.clinician", "frankie.frontdesk"}


def test_future_sessions_cannot_be_marked(world: World, group: SessionSeries) -> None:
    day = local_today(world) + timedelta(days=2)
    with pytest.raises(ValidationError, match="not started yet"):
        actions.check_record_attendance(
            world.clinician,
            slot(group, day),
            world.participant.episodes.get(),
            actions.Mark("present"),
        )
