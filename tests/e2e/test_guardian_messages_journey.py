"""A guardian writes to the care team at phone width (docs/portal.md, "Guardians",
"Messages"): in Spanish, from their teenager's page to the compose screen (the reply time and
the crisis text beside the form), sent once, answered by the therapist and read; axe-core on
the list, the compose screen and the thread (the checks of test_portal_accessibility.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.test_portal_accessibility import PHONE, audit, check, new_page
from tests.personas import PASSWORD, World
from trellis.messaging.actions import do_reply
from trellis.messaging.models import Message, Thread
from trellis.participants.tests.guardian_factories import build_teens


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_a_guardian_sends_a_message_and_reads_the_answer(
    e2e_world: World, context: BrowserContext, live_server: Any
) -> None:
    world = e2e_world
    teens = build_teens(world)
    base = live_server.url
    errors: list[str] = []
    found: dict[str, list[str]] = {}
    page = new_page(context, errors)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(teens.guardian.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/family/")

    page.goto(f"{base}/family/{teens.teen.public_id}/")
    expect(page.get_by_role("heading", name="Mensajes al equipo")).to_be_visible()
    page.get_by_role("link", name="Mensaje nuevo").click()
    expect(page.get_by_role("heading", name="Mensaje nuevo")).to_be_visible()
    expect(page.locator("a[href='tel:988']").first).to_be_visible()
    audit(page, "/family/<teen>/messages/new/", found)
    send = page.get_by_role("button", name="Enviar")
    box = send.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    page.get_by_label("Mensaje", exact=True).fill("¿Cómo va Tobin en el grupo?")
    send.click()
    page.wait_for_url(lambda url: "/messages/" in url and not url.endswith("/new/"))
    expect(page.get_by_text("¿Cómo va Tobin en el grupo?")).to_be_visible()
    assert Message.objects.count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    thread = Thread.objects.get()
    do_reply(world.clinician, thread, "Muy bien. Hablamos el jueves.")
    check(page, f"{base}/family/{teens.teen.public_id}/messages/", found)
    expect(page.get_by_text("Nuevo", exact=True)).to_be_visible()
    page.get_by_role("link", name="(sin asunto)").click()
    expect(page.get_by_text("Muy bien. Hablamos el jueves.")).to_be_visible()
    audit(page, "/family/<teen>/messages/<thread>/", found)
    assert not found, f"accessibility problems: {found}"
    assert errors == [], f"browser console errors: {errors}"
