"""A NUL character in a query string or a body is refused at the door: pages answer 400, the
API a 422 that names where it was. PostgreSQL cannot store or compare text with NUL in it, so
it once answered 500 to a search such as ?q=%00."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User


def test_a_page_search_with_nul_is_a_bad_request(
    world: World, client_for: Callable[[User], Client]
) -> None:
    answer = client_for(world.director).get("/participants/?q=Ri%00ver")
    assert answer.status_code == 400
    assert b"Ri\x00ver" not in answer.content


def test_the_api_refuses_nul_in_the_query_and_in_json(world: World) -> None:
    _, secret = do_create_api_token(world.director, name="probe")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    query = api.get("/api/v1/participants?q=%00")
    assert query.status_code == 422
    assert query.json()["detail"][0]["loc"] == ["query", "q"]
    assert query.json()["detail"][0]["field"] == "q"
    body = api.post(
        "/api/v1/worklist/tasks",
        json.dumps({"title": "Call back\u0000"}),
        content_type="application/json",
    )
    assert body.status_code == 422
    assert body.json()["detail"][0]["loc"] == ["body", "title"]


def test_ordinary_requests_pass(world: World, client_for: Callable[[User], Client]) -> None:
    assert client_for(world.director).get("/participants/?q=River").status_code == 200
