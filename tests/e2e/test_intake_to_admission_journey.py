"""Issue 11's intake journey, end to end at the desk (1280 px): the intake coordinator records
a phone inquiry, works it from the board, screens the person on the phone (PHQ-9, GAD-7,
AUDIT-C, ASQ), the program's director accepts the recommended intensive outpatient level on
the evening track, and the coordinator admits the person with the consent to treatment signed
on the tablet and sees the first group session. Typed at a fast typist's pace: no pauses,
Playwright waits for each page."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.personas import PASSWORD, TIME_ZONE, World, org_today
from trellis.intake.models import Inquiry, InquiryStatus, LevelOfCareDecision
from trellis.intake.tests.helpers import evening_group
from trellis.participants.models import EpisodeStatus
from trellis.scheduling.models import RosterMembership

SHOTS = Path(tempfile.gettempdir())

# Each questionnaire's answers by item: PHQ-9 16 (moderately severe, item 9 "not at all"),
# GAD-7 7, AUDIT-C 0, and "no" to the four ASQ questions.
PHQ9 = {f"phq9-{n}": "More than half the days" for n in range(1, 9)} | {
    "phq9-9": "Not at all",
    "phq9-difficulty": "Somewhat difficult",
}
GAD7 = {f"gad7-{n}": "Several days" for n in range(1, 8)}
AUDITC = {"auditc-1": "Never", "auditc-2": "1 or 2", "auditc-3": "Never"}
ASQ = {f"asq-{n}": "No" for n in range(1, 5)}


def answer(page: Page, number: int, answers: dict[str, str], button: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"questionnaire {number} of 4")
    for link_id, option in answers.items():
        page.locator(f"#q-{link_id}").get_by_label(option, exact=True).check()
    page.get_by_role("button", name=button).click()


def sign_in_as(page: Page, live_server: object, username: str) -> None:
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")


def test_a_phone_inquiry_is_screened_decided_and_admitted_with_a_first_session(
    e2e_world: World,
    browser: Browser,
    page: Page,
    live_server: object,
    sign_in: Callable[[str], Page],
) -> None:
    evening_group(e2e_world)
    today = org_today()

    # 1. The intake coordinator takes the call and records it.
    sign_in("ingrid.intake")
    page.goto(f"{live_server}/intake/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New inquiry")
    page.get_by_label("How did they reach us?").select_option(label="Phone call")
    page.get_by_label("First name (or the name they go by)").fill("Robin")
    page.get_by_label("Last name", exact=True).fill("Ashby")
    page.get_by_label("Phone", exact=True).fill("555-0142")
    page.get_by_label("They agreed to be called, texted or emailed back").check()
    page.get_by_label("What they are asking for help with, in their words").fill(
        "Low mood since the winter; cannot get to work."
    )
    page.get_by_label("When they could attend").select_option(label="Evenings")
    page.get_by_role("button", name="Record the inquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Ashby")

    # From the board.
    page.get_by_role("navigation").get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake")
    page.get_by_role("link", name="Robin Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Ashby")
    page.get_by_role("link", name="Screening and level of care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening · Robin Ashby")

    # Screen now, with the person on the phone: the record needs an MRN and a birth date.
    page.get_by_label("Medical record number").fill("IOP-7731")
    page.get_by_label("Date of birth").fill("1988-09-14")
    page.get_by_role("button", name="Screen now (phone)").click()
    answer(page, 1, PHQ9, "Next")
    answer(page, 2, GAD7, "Next")
    answer(page, 3, AUDITC, "Next")
    answer(page, 4, ASQ, "Finish")

    expect(page.get_by_role("heading", level=1)).to_have_text("Screening · Robin Ashby")
    expect(page.locator("#inquiry-status")).to_have_text("Waiting on a decision")
    recommendation = page.locator("#recommendation")
    expect(recommendation).to_contain_text("Intensive outpatient")
    expect(recommendation).to_contain_text("PHQ-9 16")
    expect(page.locator("#risk-flag")).to_have_count(0)
    expect(page.get_by_text("Waiting on a clinician's decision")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    screening_url = page.url

    # 2. The program's director, at their own desk, accepts the recommendation.
    desk = browser.new_context(viewport={"width": 1280, "height": 860})
    director = desk.new_page()
    director.set_default_timeout(10_000)
    sign_in_as(director, live_server, "dana.director")
    director.goto(screening_url)
    director.locator("#recommendation").get_by_label("Accept the recommendation").check()
    director.get_by_label("Track (intensive outpatient)").select_option(label="Evening")
    director.get_by_role("button", name="Record the decision").click()
    expect(director.get_by_text("Decision recorded.")).to_be_visible()
    expect(director.locator("#decisions")).to_contain_text("Accepted")
    expect(director.locator("#decisions")).to_contain_text("Evening track")
    desk.close()

    # 3. The coordinator sees the decision on the screening page, then admits from the board.
    page.reload()
    expect(page.locator("#decisions")).to_contain_text("Accepted")
    expect(page.get_by_role("link", name="Admit…")).to_be_visible()
    page.screenshot(path=str(SHOTS / "intake-screening-decided.png"), full_page=True)
    page.get_by_role("navigation").get_by_role("link", name="Intake").click()
    page.locator("section[aria-labelledby=col-decision]").get_by_role(
        "link", name="Robin Ashby"
    ).click()
    page.get_by_role("link", name="Admit…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admit Robin Ashby")
    page.get_by_label("Track", exact=True).select_option(label="Evening — Hybrid")
    page.get_by_label("Admission date").fill(today.isoformat())
    page.get_by_label("Primary clinician").select_option(label="Casey Clinician")
    treatment = page.locator("#consent-treatment")
    treatment.get_by_label("Signed on this tablet").check()
    treatment.get_by_label("Your full name").fill("Robin Ashby")
    treatment.get_by_label("I have read and agree").check()
    page.locator("#consent-telehealth").get_by_label("To follow (sign later)").check()
    page.get_by_role("button", name="Admit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Ashby is admitted")
    first = page.locator("#first-session")
    # The group meets on Mondays and Wednesdays at 6 pm, from the admission date; the first
    # session is one that has not started yet (admitted on a Wednesday at 7 pm, tonight's
    # group is not the first).
    now = datetime.now(ZoneInfo(TIME_ZONE))
    day = next(
        today + timedelta(n)
        for n in range(8)
        if (today + timedelta(n)).weekday() in (0, 2)
        and (n > 0 or (now.hour, now.minute) < (18, 0))
    )
    expect(first).to_contain_text(f"{day:%A}, {day:%b} {day.day}, 6:00 PM")
    expect(first).to_contain_text("Evening process group")
    page.screenshot(path=str(SHOTS / "intake-admitted.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the admitted page is wider than the desk screen ({width} px)"

    inquiry = Inquiry.objects.get(given_name="Robin")
    assert inquiry.status == InquiryStatus.ADMITTED
    decision = LevelOfCareDecision.objects.get(inquiry=inquiry)
    assert decision.accepted
    assert decision.track == e2e_world.evening
    episode = inquiry.episode
    assert episode is not None
    assert episode.status == EpisodeStatus.ACTIVE
    assert episode.track == e2e_world.evening
    assert episode.participant.mrn == "IOP-7731"
    roster = RosterMembership.objects.get(episode=episode)
    assert roster.series.name == "Evening process group"
    assert roster.start_date == today
