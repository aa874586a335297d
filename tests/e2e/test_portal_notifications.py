"""Notification preferences on a phone (390 px): the participant opens Notifications from
their home, chooses text for messages (agreeing to be texted), turns on quiet hours, tries
quiet hours that end when they start (a clear error, nothing saved), fixes them and saves.
Every radio, checkbox label, field and button is a 44 px target; still usable at 320 px."""

from __future__ import annotations

from datetime import time

from playwright.sync_api import Browser, expect

from tests.personas import PASSWORD, World
from trellis.notifications.models import Channel, Preference

PHONE_WIDTH = 390
NARROWEST = 320


def test_a_participant_sets_their_notifications_on_a_phone(
    e2e_world: World, browser: Browser, live_server: object
) -> None:
    phone = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(10_000)
    # As the shared `page` fixture does, but the refused form's 400 is expected here.
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "status of 400" not in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/me/")
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_url(f"{live_server}/me/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")

    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '.notify-choice, .notify-form input[type=time], .notify-form select,'
              + ' .notify-form button, .portal-actions a')]
            .filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent)"""
    )
    assert small == [], f"targets under 44 px: {small}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is wider than the phone ({width} px)"

    messages = page.get_by_role("group", name="A new message from your care team")
    messages.get_by_label("Text message").check()
    page.get_by_label("I agree to get text messages").check()
    page.get_by_label("Use quiet hours").check()
    page.get_by_label("From", exact=True).fill("21:00")
    page.get_by_label("Until", exact=True).fill("21:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#quiet_end-error")).to_have_text(
        "Quiet hours must end at a different time than they start."
    )
    assert not Preference.objects.exists()

    page.get_by_label("Until", exact=True).fill("08:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    preference = Preference.objects.get()
    assert preference.message_channel == Channel.TEXT
    assert (preference.quiet_start, preference.quiet_end) == (time(21), time(8))

    page.set_viewport_size({"width": NARROWEST, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROWEST, f"the page is wider than a 320 px phone ({width} px)"
    phone.close()
    assert errors == [], f"browser console errors: {errors}"
