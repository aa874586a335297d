"""A message and its reply on a phone (390 px): the participant writes to their care team,
the therapist answers from the staff inbox, the participant sees "1 new" on the home and
reads the answer (docs/portal.md, "Messages")."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.personas import World

PHONE_WIDTH = 390


def _fits_a_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"wider than the phone ({width} px)"
    small = page.evaluate(
        """() => [...document.querySelectorAll('.portal a, .portal button, label.msg-choice')]
            .filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent.trim())"""
    )
    assert small == [], f"targets under 44 px: {small}"


def test_a_message_and_its_reply_at_phone_width(
    e2e_world: World, page: Page, live_server: object, sign_in: Callable[[str], Page]
) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    sign_in("pat.participant")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    page.get_by_role("link", name="New message").click()
    notice = page.locator("#msg-notice")
    expect(notice).to_contain_text("Your team usually replies within one business day.")
    expect(notice).to_contain_text("This is not for emergencies.")
    expect(notice.locator('a[href="tel:988"]')).to_be_visible()
    _fits_a_phone(page)
    page.get_by_label("My care team").check()
    page.get_by_label("Subject (optional)").fill("Changing tracks")
    page.get_by_label("Message").fill("Can I move to the evening group? <b>Work</b> changed.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent. Your team will reply here.")).to_be_visible()
    expect(page.locator(".msg-body")).to_have_text(
        "Can I move to the evening group? <b>Work</b> changed."
    )
    _fits_a_phone(page)
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("casey.clinician")
    page.goto(f"{live_server}/messages/")
    row = page.locator("tr.unread")
    expect(row).to_contain_text("Changing tracks")
    row.get_by_role("link", name="Changing tracks").click()
    expect(page.locator(".msg-body")).to_contain_text("Can I move to the evening group?")
    page.get_by_label("Reply").fill("Yes, from the first of the month.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    sign_in("pat.participant")
    card = page.locator("section[aria-labelledby=messages-h]")
    expect(card).to_contain_text("1 conversation with a new message")
    card.get_by_role("link", name="Read your messages").click()
    page.get_by_role("link", name="Changing tracks").click()
    expect(page.locator(".msg.from-team .msg-body")).to_have_text(
        "Yes, from the first of the month."
    )
    _fits_a_phone(page)
