"""A therapist discharges a participant from the chart, writes the summary and aftercare plan,
signs; the participant then reads their plan on a phone."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today
from trellis.measures.tests.factories import complete_checkin
from trellis.transitions.models import DischargeSummary

# Screenshots for a person to look at after a run (not compared).
SHOTS = Path(tempfile.gettempdir())


def test_therapist_discharges_with_a_summary_and_aftercare_plan_and_signs(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    complete_checkin(e2e_world.participant, 18, days_ago=3)
    complete_checkin(e2e_world.participant, 6)
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/")
    page.get_by_role("link", name="Discharge…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discharge")
    page.get_by_label("Reason for discharge").select_option("completed")
    page.get_by_label("Discharge date").fill(org_today().isoformat())
    page.get_by_role("button", name="Discharge").click()

    expect(page.get_by_role("heading", name="Measures, admission → discharge")).to_be_visible()
    expect(page.get_by_text("reliable improvement")).to_be_visible()
    page.get_by_label("Narrative: course of treatment").fill(
        "Attended most groups; PHQ-9 fell from 18 to 6. Ready for weekly therapy."
    )
    page.get_by_label("Care after the program").select_option("outpatient")
    page.get_by_label("Provider (name, address, phone)").fill("Riverside Counseling, 555-0142")
    page.get_by_label("Alumni group (optional)").fill("Thursday alumni group, 6 pm")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    when = (org_today() + timedelta(days=6)).isoformat() + "T10:30"
    page.get_by_label("Date and time").fill(when)
    page.get_by_label("With whom, and where").fill("Dr Lee, Riverside Counseling")
    page.get_by_role("button", name="Add the appointment").click()
    expect(page.get_by_text("Appointment added.")).to_be_visible()

    page.get_by_label("Type your name to sign").fill(e2e_world.clinician.name)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Signed. The participant can now read")).to_be_visible()
    expect(page.get_by_text("PHQ-9 due")).to_have_count(1)
    summary = DischargeSummary.objects.get()
    assert summary.is_signed
    page.screenshot(path=str(SHOTS / "summary.png"), full_page=True)

    page.context.clear_cookies()
    participant = page.context.browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[union-attr]  # the page's browser exists
    phone = participant.new_page()
    phone.goto(f"{live_server}/accounts/sign-in/")
    phone.get_by_label("Email or username").fill("pat.participant")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(f"{live_server}/me/aftercare/")
    expect(phone.get_by_role("heading", name="Your aftercare plan")).to_be_visible()
    expect(phone.get_by_text("Riverside Counseling, 555-0142")).to_be_visible()
    expect(phone.get_by_text("a real improvement")).to_be_visible()
    phone.screenshot(path=str(SHOTS / "mine.png"), full_page=True)
    participant.close()
