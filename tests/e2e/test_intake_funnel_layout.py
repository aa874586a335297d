"""A program director opens the intake funnel from the program's page on a 1,280 px screen,
reads the figures and the waitlist chart, and changes the period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World, org_today
from trellis.intake.tests.test_funnel import hand_counted, waitlisted

pytestmark = pytest.mark.e2e


def test_a_director_reads_the_funnel_and_changes_the_period(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    hand_counted(world)
    waitlisted(world, "W1", world.program, [(35, "waitlist"), (18, "active")])
    waitlisted(world, "W2", world.program, [(21, "waitlist")])
    page = sign_in("dana.director")
    page.goto(f"{live_server}/programs/{world.program.public_id}/")
    page.get_by_role("link", name="Intake funnel").click()
    expect(page.get_by_role("heading", name=f"Intake funnel: {world.program.name}")).to_be_visible()
    # The default 90 days hold the nine of the last 30 and the one received 30 days ago.
    expect(page.get_by_role("row", name="Screened 6 60% 60%")).to_be_visible()
    expect(page.get_by_role("img", name="Waitlist length by week")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the page is {width} px wide on a 1280 px screen"
    page.screenshot(path="var/intake-funnel.png", full_page=True)

    start = org_today() - timedelta(days=9)
    page.get_by_label("Inquiries received from").fill(start.isoformat())
    page.get_by_role("button", name="Show").click()
    # C (10 days ago) and older are out: D E F G H remain, D and G screened.
    expect(page.get_by_role("status")).to_contain_text("5 inquiries received")
    expect(page.get_by_role("row", name="Screened 2 40% 40%")).to_be_visible()
