"""The attendance page's practice panel, its POST, and the participant's own pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import World, make_participant
from trellis.accounts.models import User
from trellis.practice.models.assignments import Assignment, AssignmentStatus, PracticeEntry
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling import actions as scheduling
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

Clients = Callable[[User], Client]


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    return series


def sheet(series: SessionSeries, day: date) -> str:
    return f"/schedule/series/{series.public_id}/{day:%Y-%m-%d}/"


def _mark(world: World, series: SessionSeries, day: date, episode: object, status: str) -> None:
    scheduling.do_record_attendance(
        world.clinician,
        slot(series, day),
        episode,  # type: ignore[arg-type]
        scheduling.Mark(status),
    )


def _assign_post(world: World, **extra: object) -> dict[str, object]:
    skill = dear_man(world.organization)
    return {
        "focus": f"skill:{skill.public_id}",
        "due_on": f"{local_today(world) + timedelta(days=2):%Y-%m-%d}",
        "frequency": "once",
        "times_required": "1",
        "note": "Once before Wednesday",
        "batch_key": str(uuid.uuid4()),
        **extra,
    }


def test_facilitator_assigns_from_the_attendance_page_and_sees_who_practised(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    _mark(world, group, day, episode, "present")
    facilitator = client_for(world.clinician)
    dear_man(world.organization)
    page = facilitator.get(sheet(group, day)).content.decode()
    assert "Assign practice to everyone present" in page
    assert "Asking for what you need" in page
    post = _assign_post(world, episode=str(episode.public_id))
    response = facilitator.post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/", post
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#practice-panel")
    facilitator.post(f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/", post)
    assignment = Assignment.objects.get()  # the double submit stored one batch
    assert assignment.title == "Practise DEAR MAN and log it"
    assert "0 of 1 practised" in facilitator.get(sheet(group, day)).content.decode()

    me = client_for(world.participant_user)
    listing = me.get("/me/practice/").content.decode()
    assert "Practise DEAR MAN and log it" in listing
    own = me.get(f"/me/practice/{assignment.public_id}/").content.decode()
    assert "Say plainly what happened" in own  # the program's description of the skill
    key = uuid.uuid4().hex
    entry = {
        "idempotency_key": key,
        "practiced_on": f"{local_today(world):%Y-%m-%d}",
        "what_happened": "Asked my manager for a day off",
        "rating": "7",
    }
    assert me.post(f"/me/practice/{assignment.public_id}/", entry).status_code == 302
    assert me.post(f"/me/practice/{assignment.public_id}/", entry).status_code in {302, 200}
    assert PracticeEntry.objects.count() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert "1 of 1 practised" in facilitator.get(sheet(group, day)).content.decode()


def test_assigning_someone_absent_is_refused_with_a_message(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    _mark(world, group, day, world.participant.episodes.get(), "absent_unexcused")
    client = client_for(world.clinician)
    post = _assign_post(world, episode=str(world.participant.episodes.get().public_id))
    response = client.post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/", post, follow=True
    )
    assert "Participants: Some of the people chosen were not present" in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("persona", ["front_desk", "other_clinician"])
def test_only_facilitators_and_directors_assign(
    world: World, group: SessionSeries, client_for: Clients, persona: str
) -> None:
    day = local_today(world) - timedelta(days=1)
    _mark(world, group, day, world.participant.episodes.get(), "present")
    client = client_for(world.personas[persona])
    response = client.post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/", _assign_post(world)
    )
    assert response.status_code in {403, 404}
    assert not Assignment.objects.exists()
    if persona == "front_desk":  # front desk takes attendance but sees no practice
        page = client.get(sheet(group, day)).content.decode()
        assert "Assign practice" not in page


def test_entry_errors_name_the_field_and_store_nothing(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    _mark(world, group, day, world.participant.episodes.get(), "present")
    client_for(world.clinician).post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/",
        _assign_post(world, episode=str(world.participant.episodes.get().public_id)),
    )
    assignment = Assignment.objects.get()
    me = client_for(world.participant_user)
    tomorrow = f"{local_today(world) + timedelta(days=1):%Y-%m-%d}"
    response = me.post(
        f"/me/practice/{assignment.public_id}/",
        {"idempotency_key": "abc", "practiced_on": tomorrow, "rating": "12"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Day you practised" in body
    assert "How it went" in body
    assert not PracticeEntry.objects.exists()
    # Couldn't do it, with a reason.
    me.post(f"/me/practice/{assignment.public_id}/", {"could_not": "1", "reason": "Flu"})
    assignment.refresh_from_db()
    assert assignment.could_not_reason == "Flu"


def test_another_participant_gets_404(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = local_today(world) - timedelta(days=1)
    _mark(world, group, day, world.participant.episodes.get(), "present")
    client_for(world.clinician).post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/",
        _assign_post(world, episode=str(world.participant.episodes.get().public_id)),
    )
    assignment = Assignment.objects.get()
    other_user = User.objects.create_user(username="rowan", password="x")
    from trellis.participants.actions import do_link_participant_user

    do_link_participant_user(None, world.other_participant, other_user)
    other = client_for(other_user)
    assert other.get(f"/me/practice/{assignment.public_id}/").status_code == 404
    assert "DEAR MAN" not in other.get("/me/practice/").content.decode()
    assert client_for(world.clinician).get("/me/practice/").status_code == 404


def _attendance_page_queries(
    world: World, group: SessionSeries, client: Client, people: int
) -> int:
    day = local_today(world) - timedelta(days=1)
    ids: list[str] = []
    for i in range(people):
        p = make_participant(
            world.organization,
            f"MRN-9{people}{i:02d}",
            "Group",
            f"Member{people}x{i}",
            program=world.evening.program,
            track=world.evening,
            team=[(world.clinician, "therapist", True)],
        )
        enroll(group, p)
        _mark(world, group, day, p.episodes.get(), "present")
        ids.append(str(p.episodes.get().public_id))
    client.post(
        f"/practice/sessions/{group.public_id}/{day:%Y-%m-%d}/assign/",
        _assign_post(world, episode=ids),
    )
    assert Assignment.objects.filter(occurrence__series=group).count() == people
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(sheet(group, day)).status_code == 200
    return len(ctx.captured_queries)


def test_who_practised_panel_query_count_does_not_grow(world: World, client_for: Clients) -> None:
    client = client_for(world.clinician)
    small = daily_group(world, dtstart=local_today(world) - timedelta(days=10), name="Small")
    big = daily_group(world, dtstart=local_today(world) - timedelta(days=10), name="Big")
    few = _attendance_page_queries(world, small, client, 2)
    many = _attendance_page_queries(world, big, client, 6)
    assert few == many


def test_the_skill_taught_in_the_session_is_chosen_already(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    from trellis.practice.actions.library import do_link_topic

    group.topics = ["DEAR MAN"]
    group.save(update_fields=["topics"])
    skill = dear_man(world.organization)
    day = local_today(world) - timedelta(days=1)
    _mark(world, group, day, world.participant.episodes.get(), "present")
    page = client_for(world.clinician).get(sheet(group, day)).content.decode()
    assert f'<option value="skill:{skill.public_id}" selected>' not in page
    do_link_topic(world.director, group, "DEAR MAN", skill)
    page = client_for(world.clinician).get(sheet(group, day)).content.decode()
    assert f'<option value="skill:{skill.public_id}" selected>' in page
