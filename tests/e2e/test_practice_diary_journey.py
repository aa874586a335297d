"""The diary card on a phone (390 px): the participant fills in today's card with a self-harm
urge of 4 and sees the crisis text at once; their primary clinician signs in and finds the
urgent item at the top of Today, then opens the chart's Practice tab at desktop width: the
practice done, and this week's card with the 4 coloured as a high value."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.personas import PASSWORD, World
from trellis.practice.actions.assignments import EntryData, do_record_entry
from trellis.practice.actions.diary import do_configure_diary
from trellis.practice.tests.helpers import assign_practice

PHONE_WIDTH = 390


def test_a_high_urge_shows_the_crisis_text_and_reaches_the_clinicians_today(
    e2e_world: World, page: Page, browser: Browser, live_server: object
) -> None:
    do_configure_diary(None, e2e_world.program)  # the program keeps the default card
    practice = assign_practice(e2e_world, title="Practise DEAR MAN once")
    today = e2e_world.organization.today()
    do_record_entry(
        e2e_world.participant_user,
        practice,
        EntryData(practiced_on=today, idempotency_key="e2e-1", rating=7, what_happened="Asked"),
    )
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

    # The chart's Practice tab: adherence, and this week's card with the high value coloured.
    staff.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/practice/")
    adherence = staff.locator("section", has=staff.locator("#practice-adherence"))
    expect(adherence).to_contain_text("100 % done")
    expect(adherence).to_contain_text("Streak: 1 day")
    expect(staff.locator("#practice-recent").locator("..")).to_contain_text(
        "Practise DEAR MAN once"
    )
    week = staff.locator(".diary-week")
    expect(week).to_contain_text("1 of 7 days filled in")
    urge = week.locator("tr", has_text="Urge to hurt myself").locator("td.diary-level-4")
    expect(urge).to_have_text("4")
    colour = urge.evaluate("cell => getComputedStyle(cell).backgroundColor")
    low = week.locator("tr", has_text="Sadness").locator("td:not(.diary-missing)").first
    assert colour == "rgb(247, 154, 90)", colour  # .diary-level-4, not the white of 0
    assert colour != low.evaluate("cell => getComputedStyle(cell).backgroundColor")
    context.close()
