"""Error pages never show health information."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

from tests.personas import World


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_500_page_is_generic(world: World, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.director)
    response = client.get("/boom/?q=Quillfeather")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Nothing you entered was half-saved" in body
    assert "Quillfeather" not in body
    assert "MRN-1001" not in body


def test_403_page_is_generic(world: World) -> None:
    client = Client()
    client.force_login(world.front_desk)
    response = client.get("/participants/new/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_server_error_log_keeps_the_traceback_but_not_the_message(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.director)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/boom/")
    record = next(r for r in caplog.records if r.name == "django.request")
    handler = logging.getLogger("django.request").handlers[0]
    assert handler.formatter is not None
    text = handler.formatter.format(record)
    assert "RuntimeError" in text
    assert "failing_view" in text
    assert "Quillfeather" not in text
    assert "MRN-1001" not in text
