"""'I'll be late' on a phone (390 px): from the home's Next sessions card, the participant
says they will be 20 minutes late and sees the confirmation; the targets are 44 px."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today
from trellis.scheduling.models import SessionNotice
from trellis.scheduling.tests.factory import daily_group, enroll

PHONE_WIDTH = 390


def test_a_participant_says_they_will_be_late_from_the_home(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    today = org_today()
    series = daily_group(world, dtstart=today + timedelta(days=1))
    enroll(series, world.participant, series.dtstart)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/me/")

    first = page.locator("section[aria-labelledby=sessions-h] li.portal-session").first
    first.get_by_text("I'll be late").click()
    first.get_by_label("How late?").select_option("20")
    small = page.evaluate(
        """() => [...document.querySelectorAll('.notice summary, .notice button')]
            .filter(e => e.checkVisibility() && e.getBoundingClientRect().height < 44)
            .map(e => `${e.textContent} (${e.getBoundingClientRect().height} px)`)"""
    )
    assert small == [], f"targets under 44 px: {small}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the home is wider than the phone ({width} px)"
    first.get_by_role("button", name="Tell my team").first.click()
    page.wait_for_url(f"{live_server}/me/")
    expect(page.locator(".messages")).to_contain_text("you'll be 20 minutes late")
    expect(page.locator("section[aria-labelledby=sessions-h]").first).to_contain_text(
        "You told your team: 20 minutes late."
    )
    notice = SessionNotice.objects.get()
    assert (notice.kind, notice.minutes_late) == ("late", 20)
