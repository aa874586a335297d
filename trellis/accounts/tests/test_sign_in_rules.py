"""The sign-in rules hold on every path in: email sign-in, the admin's sign-in, the idle
clock from sign-in, and what a password reset does to a lockout (issue #10)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.personas import PASSWORD, World
from trellis.accounts import middleware
from trellis.accounts.actions import do_create_user, do_set_administrator
from trellis.audit.models import Action, Event, Outcome


def sign_in(client: Client, username: str, password: str, addr: str = "10.0.0.1") -> Any:
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def lock_out(username: str) -> None:
    for attempt in range(5):
        sign_in(Client(), username, "wrong", addr=f"10.0.0.{attempt + 20}")


def reset_password(client: Client, email: str, new_password: str) -> Any:
    mail.outbox.clear()
    client.post("/accounts/password-reset/", {"email": email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    return client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )


# -- email or username (item 11) -------------------------------------------------------------


def test_staff_member_signs_in_with_their_email_in_any_case(world: World) -> None:
    response = sign_in(Client(), "Dana.Director@Riverbend.test", PASSWORD)
    assert response.status_code == 302
    assert Event.objects.filter(actor=world.director, action=Action.SIGN_IN).exists()


def test_an_email_shared_by_two_active_accounts_signs_nobody_in(world: World) -> None:
    do_create_user(
        None, username="dana.two", password=PASSWORD, email="dana.director@riverbend.test"
    )
    response = sign_in(Client(), "dana.director@riverbend.test", PASSWORD)
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_failures_by_email_and_by_username_count_against_one_account(world: World) -> None:
    for attempt in range(3):
        sign_in(Client(), "dana.director", "wrong", addr=f"10.0.1.{attempt}")
    for attempt in range(2):
        sign_in(Client(), "dana.director@riverbend.test", "wrong", addr=f"10.0.2.{attempt}")
    assert sign_in(Client(), "dana.director", PASSWORD, addr="10.0.3.1").status_code == 429


# -- the admin's sign-in (item 2) --------------------------------------------------------------


def test_admin_sign_in_page_is_the_trellis_sign_in(world: World) -> None:
    response = Client().get("/admin/login/?next=/admin/programs/membership/")
    assert response.status_code == 302
    assert response["Location"] == ("/accounts/sign-in/?next=%2Fadmin%2Fprograms%2Fmembership%2F")


def test_admin_sign_in_form_cannot_sign_in_a_locked_account(world: World) -> None:
    do_set_administrator(None, world.director, is_administrator=True)
    lock_out("dana.director")
    client = Client()
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "dana.director", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.9.9",
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_sign_out_is_the_trellis_sign_out(world: World, client_for: Any) -> None:
    client = client_for(world.director)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert Event.objects.filter(actor=world.director, action=Action.SIGN_OUT).exists()


# -- the idle clock starts at sign-in (item 9) -----------------------------------------------


def test_session_with_no_request_after_sign_in_ends_after_the_idle_timeout(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in_at = time.time()
    client = Client()
    assert sign_in(client, "dana.director", PASSWORD).status_code == 302
    monkeypatch.setattr(time, "time", lambda: signed_in_at + 16 * 60)
    response = client.get("/participants/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?idle=1")


def test_session_without_an_idle_stamp_is_signed_out(world: World, client_for: Any) -> None:
    client = client_for(world.director)
    session = client.session
    del session[middleware.SESSION_KEY]
    session.save()
    assert client.get("/participants/").status_code == 302


# -- password reset and lockout (item 10) ----------------------------------------------------


def test_password_reset_lifts_the_account_lockout(world: World) -> None:
    lock_out("dana.director")
    assert sign_in(Client(), "dana.director", PASSWORD).status_code == 429
    done = reset_password(Client(), "dana.director@riverbend.test", "a brand new passphrase")
    assert done.status_code == 302
    assert sign_in(Client(), "dana.director", "a brand new passphrase").status_code == 302


def test_password_reset_does_not_lift_a_lockout_of_the_address(world: World) -> None:
    for attempt in range(5):
        sign_in(Client(), f"guess{attempt}", "wrong", addr="10.6.6.6")
    reset_password(Client(), "dana.director@riverbend.test", "a brand new passphrase")
    locked = sign_in(Client(), "dana.director", "a brand new passphrase", addr="10.6.6.6")
    assert locked.status_code == 429
    assert "from this network" in locked.content.decode()


def test_tries_during_a_lockout_are_audited_without_extending_it(world: World) -> None:
    lock_out("dana.director")
    before = Event.objects.filter(action=Action.SIGN_IN_FAILED).count()
    sign_in(Client(), "dana.director", PASSWORD)
    refused = Event.objects.filter(action=Action.SIGN_IN_FAILED).order_by("-id")
    assert refused.count() == before + 1
    assert refused[0].outcome == Outcome.DENIED
    assert refused[0].detail == {"reason": "locked", "lock": "account"}


def test_password_reset_request_and_completion_are_audited(world: World) -> None:
    reset_password(Client(), "dana.director@riverbend.test", "a brand new passphrase")
    steps = list(
        Event.objects.filter(action=Action.PASSWORD_RESET)
        .order_by("id")
        .values_list("detail__step", "actor_id")
    )
    assert steps == [("requested", None), ("completed", world.director.pk)]


def test_reset_emails_are_throttled_per_address_asked_for(world: World) -> None:
    client = Client()
    for _ in range(10):
        response = client.post(
            "/accounts/password-reset/", {"email": "dana.director@riverbend.test"}
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    refused = Event.objects.filter(action=Action.PASSWORD_RESET, outcome=Outcome.DENIED)
    assert refused.count() == 7


@override_settings(TRELLIS_PASSWORD_RESET_PER_ADDRESS_PER_HOUR=4)
def test_reset_emails_are_throttled_per_client_address(world: World) -> None:
    for persona in ["dana.director", "casey.clinician", "frankie.frontdesk"] * 2:
        Client().post(
            "/accounts/password-reset/",
            {"email": f"{persona}@riverbend.test"},
            REMOTE_ADDR="10.7.7.7",
        )
    assert len(mail.outbox) == 4


# -- every form that asks for a password has the same rules (item 2's pattern) ---------------


def test_handing_a_tablet_back_is_locked_after_five_wrong_passwords(
    world: World, client_for: Any
) -> None:
    from trellis.measures.tests.factories import open_checkin

    administration = open_checkin(world.participant)
    client = client_for(world.clinician)
    client.post(f"/measures/administrations/{administration.public_id}/hand-over/")
    for _ in range(5):
        assert client.post("/measures/tablet/return/", {"password": "guess"}).status_code == 422
    refused = client.post("/measures/tablet/return/", {"password": PASSWORD})
    assert refused.status_code == 422
    assert "Too many failed sign-ins" in refused.content.decode()
    assert Event.objects.filter(
        action=Action.SIGN_IN_FAILED, outcome=Outcome.DENIED, actor_label="casey.clinician"
    ).exists()


def test_wrong_passwords_when_creating_a_token_count_towards_the_lockout(
    world: World, client_for: Any
) -> None:
    client = client_for(world.clinician)
    for _ in range(5):
        client.post("/accounts/tokens/", {"name": "s", "expires_in_days": 30, "password": "x"})
    refused = client.post(
        "/accounts/tokens/", {"name": "s", "expires_in_days": 30, "password": PASSWORD}
    )
    assert refused.status_code == 422
    assert "Too many failed sign-ins" in refused.content.decode()
    assert sign_in(Client(), "casey.clinician", PASSWORD).status_code == 429
