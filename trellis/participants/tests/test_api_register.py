"""Registering participants over the API: who may, and every bad input answered with 422
naming the field, never a 500 and never a partial write."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import Episode, Participant

URL = "/api/v1/participants"


def valid(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "mrn": "MRN-3001",
        "given_name": "Ada",
        "family_name": "Lark",
        "date_of_birth": "1985-02-03",
        "phone": "555-0199",
    }
    payload.update(changes)
    return payload


def post(client: Client, payload: dict[str, Any]) -> Any:
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


def fields_in(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}


def test_intake_coordinator_registers_and_enrolls_a_participant(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(
        client_for(world.intake),
        valid(
            program=str(world.program.public_id),
            track=str(world.morning.public_id),
            status="waitlist",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mrn"] == "MRN-3001"
    assert body["current_episode"]["status"] == "waitlist"
    assert body["current_episode"]["track"]["name"] == "Morning"
    participant = Participant.objects.get(public_id=body["public_id"])
    assert Event.objects.filter(participant=participant, action=Action.CREATE).count() == 2


def test_director_registers_a_participant_without_an_episode(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(client_for(world.director), valid())
    assert response.status_code == 201, response.content
    assert response.json()["episodes"] == []
    assert not Episode.objects.filter(participant__mrn="MRN-3001").exists()


@pytest.mark.parametrize("persona", ["clinician", "front_desk", "compliance", "outsider"])
def test_staff_without_registration_rights_get_403(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    before = Participant.objects.count()
    response = post(client_for(world.personas[persona]), valid())
    assert response.status_code == 403
    assert "register" in response.json()["detail"]
    assert Participant.objects.count() == before


BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("duplicate MRN", {"mrn": "MRN-1001"}, "mrn"),
    ("duplicate MRN in other case", {"mrn": "mrn-1001"}, "mrn"),
    ("MRN with a control character", {"mrn": "MRN\u202e1"}, "mrn"),
    ("language not in the list", {"language": "klingon"}, "language"),
    ("MRN too long", {"mrn": "M" * 31}, "mrn"),
    ("birth in the future", {"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ("birth before 1900", {"date_of_birth": "1850-01-01"}, "date_of_birth"),
    ("impossible date", {"date_of_birth": "1990-02-30"}, "date_of_birth"),
    ("not a date", {"date_of_birth": "yesterday"}, "date_of_birth"),
    ("date as a number", {"date_of_birth": 19900101}, "date_of_birth"),
    ("missing date of birth", {"date_of_birth": None}, "date_of_birth"),
    ("bad state", {"state": "O1"}, "state"),
    ("bad email", {"email": "nobody"}, "email"),
    ("unknown program", {"program": "00000000-0000-0000-0000-000000000000"}, "program"),
    ("program id that is no UUID", {"program": "12"}, "program"),
    ("track without program", {"track": "00000000-0000-0000-0000-000000000000"}, "program"),
    ("unknown status", {"status": "admitted"}, "status"),
]


@pytest.mark.parametrize(
    ("changes", "field"), [(c, f) for _, c, f in BAD_INPUTS], ids=[n for n, _, _ in BAD_INPUTS]
)
def test_bad_input_gets_422_naming_the_field_and_writes_nothing(
    world: World, client_for: Callable[[User], Client], changes: dict[str, Any], field: str
) -> None:
    before = (Participant.objects.count(), Episode.objects.count())
    response = post(client_for(world.director), valid(**changes))
    assert field in fields_in(response)
    assert all(e["message"] for e in response.json()["detail"])
    assert (Participant.objects.count(), Episode.objects.count()) == before


def test_admission_before_birth_gets_422_naming_admitted_on(
    world: World, client_for: Callable[[User], Client]
) -> None:
    before = Participant.objects.count()
    response = post(
        client_for(world.director),
        valid(
            program=str(world.program.public_id),
            status="active",
            date_of_birth="1985-02-03",
            admitted_on="1984-12-31",
        ),
    )
    assert fields_in(response) == {"admitted_on"}
    assert Participant.objects.count() == before


def test_active_episode_without_admission_date_gets_422(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(
        client_for(world.director), valid(program=str(world.program.public_id), status="active")
    )
    assert fields_in(response) == {"admitted_on"}


def test_program_the_user_does_not_register_in_gets_422_naming_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    before = Participant.objects.count()
    response = post(client_for(world.intake), valid(program=str(world.sud_program.public_id)))
    assert fields_in(response) == {"program"}
    assert Participant.objects.count() == before


def test_track_of_another_program_gets_422_naming_track(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(
        client_for(world.director),
        valid(program=str(world.program.public_id), track=str(world.sud_track.public_id)),
    )
    assert fields_in(response) == {"track"}


def test_discharged_is_not_a_status_for_a_new_episode(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(
        client_for(world.director),
        valid(program=str(world.program.public_id), status="discharged"),
    )
    assert fields_in(response) == {"status"}


def test_admission_far_in_the_future_gets_422(
    world: World, client_for: Callable[[User], Client]
) -> None:
    far = (org_today() + timedelta(days=400)).isoformat()
    response = post(
        client_for(world.director),
        valid(program=str(world.program.public_id), status="planned", admitted_on=far),
    )
    assert fields_in(response) == {"admitted_on"}


def test_unparseable_body_gets_400_json(world: World, client_for: Callable[[User], Client]) -> None:
    response = client_for(world.director).post(
        URL, data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_validation_errors_have_one_shape_for_schema_and_rules(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    schema_error = post(client, valid(date_of_birth="soon")).json()["detail"][0]
    rule_error = post(client, valid(mrn="MRN-1001")).json()["detail"][0]
    assert set(schema_error) == set(rule_error) == {"field", "message", "loc", "type"}
    assert schema_error["loc"] == ["body", "date_of_birth"]
    assert rule_error["loc"] == ["body", "mrn"]
