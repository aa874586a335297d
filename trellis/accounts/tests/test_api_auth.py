"""Who gets into the JSON API: browser sessions (with CSRF on writes) and personal tokens."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.personas import World
from trellis.accounts.actions import do_create_api_token, do_revoke_api_token
from trellis.accounts.models import ApiToken, User
from trellis.participants.models import Participant

CSRF_SECRET = "a" * 32  # any 32 letters form a valid CSRF secret for Django's check


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_participant() -> str:
    return json.dumps(
        {
            "mrn": "MRN-9001",
            "given_name": "Ada",
            "family_name": "Lark",
            "date_of_birth": "1985-02-03",
        }
    )


def test_request_without_credentials_gets_401_json_saying_how_to_authenticate(
    world: World,
) -> None:
    response = Client().get("/api/v1/participants")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_signed_in_session_reads_the_api(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "dana.director"


def test_session_post_without_csrf_token_is_refused_with_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.director)
    before = Participant.objects.count()
    response = client.post(
        "/api/v1/participants", data=new_participant(), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Participant.objects.count() == before


def test_session_post_with_csrf_token_registers_the_participant(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.director)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post(
        "/api/v1/participants",
        data=new_participant(),
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_SECRET},
    )
    assert response.status_code == 201, response.content
    assert Participant.objects.filter(mrn="MRN-9001").exists()


def test_session_get_needs_no_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.director)
    assert client.get("/api/v1/participants").status_code == 200


def test_api_token_reads_as_its_owner(world: World) -> None:
    _, secret = do_create_api_token(world.clinician, name="scripts")
    response = Client().get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "casey.clinician"


def test_api_token_writes_without_csrf_token(world: World) -> None:
    _, secret = do_create_api_token(world.intake, name="intake sync")
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/participants",
        data=new_participant(),
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 201, response.content


def test_api_token_use_is_remembered(world: World) -> None:
    token, secret = do_create_api_token(world.clinician, name="scripts")
    Client().get("/api/v1/me", headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_gets_401(world: World) -> None:
    token, secret = do_create_api_token(world.clinician, name="old laptop")
    do_revoke_api_token(world.clinician, token)
    response = Client().get("/api/v1/participants", headers=bearer(secret))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_expired_token_gets_401(world: World) -> None:
    token, secret = do_create_api_token(world.clinician, name="short-lived")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get("/api/v1/participants", headers=bearer(secret))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_made_up_token_gets_401(world: World) -> None:
    response = Client().get("/api/v1/participants", headers=bearer(ApiToken.new_secret()))
    assert response.status_code == 401


def test_wrong_token_is_refused_even_with_a_signed_in_session(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    response = client.get("/api/v1/participants", headers=bearer("trl_not-a-real-token"))
    assert response.status_code == 401


def test_token_of_a_deactivated_user_gets_401(world: World) -> None:
    _, secret = do_create_api_token(world.clinician, name="scripts")
    User.objects.filter(pk=world.clinician.pk).update(is_active=False)
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_participant_account_may_ask_who_it_is_but_not_read_staff_endpoints(
    world: World,
) -> None:
    _, secret = do_create_api_token(world.participant_user, name="mine")
    me = Client().get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200
    assert me.json()["is_staff_member"] is False
    response = Client().get("/api/v1/participants", headers=bearer(secret))
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]


def test_me_lists_the_roles_of_the_user(world: World, client_for: Callable[[User], Client]) -> None:
    body = client_for(world.front_desk).get("/api/v1/me").json()
    assert [r["role"] for r in body["roles"]] == ["front_desk"]
    assert body["roles"][0]["program"]["public_id"] == str(world.program.public_id)
