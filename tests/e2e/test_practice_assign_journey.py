"""Practice: a facilitator assigns a skill to the group from the attendance page; the
participant completes it on a phone; the facilitator's page shows who practised."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling import actions as scheduling
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

pytestmark = pytest.mark.e2e


def test_facilitator_assigns_and_a_participant_practises_on_a_phone(
    e2e_world: World, page: Page, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    page.set_default_timeout(30_000)  # a shared, busy machine
    dear_man(world.organization)
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    day = local_today(world) - timedelta(days=1)
    sheet = f"{live_server}/schedule/series/{series.public_id}/{day:%Y-%m-%d}/"
    scheduling.do_record_attendance(
        world.clinician, slot(series, day), world.participant.episodes.get(),
        scheduling.Mark("present"),
    )  # fmt: skip

    page = sign_in("casey.clinician")
    page.goto(sheet)
    panel = page.locator("#practice-panel")
    panel.get_by_label("Skill or worksheet").select_option(
        label="Asking for what you need (DEAR MAN)"
    )
    panel.get_by_label("Note").fill("Once before Wednesday")
    panel.get_by_role("button", name="Assign practice").click()
    expect(page.get_by_text("Practice assigned to 1 person.")).to_be_visible()
    expect(page.locator("#practice-panel")).to_contain_text("0 of 1 practised")
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/me/practice/")
    expect(page.get_by_text("988").first).to_be_visible()
    page.get_by_role("link", name="Practise DEAR MAN and log it").click()
    expect(page.get_by_text("Say plainly what happened")).to_be_visible()
    page.get_by_label("What happened").fill("Asked my manager for Friday off")
    page.get_by_label("How it went").select_option("7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Log practice").click()
    expect(page.get_by_text("Logged. Well done for practising.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 1280, "height": 860})
    page = sign_in("casey.clinician")
    page.goto(sheet)
    expect(page.locator("#practice-panel")).to_contain_text("1 of 1 practised")
    expect(page.locator("#practice-panel")).to_contain_text("practised (1 of 1)")
