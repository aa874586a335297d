"""The API describes itself: OpenAPI document and a docs page that works under our CSP."""

from __future__ import annotations

import json
import re
from typing import get_args

from django.test import Client

from trellis.lib.api import NOT_FOUND
from trellis.participants.models import EpisodeStatus
from trellis.participants.schemas import EpisodeStatusName

EXPECTED_PATHS = {
    "/api/v1/me",
    "/api/v1/participants",
    "/api/v1/participants/{public_id}",
    "/api/v1/participants/{public_id}/episodes",
    "/api/v1/episodes",
    "/api/v1/episodes/{public_id}",
    "/api/v1/programs",
    "/api/v1/programs/{public_id}",
    "/api/v1/programs/{public_id}/tracks",
    "/api/v1/tracks/{public_id}",
}


def test_openapi_document_is_valid_json_listing_every_path(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert paths >= EXPECTED_PATHS
    # Every app's router is mounted (each has at least one documented operation).
    for prefix in (
        "/api/v1/scheduling/",
        "/api/v1/measures/",
        "/api/v1/worklist/",
        "/api/v1/plans/",
        "/api/v1/notes/",
        "/api/v1/meetings/",
    ):
        assert any(path.startswith(prefix) for path in paths), prefix
    assert all(path.startswith("/api/v1/") for path in paths)
    assert {"post", "get"} <= set(document["paths"]["/api/v1/participants"])


def test_openapi_declares_error_responses_and_both_ways_to_authenticate(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    detail = document["paths"]["/api/v1/participants/{public_id}"]["get"]
    assert {"200", "401", "403", "404"} <= set(detail["responses"])
    register = document["paths"]["/api/v1/participants"]["post"]
    assert {"201", "403", "422"} <= set(register["responses"])
    schemes = document["components"]["securitySchemes"].values()
    assert {s["type"] for s in schemes} == {"http", "apiKey"}


def test_openapi_never_exposes_integer_ids(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for name, schema in document["components"]["schemas"].items():
        assert "id" not in schema.get("properties", {}), name
        assert "pk" not in schema.get("properties", {}), name


def test_docs_page_loads_only_local_scripts_and_no_inline_code(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources
    assert all(src.startswith("/static/") for src in sources)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    # The only script element without src holds JSON settings, which browsers do not run.
    assert inline == [' type="application/json" id="swagger-settings"']
    assert "http://" not in html
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_status_names_in_the_schema_match_the_model() -> None:
    assert list(get_args(EpisodeStatusName)) == list(EpisodeStatus.values)


def test_mistyped_api_url_is_a_json_404(db: None) -> None:
    response = Client().get("/api/v1/participant")
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}
