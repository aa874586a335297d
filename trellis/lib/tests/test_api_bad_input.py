"""Bad input the API must answer with a clear 4xx (never a 500, never a partial write):
paging past any real data, oversized bodies, datetimes without a time zone, control
characters in names, clinical dates outside any plausible window."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.notes.models import Note
from trellis.notes.tests.factory import default_start
from trellis.participants.actions import check_set_planned_discharge
from trellis.participants.models import Participant
from trellis.participants.tests.test_api_register import valid


def fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["detail"]]


@pytest.mark.parametrize("path", ["/api/v1/participants", "/api/v1/episodes"])
@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 10**30])
def test_paging_far_past_any_data_is_a_422_naming_the_parameter(
    world: World, client_for: Callable[[User], Client], path: str, offset: int
) -> None:
    response = client_for(world.director).get(path, {"offset": offset})
    assert fields(response) == ["offset"]


def test_a_large_offset_within_the_bound_is_an_empty_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get("/api/v1/participants", {"offset": 1_000_000})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_oversized_body_is_a_413_with_a_json_message(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = json.dumps(valid(address_line1="x" * (5 * 1024 * 1024)))
    response = client_for(world.director).post(
        "/api/v1/participants", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]
    assert not Participant.objects.filter(mrn="MRN-3001").exists()


def note_body(**changes: Any) -> dict[str, Any]:
    start = default_start()
    body = {
        "format": "dap",
        "service": "individual_therapy",
        "modality": "video",
        "session_start": start.isoformat(),
        "session_end": (start + timedelta(minutes=50)).isoformat(),
    }
    return body | changes


@pytest.mark.parametrize("field", ["session_start", "session_end"])
def test_a_note_time_without_a_time_zone_is_a_422_naming_the_field(
    world: World, client_for: Callable[[User], Client], field: str
) -> None:
    client = client_for(world.clinician)
    url = f"/api/v1/notes/participants/{world.participant.public_id}"
    naive = note_body()[field][:19]  # "YYYY-MM-DDTHH:MM:SS", offset dropped
    assert field in fields(client.post(url, note_body(**{field: naive}), "application/json"))
    assert not Note.objects.exists()

    created = client.post(url, note_body(), "application/json")
    assert created.status_code == 201
    note = created.json()
    body = note_body(**{field: naive}) | {"revision": note["revision"]}
    assert field in fields(client.put(f"{url}/{note['public_id']}", body, "application/json"))


def test_a_note_about_a_session_in_year_one_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = note_body(
        session_start="0001-01-01T09:00:00+00:00", session_end="0001-01-01T10:00:00+00:00"
    )
    response = client_for(world.clinician).post(
        f"/api/v1/notes/participants/{world.participant.public_id}", body, "application/json"
    )
    assert "session_start" in fields(response)
    assert not Note.objects.exists()


@pytest.mark.parametrize("revision", [2**63, -1])
def test_a_revision_out_of_range_is_a_422(
    world: World, client_for: Callable[[User], Client], revision: int
) -> None:
    client = client_for(world.clinician)
    url = f"/api/v1/notes/participants/{world.participant.public_id}"
    note = client.post(url, note_body(), "application/json").json()
    body = note_body() | {"revision": revision}
    assert fields(client.put(f"{url}/{note['public_id']}", body, "application/json")) == [
        "revision"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", "Ada\x00"),
        ("family_name", "Lark\u202egnp.exe"),  # right-to-left override
        ("preferred_name", "A\u2066da"),  # left-to-right isolate
        ("emergency_contact_name", "Bo\x1bb"),
        ("family_name", "Lark\n"),
    ],
)
def test_names_with_control_characters_are_refused(
    world: World, client_for: Callable[[User], Client], field: str, value: str
) -> None:
    response = client_for(world.director).post(
        "/api/v1/participants", json.dumps(valid(**{field: value})), "application/json"
    )
    assert field in fields(response)
    assert not Participant.objects.filter(mrn="MRN-3001").exists()


def test_names_in_any_script_are_accepted(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).post(
        "/api/v1/participants",
        json.dumps(valid(given_name="Zoë", family_name="Nguyễn-O'Brien", preferred_name="عليّ")),
        "application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("planned", [date(9999, 12, 31), None])
def test_a_planned_discharge_must_be_within_a_year(world: World, planned: date | None) -> None:
    episode = world.participant.episodes.get()
    far = planned or org_today() + timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        check_set_planned_discharge(world.clinician, episode, far)
    assert "planned_discharge_on" in refused.value.message_dict
    episode.refresh_from_db()
    assert episode.planned_discharge_on is None


def test_schedule_dates_far_outside_the_calendar_are_refused_not_computed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from trellis.scheduling.tests.factory import daily_group

    series = daily_group(world)
    client = client_for(world.director)
    program = world.program.public_id
    window = client.get(
        "/api/v1/scheduling/occurrences",
        {"program": str(program), "start": "9999-12-01", "end": "9999-12-31"},
    )
    assert fields(window) == ["start"]
    attendance = client.get(
        f"/api/v1/scheduling/occurrences/{series.public_id}/9999-12-31/attendance"
    )
    assert attendance.status_code == 404
    hours = client.get(
        f"/api/v1/scheduling/participants/{world.participant.public_id}/hours",
        {"week": "9999-W52"},
    )
    assert fields(hours) == ["week"]
    body = {
        "track": str(world.evening.public_id), "name": "Far", "start_time": "18:00",
        "duration_minutes": 60, "rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "9999-12-27",
        "capacity": 10, "room": str(world.room.public_id),
    }  # fmt: skip
    created = client.post("/api/v1/scheduling/series", body, "application/json")
    assert "dtstart" in fields(created)
