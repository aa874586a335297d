"""My progress on a phone (390 px): the participant opens Progress from their menu, the
PHQ-9 chart is drawn (its line and a dot per score, within the phone's width), the scores
open as a list, and every link and the list's toggle is a 44 px target; still usable at
320 px."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.personas import World, org_today
from trellis.measures.models import Score
from trellis.measures.tests.factories import complete_checkin

PHONE_WIDTH = 390
NARROWEST = 320


def test_a_participant_reads_their_progress_chart_on_a_phone(
    e2e_world: World, page: Page, live_server: object, sign_in: Callable[[str], Page]
) -> None:
    world = e2e_world
    for weeks_ago, total in ((3, 17), (2, 14), (1, 12), (0, 9)):
        response = complete_checkin(world.participant, total, code="PHQ-9")
        Score.objects.filter(response=response).update(
            observed_on=org_today() - timedelta(weeks=weeks_ago)
        )
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    sign_in("pat.participant")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    page.wait_for_url(f"{live_server}/me/progress/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")

    phq = page.locator("#measure-phq-9")
    chart = phq.get_by_role("img", name="Depression (PHQ-9): your scores over time")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    expect(chart.locator("circle")).to_have_count(4)
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 250, box
    assert box["height"] > 100, box
    assert box["x"] + box["width"] <= PHONE_WIDTH, box
    expect(phq).to_contain_text("9 out of 27 (mild, 5 to 9)")
    expect(phq).to_contain_text("8 points lower than your first score")

    phq.get_by_text("Your PHQ-9 scores as a list").click()
    expect(phq.locator("table tbody tr")).to_have_count(4)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is wider than the phone ({width} px)"
    small = page.evaluate(
        """() => [...document.querySelectorAll('.portal a, .portal summary')]
            .filter(a => a.getBoundingClientRect().height < 44).map(a => a.textContent)"""
    )
    assert small == [], f"targets under 44 px: {small}"
    page.set_viewport_size({"width": NARROWEST, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROWEST, f"the page is wider than a 320 px phone ({width} px)"
