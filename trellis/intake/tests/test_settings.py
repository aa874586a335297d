"""A program's intake settings: its directors set the reply time and the web-form notice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import World
from trellis.accounts.models import User
from trellis.intake.models import DEFAULT_REPLY_DAYS, IntakeSettings

pytestmark = pytest.mark.django_db


def test_a_director_sets_the_reply_time_from_the_setup_hub(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    hub = client.get(reverse("programs:setup", args=[world.program.public_id])).content.decode()
    url = reverse("intake:settings", args=[world.program.public_id])
    assert url in hub
    assert IntakeSettings.for_program(world.program).reply_within_days == DEFAULT_REPLY_DAYS
    page = client.get(url).content.decode()
    assert reverse("intake:inquire", args=[world.program.public_id]) in page
    refused = client.post(url, {"reply_within_days": "0", "notify_email": ""})
    assert "greater than or equal to 1" in refused.content.decode()
    client.post(url, {"reply_within_days": "2", "notify_email": "intake@example.test"})
    saved = IntakeSettings.for_program(world.program)
    assert (saved.reply_within_days, saved.notify_email) == (2, "intake@example.test")


@pytest.mark.parametrize("persona", ["intake", "front_desk", "clinician", "outsider"])
def test_only_directors_change_it(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    url = reverse("intake:settings", args=[world.program.public_id])
    response = client_for(world.personas[persona]).post(url, {"reply_within_days": "5"})
    assert response.status_code == 404
    assert not IntakeSettings.objects.exists()
