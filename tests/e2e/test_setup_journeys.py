"""Set-up in the browser at desktop width: a director puts someone on call and adds a check-in
schedule; the clinician pauses that check-in for one participant and corrects a response."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.lib.choices import Weekday
from trellis.measures.tests.factories import complete_checkin

pytestmark = pytest.mark.e2e


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot into $TRELLIS_E2E_SHOTS when set (to look at the pages)."""
    folder = os.environ.get("TRELLIS_E2E_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_director_sets_on_call_and_schedules_and_a_clinician_adjusts_one_episode(
    e2e_world: World, page: Page, sign_in: Callable[[str], Page], live_server: object
) -> None:
    program = e2e_world.program.public_id
    page = sign_in("dana.director")
    page.goto(f"{live_server}/worklist/programs/{program}/on-call/")
    expect(
        page.get_by_text("Nobody is on call for Adult Mental Health IOP right now.")
    ).to_be_visible()
    zone = e2e_world.organization.tz
    starts = timezone.now().astimezone(zone) - timedelta(minutes=10)
    page.get_by_label("Who is on call").select_option(label="Morgan Morning")
    page.get_by_label("Starts").fill(f"{starts:%Y-%m-%dT%H:%M}")
    page.get_by_label("Ends").fill(f"{starts + timedelta(hours=12):%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Add shift").click()
    expect(page.get_by_text("Shift added.")).to_be_visible()
    expect(page.locator("#now-title + ul")).to_contain_text("Morgan Morning")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shoot(page, "on-call")

    page.goto(f"{live_server}/measures/programs/{program}/schedules/")
    page.get_by_label("Instrument").select_option("GAD-7")
    page.get_by_label("When").select_option(label="Weekly")
    page.get_by_label("Weekday").select_option(str(Weekday.THURSDAY))
    page.get_by_label("Open for (days)").fill("2")
    page.get_by_role("button", name="Add schedule").click()
    expect(page.locator("#schedules")).to_contain_text("Every Thursday")
    shoot(page, "schedules")
    page.get_by_role("button", name="Sign out").click()

    complete_checkin(e2e_world.participant, 14)
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/measures/")
    page.get_by_role("link", name="Change GAD-7 Every Thursday").click()
    page.get_by_label("Pause for this episode").check()
    page.get_by_label("Reason").fill("Inpatient stay this week")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#episode-schedules")).to_contain_text("Paused for this episode")
    expect(page.locator("#episode-schedules")).to_contain_text("Inpatient stay this week")

    page.get_by_role("link", name="Correct").first.click()
    page.locator("#q-phq9-1").get_by_label("Not at all").check()
    page.get_by_label("Reason for the correction").fill("Item 1 read back wrongly")
    page.get_by_role("button", name="Record the correction").click()
    expect(page.get_by_text("Correction recorded")).to_be_visible()
    expect(page.locator("del").first).to_have_text("14")
    shoot(page, "measures-tab")
