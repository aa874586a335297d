"""Assignments as FHIR R4B Task, worksheet entries as QuestionnaireResponse: valid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.task import Task

from tests.personas import World
from trellis.practice.actions.assignments import (
    EntryData,
    do_excuse,
    do_record_entry,
)
from trellis.practice.fhir import questionnaire_response, task
from trellis.practice.models.assignments import Assignment
from trellis.practice.tests.helpers import assign_practice, dear_man, skill_practice_log

Assign = Callable[..., Assignment]


@pytest.fixture
def assign(world: World) -> Assign:
    """Assign to the participant from today, by their clinician: DEAR MAN once, due in two
    days, unless the test says otherwise."""

    def make(**overrides: Any) -> Assignment:
        return assign_practice(world, **overrides)

    return make


def test_a_skill_assignment_is_a_valid_task(world: World, assign: Assign) -> None:
    today = world.organization.today()
    a = assign(
        title="Practise DEAR MAN 3 times",
        due_on=today + timedelta(days=6),
        frequency="times",
        times_required=3,
    )
    resource = task(a)
    parsed = Task.model_validate(resource)
    assert parsed.status == "requested"
    assert resource["for"]["reference"] == f"Patient/{world.participant.public_id}"
    assert resource["executionPeriod"]["end"] == (today + timedelta(days=6)).isoformat()
    assert resource["restriction"]["repetitions"] == 3
    do_excuse(world.clinician, a)
    a.refresh_from_db()
    assert task(a)["status"] == "cancelled"


def test_a_worksheet_entry_is_a_valid_questionnaire_response(world: World, assign: Assign) -> None:
    today = world.organization.today()
    sheet = skill_practice_log(world.organization)
    skill = dear_man(world.organization)
    a = assign(title="Skill practice log", skill=None, worksheet=sheet)
    entry = do_record_entry(
        world.participant_user,
        a,
        EntryData(
            practiced_on=today,
            idempotency_key="fhir-1",
            answers={"situation": "Work", "skill": str(skill.public_id), "how_it_went": 6},
        ),
    )
    a.refresh_from_db()
    assert task(a)["focus"]["reference"] == f"Questionnaire/{sheet.public_id}"
    assert task(a)["status"] == "completed"
    resource = questionnaire_response(entry)
    QuestionnaireResponse.model_validate(resource)
    assert resource["basedOn"] == [{"reference": f"Task/{a.public_id}"}]
    assert {"linkId": "how_it_went", "text": "How it went", "answer": [{"valueInteger": 6}]} in (
        resource["item"]
    )


def test_the_api_gives_the_task_to_the_care_team_only(
    world: World, client_for: Any, assign: Assign
) -> None:
    a = assign()
    url = f"/api/v1/practice/assignments/{a.public_id}"
    assert client_for(world.clinician).get(url).json()["resourceType"] == "Task"
    assert client_for(world.other_clinician).get(url).status_code == 404
    assert client_for(world.front_desk).get(url).status_code == 404
    assert client_for(world.clinician).get(f"{url}/responses").json() == []
