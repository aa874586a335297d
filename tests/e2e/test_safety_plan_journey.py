"""A participant on a phone (390 px) opens their signed safety plan, presses "I am not safe
right now", sees the crisis text at once, and their clinician has one urgent alert."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.practice.actions.safety import (
    do_save_safety_plan,
    do_sign_safety_plan,
    do_start_safety_plan_version,
)
from trellis.worklist.models import Alert, AlertKind

PHONE_WIDTH = 390


def test_a_participant_reads_the_plan_and_presses_not_safe_on_a_phone(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    world.program.crisis_phone = "555-0100"
    world.program.save(update_fields=["crisis_phone"])
    episode = world.participant.episodes.get(program=world.program)
    plan = do_start_safety_plan_version(world.clinician, episode)
    plan = do_save_safety_plan(
        world.clinician,
        plan,
        {"warning_signs": "Not sleeping", "reasons_for_living": "My sister"},
    )
    do_sign_safety_plan(world.clinician, plan, typed_name=world.clinician.name, password=PASSWORD)

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/me/practice/safety-plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    expect(page.get_by_text("Not sleeping")).to_be_visible()
    expect(page.get_by_text("My sister")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the safety plan is wider than the phone ({width} px)"

    page.get_by_role("button", name="I am not safe right now").click()
    crisis = page.get_by_role("alert").filter(has_text="988")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("555-0100")
    expect(crisis).to_contain_text("Your care team has been told")
    # A second press (a flaky connection, a worried tap) raises no second alert.
    page.get_by_role("button", name="I am not safe right now").click()
    expect(page.get_by_role("alert").filter(has_text="988")).to_be_visible()
    assert Alert.objects.filter(kind=AlertKind.PRACTICE_RISK).count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the crisis page is wider than the phone ({width} px)"
