"""The scheduling API at /api/v1/scheduling/ (mounted in trellis/api.py with
`api.add_router("/scheduling/", router)`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling.models import Attendance, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today

API = "/api/v1/scheduling"
Clients = Callable[[User], Client]


def post(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def series_body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "track": str(world.evening.public_id), "name": "DBT skills", "start_time": "18:00",
        "duration_minutes": 150, "rrule": "FREQ=WEEKLY;BYDAY=MO,WE", "dtstart": "2027-01-04",
        "capacity": 10, "room": str(world.room.public_id),
        "facilitators": [str(world.clinician.public_id)], "topics": ["A", "B"],
    }  # fmt: skip
    body.update(changes)
    return body


def test_a_director_creates_reads_and_splits_a_series(world: World, client_for: Clients) -> None:
    client = client_for(world.director)
    created = post(client, f"{API}/series", series_body(world))
    assert created.status_code == 201, created.content
    series_id = created.json()["public_id"]
    assert created.json()["description"] == "Mon, Wed weekly"
    assert client.get(f"{API}/series/{series_id}").json()["name"] == "DBT skills"
    listed = client.get(f"{API}/series", {"program": str(world.program.public_id)}).json()
    assert [s["public_id"] for s in listed] == [series_id]
    split = post(
        client,
        f"{API}/series/{series_id}",
        {"start_time": "17:30", "from_date": "2027-02-01"},
        "patch",
    )
    assert split.status_code == 200
    assert split.json()["split_from"] == series_id
    occurrences = client.get(
        f"{API}/occurrences",
        {"program": str(world.program.public_id), "start": "2027-01-25", "end": "2027-02-03"},
    ).json()
    assert [(o["date"], o["starts_at"][11:16]) for o in occurrences] == [
        ("2027-01-25", "18:00"), ("2027-01-27", "18:00"),
        ("2027-02-01", "17:30"), ("2027-02-03", "17:30"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"rrule": "FREQ=MONTHLY"}, "rrule"), ({"duration_minutes": 2}, "duration_minutes"),
     ({"room": None}, "room"), ({"rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260101"}, "rrule")],
)  # fmt: skip
def test_bad_series_input_is_a_422_naming_the_field(
    world: World, client_for: Clients, changes: dict[str, Any], field: str
) -> None:
    response = post(client_for(world.director), f"{API}/series", series_body(world, **changes))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]
    assert not SessionSeries.objects.exists()


def test_clinicians_cannot_create_series_and_outsiders_see_nothing(
    world: World, client_for: Clients
) -> None:
    assert post(client_for(world.clinician), f"{API}/series", series_body(world)).status_code == 403
    program = {"program": str(world.program.public_id), "start": "2027-01-01", "end": "2027-01-07"}
    assert client_for(world.outsider).get(f"{API}/occurrences", program).status_code == 404


def test_attendance_read_and_write_through_the_api(world: World, client_for: Clients) -> None:
    group = daily_group(world, dtstart=local_today(world) - timedelta(days=5))
    enroll(group, world.participant)
    day = local_today(world) - timedelta(days=1)
    episode = world.participant.episodes.get()
    base = f"{API}/occurrences/{group.public_id}/{day:%Y-%m-%d}/attendance"
    client = client_for(world.clinician)
    rows = client.get(base).json()
    assert [(r["display_name"], r["status"]) for r in rows] == [("Patricia Quillfeather", None)]
    put = post(client, f"{base}/{episode.public_id}", {"status": "late", "minutes_late": 20}, "put")
    assert put.status_code == 200
    assert put.json()[0]["minutes_attended"] == 70
    other = world.other_participant.episodes.get()
    refused = post(
        client_for(world.director), f"{base}/{other.public_id}", {"status": "present"}, "put"
    )
    assert refused.status_code == 422
    assert "walk-in" in refused.json()["detail"][0]["message"]
    assert client_for(world.other_clinician).get(base).status_code == 403
    assert Attendance.objects.count() == 1


def test_hours_ledger_is_clinical(world: World, client_for: Clients) -> None:
    url = f"{API}/participants/{world.participant.public_id}/hours"
    got = client_for(world.clinician).get(url, {"week": "2026-W45"})
    assert got.status_code == 200
    assert got.json()["min_hours"] == "9.0"
    assert client_for(world.front_desk).get(url).status_code == 404
    assert client_for(world.clinician).get(url, {"week": "soon"}).status_code == 422


def test_feed_urls_are_created_and_revoked(world: World, client_for: Clients) -> None:
    client = client_for(world.front_desk)
    created = post(
        client,
        f"{API}/feeds",
        {"kind": "participant", "participant": str(world.participant.public_id)},
    )
    assert created.status_code == 201
    path = created.json()["url"].split("testserver", 1)[1]
    assert Client().get(path).status_code == 200
    assert client.delete(f"{API}/feeds/{created.json()['public_id']}").status_code == 204
    assert Client().get(path).status_code == 404
    denied = post(
        client_for(world.clinician),
        f"{API}/feeds",
        {"kind": "participant", "participant": str(world.participant.public_id)},
    )
    assert denied.status_code == 403
