"""Assigning practice to one person from the chart's Practice tab, and excusing it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.practice.models.assignments import Assignment, AssignmentStatus, Frequency
from trellis.practice.tests.helpers import assign_practice, dear_man

Clients = Callable[[User], Client]


def tab(world: World) -> str:
    return f"/participants/{world.participant.public_id}/practice/"


def form(world: World, **overrides: Any) -> dict[str, Any]:
    skill = dear_man(world.organization)
    return {
        "focus": f"skill:{skill.public_id}",
        "title": "",
        "due_on": f"{org_today() + timedelta(days=6):%Y-%m-%d}",
        "frequency": Frequency.TIMES,
        "times_required": "3",
        "note": "Try it with your manager",
        "batch_key": str(uuid.uuid4()),
    } | overrides


def test_the_care_team_assigns_to_one_person_from_the_tab(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.clinician)
    page = client.get(tab(world)).content.decode()
    assert "Assign practice to" in page
    data = form(world)
    response = client.post(tab(world) + "assign/", data, follow=True)
    assert response.status_code == 200
    assert "Practice assigned: Practise DEAR MAN and log it." in response.content.decode()
    assignment = Assignment.objects.get(participant=world.participant)
    assert assignment.episode == world.participant.episodes.get()
    assert (assignment.times_required, assignment.frequency) == (3, Frequency.TIMES)
    assert assignment.note == "Try it with your manager"
    assert assignment.assigned_by == world.clinician
    assert assignment.occurrence is None
    assert "Practise DEAR MAN and log it" in client.get(tab(world)).content.decode()
    # A double submit from a flaky connection stores one assignment.
    client.post(tab(world) + "assign/", data)
    assert Assignment.objects.filter(participant=world.participant).count() == 1
    assert Event.objects.filter(
        object_type="practice.assignment", object_id=str(assignment.public_id)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_on": "2020-01-01"}, "Due"),
        ({"focus": "skill:" + str(uuid.uuid4())}, "Skill or worksheet"),
        ({"times_required": "40"}, "Times"),
        ({"due_on": ""}, "Due"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: World, client_for: Clients, overrides: dict[str, str], message: str
) -> None:
    response = client_for(world.clinician).post(
        tab(world) + "assign/", form(world, **overrides), follow=True
    )
    assert response.status_code == 200
    assert f"{message}:" in response.content.decode()
    assert not Assignment.objects.filter(participant=world.participant).exists()


@pytest.mark.parametrize("persona", ["front_desk", "outsider", "other_clinician", "participant"])
def test_only_the_care_team_assigns_or_excuses(
    world: World, client_for: Clients, persona: str
) -> None:
    client = client_for(world.personas[persona])
    assert "Assign practice to" not in client.get(tab(world)).content.decode()
    response = client.post(tab(world) + "assign/", form(world))
    assert response.status_code in (403, 404)
    assert not Assignment.objects.filter(participant=world.participant).exists()
    assignment = assign_practice(world)
    response = client.post(f"/practice/assignments/{assignment.public_id}/excuse/")
    assert response.status_code in (403, 404)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_excusing_stops_counting_and_is_refused_for_done_practice(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.clinician)
    assignment = assign_practice(world)
    page = client.get(tab(world)).content.decode()
    assert f"/practice/assignments/{assignment.public_id}/excuse/" in page
    response = client.post(f"/practice/assignments/{assignment.public_id}/excuse/", follow=True)
    assert "Excused:" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.EXCUSED
    # Excused practice is no longer open, and excusing it again changes nothing.
    assert f"/practice/assignments/{assignment.public_id}/excuse/" not in response.content.decode()
    again = client.post(f"/practice/assignments/{assignment.public_id}/excuse/", follow=True)
    assert "Only open or missed practice can be excused." in again.content.decode()
