"""An intake coordinator admits a person from a decided inquiry at a desktop, hands the
tablet over for the consents, and sees the first group session."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.intake.models import ConsentSignature, InquiryStatus
from trellis.intake.tests.helpers import decided_inquiry, evening_group
from trellis.participants.models import EpisodeStatus

SHOTS = Path(tempfile.gettempdir())


def test_intake_coordinator_admits_with_consents_signed_on_a_tablet(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    evening_group(e2e_world)
    inquiry = decided_inquiry(e2e_world)
    page = sign_in("ingrid.intake")
    page.goto(f"{live_server}/intake/{inquiry.public_id}/admit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Admit Sam Rivera")
    page.get_by_label("Track", exact=True).select_option(label="Evening — Hybrid")
    page.get_by_label("Primary clinician").select_option(label="Casey Clinician")
    page.get_by_label("Dana Director").check()

    # The consents, on the tablet handed across the desk.
    page.set_viewport_size({"width": 820, "height": 1180})
    treatment = page.locator("#consent-treatment")
    expect(treatment.get_by_text("I agree to take part")).to_be_visible()
    treatment.get_by_label("Signed on this tablet").check()
    treatment.get_by_label("Your full name").fill("Sam Rivera")
    treatment.get_by_label("I have read and agree").check()
    page.locator("#consent-telehealth").get_by_label("To follow (sign later)").check()
    page.screenshot(path=str(SHOTS / "admit-tablet.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_role("button", name="Admit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Rivera is admitted")
    expect(page.locator("#first-session")).to_contain_text("6:00")
    expect(page.locator("#first-session")).to_contain_text("Evening process group")
    expect(page.get_by_text("To follow", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / "admitted.png"), full_page=True)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ADMITTED
    assert inquiry.episode is not None
    assert inquiry.episode.status == EpisodeStatus.ACTIVE
    assert ConsentSignature.objects.filter(episode=inquiry.episode).count() == 2


def test_intake_coordinator_reorders_the_waitlist_and_offers_the_first_seat(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    from trellis.intake.actions import check_add_to_waitlist

    for name in ("Ana", "Ben"):
        check_add_to_waitlist(e2e_world.intake, decided_inquiry(e2e_world, name), e2e_world.evening)
    page = sign_in("ingrid.intake")
    page.goto(f"{live_server}/intake/waitlist/{e2e_world.evening.public_id}/")
    rows = page.locator("#waitlist tbody tr")
    expect(rows.nth(0)).to_contain_text("Ana Rivera")
    rows.nth(1).get_by_text("Move or remove").click()
    rows.nth(1).get_by_label("New position").fill("1")
    rows.nth(1).get_by_label("Reason (kept in the history)").fill("Only evenings work now")
    rows.nth(1).get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("Ben Rivera is now at position 1.")).to_be_visible()
    expect(rows.nth(0)).to_contain_text("Ben Rivera")
    rows.nth(0).get_by_role("button", name="Offer seat").click()
    expect(page.get_by_text("Offer recorded")).to_be_visible()
    page.screenshot(path=str(SHOTS / "waitlist.png"), full_page=True)
    rows.nth(0).get_by_role("button", name="Accepted: admit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admit Ben Rivera")
