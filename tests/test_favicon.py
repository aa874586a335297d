"""Every page names the site's icon, so browsers do not ask for /favicon.ico and log a 404
on every page."""

from __future__ import annotations

from django.test import Client

from tests.personas import World


def test_pages_link_an_icon_that_is_served(world: World) -> None:
    client = Client()
    client.force_login(world.director)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    href = page.split('rel="icon" href="', 1)[1].split('"', 1)[0]
    icon = Client().get(href)
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content  # type: ignore[attr-defined]  # WhiteNoise streams static files
    assert b"<svg" in body


def test_error_pages_link_the_icon_too() -> None:
    page = Client().get("/no-such-page/").content.decode()
    assert 'rel="icon"' in page
