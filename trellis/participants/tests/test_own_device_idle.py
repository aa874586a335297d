"""A participant on their own phone may stay signed in as long as their program allows
(docs/portal.md, "Accounts"); staff, a shared computer, and programs that set nothing keep
the site's idle timeout."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World, org_today
from trellis.accounts.idle import LIMIT_KEY
from trellis.accounts.middleware import SESSION_KEY
from trellis.participants.models import DischargeReason, EpisodeStatus
from trellis.programs.models import Program


def sign_in(world: World, username: str, *, own_device: bool) -> Client:
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if own_device:
        data["own_device"] = "on"
    assert client.post("/accounts/sign-in/", data).status_code == 302
    return client


def idle_for(client: Client, minutes: int) -> None:
    session = client.session
    session[SESSION_KEY] = time.time() - minutes * 60
    session.save()


def still_signed_in(client: Client, path: str) -> bool:
    return client.get(path).status_code == 200


def allow(world: World, minutes: int | None) -> None:
    Program.objects.filter(pk=world.program.pk).update(participant_idle_timeout_minutes=minutes)


def test_own_phone_stays_signed_in_as_long_as_the_program_allows(world: World) -> None:
    allow(world, 120)
    client = sign_in(world, world.participant_user.username, own_device=True)
    assert client.session[LIMIT_KEY] == 120 * 60
    idle_for(client, 90)
    assert still_signed_in(client, "/me/")
    idle_for(client, 121)
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?idle=1")


def test_a_shared_computer_gets_the_usual_timeout(world: World) -> None:
    allow(world, 120)
    client = sign_in(world, world.participant_user.username, own_device=False)
    assert LIMIT_KEY not in client.session
    idle_for(client, 16)
    assert not still_signed_in(client, "/me/")


def test_a_program_that_sets_nothing_keeps_the_usual_timeout(world: World) -> None:
    client = sign_in(world, world.participant_user.username, own_device=True)
    assert LIMIT_KEY not in client.session
    idle_for(client, 16)
    assert not still_signed_in(client, "/me/")


def test_staff_ticking_own_device_keep_the_usual_timeout(world: World) -> None:
    allow(world, 480)
    client = sign_in(world, world.clinician.username, own_device=True)
    assert LIMIT_KEY not in client.session
    idle_for(client, 16)
    assert not still_signed_in(client, "/participants/")


def test_only_open_episodes_count(world: World) -> None:
    """An alumnus keeps their sign-in (docs/portal.md) but no longer their program's longer
    timeout."""
    allow(world, 240)
    world.participant.episodes.update(
        status=EpisodeStatus.DISCHARGED,
        discharged_on=org_today(),
        discharge_reason=DischargeReason.COMPLETED,
    )
    client = sign_in(world, world.participant_user.username, own_device=True)
    assert LIMIT_KEY not in client.session


@pytest.mark.parametrize("minutes", [5, 481])
def test_the_programs_setting_is_bounded(world: World, minutes: int) -> None:
    program = Program.objects.get(pk=world.program.pk)
    program.participant_idle_timeout_minutes = minutes
    with pytest.raises(ValidationError, match="participant_idle_timeout_minutes"):
        program.full_clean()
