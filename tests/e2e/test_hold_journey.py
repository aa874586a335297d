"""A therapist puts a participant on hold from the chart, with a reason and an expected
return, at a tablet's width; the chart says so; then resumes them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.personas import World, org_today
from trellis.participants.models import EpisodeStatus

SHOTS = Path(tempfile.gettempdir())


def test_therapist_puts_a_participant_on_hold_and_resumes_them(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})
    chart = f"{live_server}/participants/{e2e_world.participant.public_id}/"
    page.goto(chart)
    page.get_by_role("link", name="Hold, resume, change track or program…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Episode changes")

    page.get_by_label("On hold from").fill(org_today().isoformat())
    back = (org_today() + timedelta(days=14)).isoformat()
    page.get_by_label("Expected back on (optional)").fill(back)
    page.get_by_role("textbox", name="Reason (required)").fill("Inpatient stay")
    page.get_by_role("button", name="Put on hold").click()

    expect(page.get_by_text("On hold: off rosters, hours and attendance alerts")).to_be_visible()
    expect(page.locator("#on-hold")).to_contain_text("Inpatient stay")
    expect(page.locator("#on-hold")).to_contain_text(back)
    page.screenshot(path=str(SHOTS / "on-hold-chart.png"), full_page=True)
    assert e2e_world.participant.episodes.get().status == EpisodeStatus.ON_HOLD

    page.get_by_role("link", name="Hold, resume, change track or program…").click()
    expect(page.locator("#hold-now")).to_contain_text("Inpatient stay")
    page.get_by_label("Back from").fill(org_today().isoformat())
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_text("Resumed: back on rosters")).to_be_visible()
    expect(page.locator("#on-hold")).to_have_count(0)
    assert e2e_world.participant.episodes.get().status == EpisodeStatus.ACTIVE
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/episode-changes/")
    expect(page.get_by_role("heading", name="Status history")).to_be_visible()
    page.screenshot(path=str(SHOTS / "episode-changes.png"), full_page=True)
