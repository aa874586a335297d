"""The participant's notification preferences at /me/notifications/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from django.test import Client, override_settings

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.notifications.models import Channel, Preference
from trellis.programs.models import Program

URL = "/me/notifications/"
VALID = {
    "message_channel": "email",
    "checkin_channel": "email",
    "session_channel": "none",
    "quiet": "on",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "digest": "",
    "digest_hour": "18",
}


def post(client: Client, **changes: str) -> Any:
    return client.post(URL, {**VALID, **changes})


def test_the_page_shows_the_defaults_with_the_crisis_line(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.participant_user).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Notifications" in body
    assert 'name="message_channel" value="email" checked' in body
    assert "America/Chicago" in body
    assert "988" in body
    assert not Preference.objects.exists()  # the defaults are not stored by looking


def test_the_crisis_line_names_the_programs_after_hours_number(
    world: World, client_for: Callable[[User], Client]
) -> None:
    Program.objects.filter(pk=world.program.pk).update(crisis_phone="312-555-0199")
    body = client_for(world.participant_user).get(URL).content.decode()
    assert 'href="tel:312-555-0199"' in body


def test_saving_stores_the_choices_and_audits_them(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    response = post(client)
    assert response.status_code == 302
    preference = Preference.objects.get(participant=world.participant)
    assert preference.session_channel == Channel.NONE
    assert (preference.quiet_start, preference.quiet_end) == (time(21), time(8))
    event = Event.objects.get(action=Action.UPDATE, object_type="notifications.preference")
    assert event.participant == world.participant
    assert event.detail["quiet_hours"] is True
    page = client.get(URL).content.decode()
    assert "Your notification settings are saved." in page
    assert 'name="session_channel" value="none" checked' in page


def test_quiet_hours_that_end_when_they_start_are_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = post(client_for(world.participant_user), quiet_end="21:00")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Quiet hours must end at a different time than they start." in body
    assert 'id="quiet_end-error"' in body
    assert "Nothing was saved." in body
    assert not Preference.objects.exists()


def test_an_unknown_channel_or_time_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    response = post(client, message_channel="pigeon", quiet_start="25:99", digest_hour="x")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="message_channel-error">Choose email, text message or off.' in body
    assert 'id="quiet_start-error">Enter a time such as 21:00.' in body
    assert 'id="digest_hour-error">' in body
    assert not Preference.objects.exists()


def test_text_needs_consent_and_then_records_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    refused = post(client, message_channel="text")
    assert refused.status_code == 400
    assert "To get text messages, agree to be texted at this number." in refused.content.decode()
    assert not Preference.objects.exists()
    assert post(client, message_channel="text", text_consent="on").status_code == 302
    preference = Preference.objects.get()
    assert preference.message_channel == Channel.TEXT
    assert preference.text_consent_at is not None
    assert preference.text_consent_to == world.participant.phone


@override_settings(TRELLIS_SMS_BACKEND="trellis.lib.sms.DisabledBackend")
def test_text_is_refused_when_texting_is_not_set_up(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    assert "I agree to get text messages" not in client.get(URL).content.decode()
    refused = post(client, checkin_channel="text", text_consent="on")
    assert refused.status_code == 400
    assert 'id="checkin_channel-error">Trellis cannot send text messages' in (
        refused.content.decode()
    )


def test_staff_go_to_their_today(world: World, client_for: Callable[[User], Client]) -> None:
    response = client_for(world.clinician).get(URL)
    assert response.status_code == 302
    assert not Preference.objects.exists()
