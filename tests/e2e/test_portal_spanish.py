"""The portal in Spanish on a phone (390 px): the participant taps "Español" on their home,
the home comes back in Spanish (dates, cards, the crisis line), fits the phone, and the
choice is kept on their record for the next sign-in."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, org_today
from trellis.participants.models import Participant
from trellis.scheduling.tests.factory import daily_group, enroll

PHONE_WIDTH = 390


def test_a_participant_switches_their_home_to_spanish(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="Grupo DBT")
    enroll(series, world.participant, org_today())
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Patricia")

    switch = page.locator("form.language-switch")
    switch.get_by_role("button", name="Español").click()
    page.wait_for_url(f"{live_server}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Patricia")
    assert page.locator("html").get_attribute("lang") == "es"
    sessions = page.locator("section[aria-labelledby=sessions-h]")
    expect(sessions.get_by_role("heading", level=2)).to_have_text("Próximas sesiones")
    expect(sessions).to_contain_text("Grupo DBT")
    crisis = page.locator("section[aria-labelledby=crisis-h]")
    expect(crisis).to_contain_text("Llame o escriba al 988")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the Spanish home is wider than the phone ({width} px)"
    for name in ("English", "Español"):
        box = switch.get_by_role("button", name=name).bounding_box()
        assert box is not None
        assert box["height"] >= 44, f"the {name} button is under 44 px"
    assert Participant.objects.get(pk=world.participant.pk).language == "es"
