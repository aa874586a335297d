"""A participant on a phone (390 px): every page of their menu fits the screen, the header
greets them by name, and their sessions show the group's name and time."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today
from trellis.scheduling.tests.factory import daily_group, enroll

PHONE_WIDTH = 390


def test_a_participant_finds_every_page_of_theirs_on_a_phone(
    e2e_world: World, page: Page, live_server: object
) -> None:
    series = daily_group(e2e_world, dtstart=org_today() - timedelta(days=3), name="Evening group")
    enroll(series, e2e_world.participant, org_today())
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .account a")).to_have_text("Patricia")
    menu = page.get_by_role("navigation", name="Main")
    for label, heading in (
        ("Home", "Hello, Patricia"),
        ("Check-ins", "Your check-ins"),
        ("Schedule", "My sessions"),
        ("Plan", "My treatment plan"),
        ("Progress", "My progress"),
        ("Practice", "Your practice"),
        ("Diary card", None),
        ("Safety plan", None),
    ):
        menu.get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        if heading is not None:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{label} is wider than the phone ({width} px)"
    page.goto(f"{live_server}/me/schedule/")
    upcoming = page.locator("section[aria-labelledby=upcoming-h]")
    expect(upcoming.get_by_text("Evening group").first).to_be_visible()
    expect(upcoming.get_by_text("Trellis session")).to_have_count(0)
