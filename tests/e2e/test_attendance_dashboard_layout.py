"""The attendance dashboard on a phone (390 px): the page does not scroll sideways; the
week's table scrolls inside its own frame."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.scheduling import actions
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

pytestmark = pytest.mark.e2e


def test_the_dashboard_fits_a_phone_without_sideways_page_scroll(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    today = local_today(world)
    group = daily_group(world, dtstart=today - timedelta(days=7))
    enroll(group, world.participant)
    # Rowan has no session this week: each day of his row says so to screen readers only.
    yesterday = today - timedelta(days=1)
    episode = world.participant.episodes.get()
    actions.do_record_attendance(None, slot(group, yesterday), episode, actions.Mark("present"))

    page = sign_in("dana.director")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/schedule/programs/{world.program.public_id}/attendance/")
    expect(page.get_by_role("heading", name=f"Attendance · {world.program.name}")).to_be_visible()
    expect(page.get_by_role("link", name="Next week →")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    frame = page.locator(".table-wrap")
    box = frame.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
