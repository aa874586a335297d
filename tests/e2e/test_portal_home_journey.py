"""The portal's home on a phone (390 px): the participant signs in, lands on /me/, sees
today's session and the crisis line, and opens this week's practice from its card."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today
from trellis.practice.actions.assignments import AssignmentData, do_assign
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling.tests.factory import daily_group, enroll

PHONE_WIDTH = 390
NARROWEST = 320


def test_a_participant_lands_on_their_home_and_opens_their_practice(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    today = org_today()
    # A session under way now in the program's zone (three hours from half an hour ago), so
    # "today's session" is on the home whatever the hour the test runs.
    now = datetime.now(world.organization.tz)
    start = now - timedelta(minutes=30)
    at = start.time().replace(second=0, microsecond=0) if start.date() == now.date() else time(0)
    series = daily_group(world, dtstart=today - timedelta(days=3), at=at, minutes=180)
    enroll(series, world.participant, today)
    monday = today - timedelta(days=today.weekday())
    do_assign(
        world.clinician,
        world.participant.episodes.get(),
        AssignmentData(
            title="Practise DEAR MAN three times",
            starts_on=monday,
            due_on=monday + timedelta(days=6),
            skill=dear_man(world.organization),
            frequency="times",
            times_required=3,
        ),
    )
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Patricia")

    sessions = page.locator("section[aria-labelledby=sessions-h]")
    first = sessions.locator("li.portal-session").first
    expect(first).to_contain_text("Evening group")
    expect(first).to_contain_text("Tonight" if at >= time(17) else "Today")
    crisis = page.locator("section[aria-labelledby=crisis-h]")
    expect(crisis.locator('a[href="tel:988"]')).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the home is wider than the phone ({width} px)"
    # Every link and button of the home is a 44 px target.
    small = page.evaluate(
        """() => [...document.querySelectorAll('.portal a')]
            .filter(a => a.getBoundingClientRect().height < 44).map(a => a.textContent)"""
    )
    assert small == [], f"targets under 44 px: {small}"
    page.set_viewport_size({"width": NARROWEST, "height": 700})  # still usable at 320 px
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROWEST, f"the home is wider than a 320 px phone ({width} px)"
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})

    practice = page.locator("section[aria-labelledby=practice-h]")
    practice.get_by_role("link", name="DEAR MAN, 0 of 3 this week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practise DEAR MAN three times")
    assert "/me/practice/" in page.url
