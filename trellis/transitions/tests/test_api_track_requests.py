"""A track-change request through the API (/api/v1/transitions/me/track-request): the
page's queries and actions, the caller's own request only, refusals name the field and
store nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event, Outcome
from trellis.transitions.models import TrackChangeRequest, TrackRequestStatus
from trellis.worklist.models import Alert, AlertKind, AlertStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/transitions/me/track-request"
REASON = "My new job starts at five, evenings no longer work"


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def test_see_the_tracks_ask_see_the_request_and_withdraw_it(world: World) -> None:
    phone = token_client(world.participant_user)
    shown = phone.get(URL).json()
    assert shown["can_ask"] is True
    assert shown["current_track"] == "Evening"
    assert [t["name"] for t in shown["tracks"]] == ["Morning"]  # never their own
    assert shown["request"] is None

    start = (org_today() + timedelta(days=7)).isoformat()
    body = {"track": str(world.morning.public_id), "starting_from": start, "reason": REASON}
    sent = post(phone, URL, body)
    assert sent.status_code == 201, sent.content
    assert sent.json()["pending"] is True
    assert sent.json()["track"]["name"] == "Morning"
    request = TrackChangeRequest.objects.get()
    assert (request.track, request.reason) == (world.morning, REASON)
    assert Alert.objects.get(kind=AlertKind.TASK).status == AlertStatus.OPEN
    assert phone.get(URL).json()["request"]["public_id"] == str(request.public_id)

    second = post(phone, URL, body)  # one with the team already: withdraw it first
    assert second.status_code == 422
    assert TrackChangeRequest.objects.count() == 1

    withdrawn = post(phone, f"{URL}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == TrackRequestStatus.WITHDRAWN
    assert withdrawn.json()["pending"] is False
    assert Alert.objects.get(kind=AlertKind.TASK).status == AlertStatus.RESOLVED
    again = post(phone, f"{URL}/withdraw")  # nothing with the team now
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "track"),
        ({"track": "not-an-id"}, "track"),
        ({"track": "EVENING"}, "track"),  # their own track
        ({"track": "SUD"}, "track"),  # another program's track
        ({"track": "MORNING", "starting_from": "2001-01-01"}, "starting_from"),
        ({"track": "MORNING", "starting_from": "someday"}, "starting_from"),
        ({"track": "MORNING", "reason": "x" * 501}, "reason"),
    ],
)
def test_bad_requests_name_the_field_and_store_nothing(
    world: World, body: dict[str, Any], field: str
) -> None:
    ids = {"EVENING": world.evening, "SUD": world.sud_track, "MORNING": world.morning}
    if body.get("track") in ids:
        body = body | {"track": str(ids[body["track"]].public_id)}
    response = post(token_client(world.participant_user), URL, body)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["detail"]}
    assert not TrackChangeRequest.objects.exists()
    assert not Alert.objects.filter(kind=AlertKind.TASK).exists()


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "outsider"])
def test_anyone_who_is_not_a_participant_gets_the_audited_404(world: World, persona: str) -> None:
    user = world.personas[persona]
    client = token_client(user)
    assert client.get(URL).status_code == 404
    body = {"track": str(world.morning.public_id)}
    assert post(client, URL, body).status_code == 404
    assert post(client, f"{URL}/withdraw").status_code == 404
    assert Event.objects.filter(actor=user, outcome=Outcome.DENIED).count() == 3
    assert not TrackChangeRequest.objects.exists()


def test_signed_out_gets_401(db: None) -> None:
    assert Client().get(URL).status_code == 401
