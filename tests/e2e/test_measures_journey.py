"""Measurement-based care in a real browser at phone size: a participant answers PHQ-9 item 9
above 0; the clinician sees the urgent alert at the top of Today and the updated trajectory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.measures.tests.factories import complete_checkin, open_checkin

pytestmark = pytest.mark.e2e


def test_participant_phq9_with_item_9_reaches_the_clinician(
    e2e_world: World, page: Page, sign_in: Callable[[str], Page], live_server: object
) -> None:
    complete_checkin(e2e_world.participant, 18, days_ago=14)  # the baseline
    open_checkin(e2e_world.participant, "PHQ-9")
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Check-ins").click()
    expect(page.get_by_text("988").first).to_be_visible()
    page.get_by_role("link", name="Depression (PHQ-9)").click()

    for n in range(1, 9):
        page.locator(f"#q-phq9-{n}").get_by_label("Several days").check()
    page.locator("#q-phq9-9").get_by_label("More than half the days").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("988").first).to_be_visible()
    # Nothing wider than the phone: no horizontal scrolling on the check-in pages.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Sign out").click()

    page = sign_in("casey.clinician")
    alerts = page.locator("#urgent-alerts")
    expect(alerts).to_be_visible()
    expect(alerts.get_by_text("Urgent")).to_be_visible()
    assert page.locator("main section").first.get_attribute("id") == "urgent-alerts"
    alerts.get_by_role("link", name="Patricia Quillfeather").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#alert-status")).to_have_text("Acknowledged")

    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/measures/")
    # Admitted 21 days ago: today is in week 4 of care.
    expect(page.locator(".summary-line").first).to_contain_text(
        "PHQ-9 18 → 10 (−8, reliable improvement, week 4)"
    )
    expect(page.locator("svg.trajectory circle")).to_have_count(2)
