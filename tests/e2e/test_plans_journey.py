"""A therapist writes a treatment plan with the participant and signs it; the participant
acknowledges it on the tablet."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today

pytestmark = pytest.mark.e2e

GOAL = "I want to get back to work without panicking"


def test_therapist_writes_and_signs_a_plan_in_the_participants_words(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_text("No treatment plan yet")).to_be_visible()
    page.get_by_role("button", name="Start a plan").click()

    page.locator("textarea[name$='-description']").first.fill("Panic attacks on the way to work")
    page.locator("input[name$='-diagnosis']").fill("F41.0")
    page.locator("textarea[name$='-words']").fill(GOAL)
    page.locator("input[name^='objectives-'][name$='-description']").fill("GAD-7 below 10")
    page.locator("select[name$='-kind']").select_option("measure_target")
    due = org_today() + timedelta(days=45)
    page.locator("input[name$='-due_on']").fill(due.isoformat())
    page.locator("input[name$='-instrument']").fill("GAD-7")
    page.locator("select[name$='-comparator']").select_option("lt")
    page.locator("input[name$='-target']").fill("10")
    page.locator("input[name$='-modality']").fill("CBT skills group")
    page.locator("input[name$='-frequency']").fill("3 times a week")
    page.locator("select[name$='-responsible']").select_option(label="Casey Clinician, LPC")
    page.get_by_label("Strengths").fill("Motivated; supportive partner")
    page.get_by_label("Discharge criteria").fill("GAD-7 below 10 for two weeks")
    page.get_by_role("button", name="Save and review for signing").click()

    expect(page.get_by_role("heading", name="Sign the plan · version 1")).to_be_visible()
    expect(page.get_by_text(f"“{GOAL}”")).to_be_visible()
    page.get_by_label("Type your name to sign").fill("Casey Clinician")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign the plan").click()

    expect(page.get_by_text("Plan signed.")).to_be_visible()
    expect(page.get_by_text(f"“{GOAL}”")).to_be_visible()
    expect(page.get_by_text("Signed by Casey Clinician, LPC")).to_be_visible()
    # 30 days on (the date depends on the program's time zone around midnight).
    expect(page.get_by_text(re.compile(r"^Review due \d{4}-\d{2}-\d{2}"))).to_be_visible()

    page.get_by_role("link", name="Participant acknowledgement (tablet)").click()
    page.get_by_label("Your name").fill("Patricia Quillfeather")
    page.get_by_label("I took part in making this plan").check()
    page.get_by_role("button", name="Sign my plan").click()
    # The participant still holds the tablet: a neutral page, nothing of the chart.
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("Please hand the tablet back")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_text(GOAL)).to_have_count(0)
    page.get_by_label("Staff password, to continue").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Acknowledged by the participant")).to_be_visible()

    # A revision started by mistake is discarded; the signed version stays the plan.
    page.get_by_role("button", name="Revise the plan").click()
    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="Discard this draft").click()
    expect(page.get_by_text("Version 1 stays the current plan")).to_be_visible()
    page.get_by_role("button", name="Discard this draft").click()
    expect(page.get_by_text("Draft discarded. Version 1 is still the current plan")).to_be_visible()
    expect(page.get_by_role("button", name="Revise the plan")).to_be_visible()
