"""The intake board: someone asks for help on the program's web form from a phone (390 px)
and the inquiry appears on the board; the intake coordinator (1280 px) opens it, logs a call
and takes it on with a next action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from tests.personas import World, org_today
from trellis.intake.models import EventKind, Inquiry

PHONE_WIDTH = 390


def test_a_web_inquiry_from_a_phone_is_worked_from_the_board(
    e2e_world: World,
    browser: Browser,
    page: Page,
    live_server: object,
    sign_in: Callable[[str], Page],
) -> None:
    cache.clear()  # the web form's throttle
    phone = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
    form = phone.new_page()
    form.goto(f"{live_server}/inquire/{e2e_world.program.public_id}/")
    expect(form.get_by_role("heading", level=1)).to_contain_text("Ask about")
    form.get_by_label("Your first name").fill("Jordan")
    form.get_by_label("Your last name").fill("Vale")
    form.get_by_label("Phone number").fill("555-0171")
    form.get_by_label("When could you come to groups?").select_option("evening")
    form.get_by_label("What would you like help with? (optional)").fill("Panic at work.")
    form.get_by_label("I agree that the program may call").check()
    width = form.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the web form is wider than the phone ({width} px)"
    form.get_by_role("button", name="Send").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(form.get_by_text("will contact you by")).to_be_visible()
    assert "Jordan" not in form.url
    phone.close()

    sign_in("ingrid.intake")
    page.get_by_role("navigation").get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake")
    new = page.locator("section[aria-labelledby=col-new]")
    new.get_by_role("link", name="Jordan Vale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Vale")
    expect(page.get_by_text("Panic at work.")).to_be_visible()

    page.get_by_label("What was said or done").fill("Called back; wants the evening track.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Call recorded.")).to_be_visible()
    history = page.locator("section[aria-labelledby=history-h]")
    expect(history.get_by_text("Called back; wants the evening track.")).to_be_visible()

    due = org_today() + timedelta(days=1)
    page.get_by_label("Owner", exact=True).select_option(label="Ingrid Intake")
    page.get_by_label("Next action", exact=True).fill("Send the screening link")
    page.get_by_label("Due", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Save owner and next action").click()
    expect(page.get_by_text("Owner and next action saved.")).to_be_visible()

    page.get_by_role("link", name="← Intake board").click()
    page.get_by_label("Owner", exact=True).select_option("mine")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Send the screening link")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the board is wider than the desk screen ({width} px)"
    inquiry = Inquiry.objects.get()
    assert inquiry.owner == e2e_world.intake
    assert inquiry.events.filter(kind=EventKind.CALL).exists()
