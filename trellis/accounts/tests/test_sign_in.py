"""Staff sign-in, sign-out, throttling, idle timeout and password reset."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.personas import PASSWORD, World
from trellis.accounts.middleware import SESSION_KEY
from trellis.accounts.models import User
from trellis.audit.models import Action, Event


def sign_in(client: Client, username: str, password: str, addr: str = "10.0.0.1") -> Any:
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def test_staff_member_signs_in_and_lands_on_today(world: World) -> None:
    client = Client()
    response = sign_in(client, "dana.director", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    today = client.get("/")
    assert today.status_code == 200
    assert "Today" in today.content.decode()
    assert Event.objects.filter(actor=world.director, action=Action.SIGN_IN).exists()


def test_wrong_password_gives_a_clear_message_and_is_audited(world: World) -> None:
    response = sign_in(Client(), "dana.director", "not the password")
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    failure = Event.objects.get(action=Action.SIGN_IN_FAILED)
    assert failure.actor_label == "dana.director"


def test_sign_in_redirects_only_to_local_next_url(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/sign-in/?next=https://evil.example/",
        {"username": "dana.director", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": "dana.director", "password": PASSWORD, "next": "/programs/"},
    )
    assert response["Location"] == "/programs/"


def test_five_failures_lock_the_account_even_with_the_right_password(world: World) -> None:
    client = Client()
    for attempt in range(5):
        sign_in(client, "dana.director", "wrong", addr=f"10.0.0.{attempt + 10}")
    response = sign_in(client, "dana.director", PASSWORD, addr="10.0.9.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address_for_other_accounts(
    world: World,
) -> None:
    for attempt in range(5):
        sign_in(Client(), f"guess{attempt}", "wrong", addr="10.6.6.6")
    locked = sign_in(Client(), "casey.clinician", PASSWORD, addr="10.6.6.6")
    assert locked.status_code == 429
    elsewhere = sign_in(Client(), "casey.clinician", PASSWORD, addr="10.1.1.1")
    assert elsewhere.status_code == 302


@override_settings(TRELLIS_SIGNIN_LOCK_MINUTES=0, TRELLIS_SIGNIN_WINDOW_MINUTES=0)
def test_lock_ends_after_the_lock_period(world: World) -> None:
    for _ in range(5):
        sign_in(Client(), "dana.director", "wrong")
    response = sign_in(Client(), "dana.director", PASSWORD)
    assert response.status_code == 302


def test_four_failures_do_not_lock(world: World) -> None:
    for _ in range(4):
        sign_in(Client(), "dana.director", "wrong")
    assert sign_in(Client(), "dana.director", PASSWORD).status_code == 302


def test_inactive_user_cannot_sign_in(world: World) -> None:
    world.director.is_active = False
    world.director.save(update_fields=["is_active"])
    response = sign_in(Client(), "dana.director", PASSWORD)
    assert response.status_code == 200


def test_sign_out_needs_post_and_ends_the_session(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert client.get("/participants/").status_code == 302
    assert Event.objects.filter(actor=world.director, action=Action.SIGN_OUT).exists()


def test_idle_session_asks_to_sign_in_again(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    assert client.get("/participants/").status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 16 * 60
    session.save()
    response = client.get("/participants/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?idle=1")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "signed out after a period of inactivity" in page.content.decode()


def test_idle_htmx_request_redirects_the_whole_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    client.get("/participants/")
    session = client.session
    session[SESSION_KEY] = time.time() - 16 * 60
    session.save()
    response = client.get("/participants/?q=a", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/sign-in/?idle=1")


@override_settings(TRELLIS_IDLE_TIMEOUT_MINUTES=60)
def test_idle_timeout_is_configurable(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.director)
    client.get("/participants/")
    session = client.session
    session[SESSION_KEY] = time.time() - 16 * 60
    session.save()
    assert client.get("/participants/").status_code == 200


def test_password_reset_sends_an_email_without_health_information(world: World) -> None:
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "dana.director@riverbend.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Trellis password"
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "dana.director", "a brand new passphrase").status_code == 302


@pytest.mark.parametrize("email", ["nobody@riverbend.test", "not-an-email"])
def test_password_reset_does_not_reveal_unknown_addresses(world: World, email: str) -> None:
    response = Client().post("/accounts/password-reset/", {"email": email})
    assert len(mail.outbox) == 0
    assert response.status_code in {200, 302}
