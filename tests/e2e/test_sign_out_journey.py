"""After sign-out, nothing of what a signed-in person saw stays in the browser's storage
(issue #10, item 5)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World

pytestmark = pytest.mark.e2e

STORED = "JSON.stringify([Object.keys(sessionStorage), Object.keys(localStorage)])"


def test_search_then_sign_out_leaves_no_participant_data_in_the_browser(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("dana.director")
    page.get_by_role("link", name="Participants").click()
    page.get_by_label("Search by name or MRN").fill("quill")
    expect(page.get_by_role("link", name="Rowan Thistledown")).to_have_count(0)
    # The search stays out of the address bar and history.
    assert "quill" not in page.url
    page.get_by_role("link", name="Patricia Quillfeather").click()
    expect(page.get_by_role("heading", name="Patricia Quillfeather")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Trellis")).to_be_visible()
    assert page.evaluate(STORED) == "[[],[]]"
    # Back does not bring the participant list out of a cache.
    page.go_back()
    expect(page.get_by_text("Quillfeather")).to_have_count(0)


def test_storage_left_by_an_earlier_session_is_cleared_on_the_sign_in_page(
    e2e_world: World, page: Page, live_server: object
) -> None:
    page.goto(f"{live_server}/accounts/sign-in/")
    page.evaluate("sessionStorage.setItem('htmx-history-cache', '[\"MRN-1001\"]')")
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to Trellis")).to_be_visible()
    assert page.evaluate(STORED) == "[[],[]]"
