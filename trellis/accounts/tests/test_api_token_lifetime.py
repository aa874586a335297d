"""API tokens do not outlive the password or the account, ask for the password, and expire
(issue #10, item 6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import admin
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World
from trellis.accounts.actions import do_create_api_token, do_set_administrator
from trellis.accounts.models import ApiToken, User
from trellis.audit.models import Action, Event


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_token_made_before_a_password_reset_stops_working(world: World) -> None:
    token, secret = do_create_api_token(world.clinician, name="scripts")
    client = Client()
    client.post("/accounts/password-reset/", {"email": "casey.clinician@riverbend.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_stops_working_when_the_password_changes_by_any_path(world: World) -> None:
    _, secret = do_create_api_token(world.clinician, name="scripts")
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 200
    world.clinician.set_password("changed at the command line")
    world.clinician.save(update_fields=["password"])
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_deactivating_a_user_in_the_admin_revokes_their_tokens(
    world: World, client_for: Callable[[User], Client]
) -> None:
    token, _ = do_create_api_token(world.clinician, name="scripts")
    do_set_administrator(None, world.director, is_administrator=True)
    user_admin = admin.site._registry[User]
    request = Client().request().wsgi_request
    request.user = world.director
    clinician = User.objects.get(pk=world.clinician.pk)
    # An unticked box is absent from the posted data: the form sees is_active change.
    form = user_admin.get_form(request, clinician, change=True)(instance=clinician, data={})
    assert "is_active" in form.changed_data
    clinician.is_active = False
    user_admin.save_model(request, clinician, form, change=True)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_creating_a_token_asks_for_the_password_again(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    refused = client.post(
        "/accounts/tokens/", {"name": "scripts", "expires_in_days": 30, "password": "guess"}
    )
    assert refused.status_code == 422
    assert "That is not your password" in refused.content.decode()
    assert not ApiToken.objects.filter(user=world.clinician).exists()
    made = client.post(
        "/accounts/tokens/", {"name": "scripts", "expires_in_days": 30, "password": PASSWORD}
    )
    assert made.status_code == 200
    assert ApiToken.objects.filter(user=world.clinician).count() == 1


def test_tokens_expire_after_90_days_by_default_and_never_later(world: World) -> None:
    token, _ = do_create_api_token(world.clinician, name="scripts")
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    longer, _ = do_create_api_token(world.clinician, name="asks for more", expires_in_days=400)
    assert longer.expires_at is not None
    assert longer.expires_at <= timezone.now() + timedelta(days=90)


def test_a_token_lifetime_longer_than_allowed_is_refused_by_the_form(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    for days in ("0", "365"):
        response = client.post(
            "/accounts/tokens/", {"name": "s", "expires_in_days": days, "password": PASSWORD}
        )
        assert response.status_code == 422
    assert not ApiToken.objects.filter(user=world.clinician).exists()


def test_a_password_set_in_the_admin_revokes_the_users_tokens_and_is_audited(
    world: World, client_for: Callable[[User], Client]
) -> None:
    token, secret = do_create_api_token(world.clinician, name="scripts")
    do_set_administrator(None, world.director, is_administrator=True)
    response = client_for(world.director).post(
        f"/admin/accounts/user/{world.clinician.pk}/password/",
        {
            "password1": "set by the administrator",
            "password2": "set by the administrator",
            "usable_password": "true",
            "set-password": "",
        },
    )
    assert response.status_code == 302, response.content
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert Event.objects.filter(
        action=Action.UPDATE, object_type="accounts.user", actor=world.director
    ).exists()


def test_the_admin_password_page_of_an_unknown_user_is_not_found(
    world: World, client_for: Callable[[User], Client]
) -> None:
    do_set_administrator(None, world.director, is_administrator=True)
    client = client_for(world.director)
    assert client.get("/admin/accounts/user/not-a-number/password/").status_code in {302, 404}
