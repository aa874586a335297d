"""The diary card on a phone (390 px): the participant fills in today's card with a self-harm
urge of 4 and sees the crisis text at once; their primary clinician signs in and finds the
urgent item at the top of Today, and the card on the diary's week."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.personas import PASSWORD, World

PHONE_WIDTH = 390


def test_a_high_urge_shows_the_crisis_text_and_reaches_the_clinicians_today(
    e2e_world: World, page: Page, browser: Browser, live_server: object
) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/me/practice/diary/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diary card")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the diary card is wider than the phone ({width} px)"
    page.locator("#row-self_harm_urge").get_by_label("4").check()
    page.locator("#row-sadness").get_by_label("3").check()
    page.locator("#row-self_harm_act").get_by_label("No").check()
    page.get_by_role("button", name="Save my card").click()
    crisis = page.get_by_role("alert")
    expect(crisis).to_contain_text("Your care team has been told")
    expect(crisis.get_by_role("link", name="988")).to_be_visible()

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    staff = context.new_page()
    staff.goto(f"{live_server}/accounts/sign-in/")
    staff.get_by_label("Email or username").fill("casey.clinician")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(f"{live_server}/")
    urgent = staff.get_by_text("Diary card: urge to hurt myself 4 of 5").first
    expect(urgent).to_be_visible()
    # At the top of Today: the first alert on the page is the diary card's.
    first_alert = staff.locator("main").get_by_text("Diary card:").first
    box = first_alert.bounding_box()
    assert box is not None
    assert box["y"] < 860, "the urgent item is not at the top of Today"
    staff.goto(f"{live_server}/practice/diary/{e2e_world.participant.public_id}/")
    expect(staff.locator(".diary-grid")).to_contain_text("4")
    context.close()
