"""A participant on a phone (390 px) follows the link in their invitation email, chooses a
username and password, and lands signed in on their own page (docs/portal.md, "Accounts")."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.participants.actions import check_invite

PHONE_WIDTH = 390
NEW_PASSWORD = "lantern orchard pebble river"


def test_from_the_invitation_email_to_the_first_signed_in_page(
    e2e_world: World, page: Page, live_server: Any, mailoutbox: list[Any]
) -> None:
    world = e2e_world
    check_invite(
        world.other_clinician, world.other_participant, email="rowan@example.test", phone=""
    )
    link = re.search(r"https?://\S+/invite/\S+/", mailoutbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    expect(page.get_by_text("Morgan Morning of your care team at Riverbend Health")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    button = page.get_by_role("button", name="Set up my account")
    assert button.bounding_box()["height"] >= 44  # type: ignore[index]  # visible: a box
    # (A weak password answers 422 with the validators' messages: test_invitations.py.)
    page.get_by_label("Username").fill("rowan.t")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    button.click()
    page.wait_for_url(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    expect(page.locator("header .account a")).to_have_text("Rowan")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # The link is spent: opening it again shows the one clear page.
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are already signed in")
