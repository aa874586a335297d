"""Notification preferences through the API (/api/v1/notifications/me/preferences): the
page's access function, checks and action; the caller's own only; refusals name the field
and store nothing."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.notifications.models import Preference

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/me/preferences"
VALID = {
    "message_channel": "email",
    "checkin_channel": "email",
    "session_channel": "none",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "digest": True,
    "digest_hour": 19,
}


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def put(client: Client, body: dict[str, Any]) -> Any:
    return client.put(URL, body, content_type="application/json")


def test_read_the_defaults_then_save_and_read_back(world: World) -> None:
    phone = token_client(world.participant_user)
    shown = phone.get(URL).json()
    assert shown["message_channel"] == "email"
    assert (shown["quiet_start"], shown["digest"]) == (None, False)
    assert shown["time_zone"] == "America/Chicago"
    assert not Preference.objects.exists()  # looking stores nothing

    saved = put(phone, VALID)
    assert saved.status_code == 200, saved.content
    preference = Preference.objects.get(participant=world.participant)
    assert (preference.session_channel, preference.quiet_start) == ("none", time(21, 0))
    assert (preference.digest, preference.digest_hour) == (True, 19)
    assert saved.json()["quiet_end"] == "08:00"
    assert phone.get(URL).json()["digest_hour"] == 19
    assert Event.objects.filter(
        actor=world.participant_user, object_type="notifications.preference", action=Action.UPDATE
    ).exists()

    put(phone, VALID | {"quiet_start": None, "quiet_end": None})
    preference.refresh_from_db()
    assert (preference.quiet_start, preference.quiet_end) == (None, None)


def test_text_needs_consent_and_then_records_it(world: World) -> None:
    phone = token_client(world.participant_user)
    refused = put(phone, VALID | {"message_channel": "text"})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["detail"]} == {"text_consent"}
    assert not Preference.objects.exists()
    agreed = put(phone, VALID | {"message_channel": "text", "text_consent": True})
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["text_consent"] is True
    assert Preference.objects.get().text_consent_to == world.participant.phone


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message_channel": "pigeon"}, "message_channel"),
        ({"quiet_start": "9pm"}, "quiet_start"),
        ({"quiet_end": None}, "quiet_end"),
        ({"quiet_end": "21:00"}, "quiet_end"),
        ({"digest_hour": 24}, "digest_hour"),
        ({"digest_hour": "evening"}, "digest_hour"),
    ],
)
def test_bad_choices_name_the_field_and_store_nothing(
    world: World, changes: dict[str, Any], field: str
) -> None:
    response = put(token_client(world.participant_user), VALID | changes)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["detail"]}
    assert not Preference.objects.exists()


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "outsider"])
def test_anyone_who_is_not_a_participant_gets_the_audited_404(world: World, persona: str) -> None:
    user = world.personas[persona]
    client = token_client(user)
    assert client.get(URL).status_code == 404
    assert put(client, VALID).status_code == 404
    denied = Event.objects.filter(actor=user, outcome=Outcome.DENIED)
    assert denied.count() == 2
    assert not Preference.objects.exists()


def test_signed_out_gets_401(db: None) -> None:
    assert Client().get(URL).status_code == 401
