"""Health information is not left in the browser: no caching of signed-in responses, htmx's
history cache off, storage cleared at sign-out, searches kept out of history (issue #10,
items 5 and 14). The browser side is in tests/e2e/test_sign_out_journey.py."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User


def test_pages_for_signed_in_users_are_not_stored(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    for url in ["/", "/participants/", f"/participants/{world.participant.public_id}/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


def test_htmx_fragments_for_signed_in_users_are_not_stored(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.clinician).get(
        "/participants/?q=quill", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "no-store" in response["Cache-Control"]


def test_api_answers_to_a_token_are_not_stored(world: World) -> None:
    _, secret = do_create_api_token(world.clinician, name="scripts")
    response = Client().get("/api/v1/participants", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_sign_out_tells_the_browser_to_clear_what_it_stored(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.clinician).post("/accounts/sign-out/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]


def test_htmx_history_cache_is_off(world: World, client_for: Callable[[User], Client]) -> None:
    page = client_for(world.clinician).get("/participants/").content.decode()
    assert '"historyCacheSize": 0' in page


def test_participant_search_is_not_pushed_into_browser_history(
    world: World, client_for: Callable[[User], Client]
) -> None:
    page = client_for(world.clinician).get("/participants/").content.decode()
    assert "hx-push-url" not in page
