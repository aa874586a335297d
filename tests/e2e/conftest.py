"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live server.

Never call `playwright install`: the browser comes from Debian (make test installs it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.personas import PASSWORD, World, build_world

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made from
# the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TRELLIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db: None) -> World:
    return build_world()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    # A Content-Security-Policy violation or a script error shows up as a console error.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "404" not in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    # Let the requests the page started (the offline key, the service worker's page) finish
    # before the database is flushed: on PostgreSQL a request still writing its audit event
    # deadlocks with the flush's TRUNCATE.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def sign_in(page: Page, live_server: object) -> Callable[[str], Page]:
    """Sign in through the real form as the given username."""

    def go(username: str) -> Page:
        page.goto(f"{live_server}/accounts/sign-in/")
        page.get_by_label("Email or username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # Staff land on Today (/), participants on their portal's home (/me/).
        page.wait_for_url(lambda url: url in {f"{live_server}/", f"{live_server}/me/"})
        return page

    return go
