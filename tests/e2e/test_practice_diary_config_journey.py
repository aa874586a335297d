"""A program director configures the diary card on a tablet (768 px): from the program's
set-up hub, adds an urge with a target and a skills checklist, removes a row, sees a bad
threshold named and nothing saved, then saves; the participant's card shows the new rows."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.personas import PASSWORD, World
from trellis.practice.models import DiaryCardConfig
from trellis.practice.tests.helpers import dear_man

TABLET_WIDTH = 768


def sign_in(page: Page, live_server: object, username: str) -> None:
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_director_configures_the_diary_card_on_a_tablet(
    e2e_world: World, browser: Browser, live_server: object
) -> None:
    dear_man(e2e_world.organization)
    tablet = browser.new_context(viewport={"width": TABLET_WIDTH, "height": 1024})
    page = tablet.new_page()
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
    sign_in(page, live_server, "dana.director")
    page.goto(f"{live_server}/programs/{e2e_world.program.public_id}/setup/")
    page.get_by_role("link", name="Diary card").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diary card of")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET_WIDTH, f"the configuration page is wider than a tablet ({width} px)"
    page.get_by_label("Remove Joy").check()
    page.get_by_label("Label of a new row").nth(0).fill("Urge to gamble")
    page.get_by_label("Target or unit of the new row").nth(0).fill("betting")
    page.get_by_label("Label of a new row").nth(1).fill("Skills I used today")
    page.get_by_label("Kind of the new row").nth(1).select_option("skill_checklist")
    page.get_by_label("Row of a new rule").nth(0).select_option("sadness")
    page.get_by_label("Threshold of the new rule").nth(0).fill(
        "6"
    )  # the form allows 0–7; an emotion is 0–5
    page.get_by_role("button", name="Save the diary card").click()
    refused = page.locator("#config-errors")
    expect(refused).to_contain_text("Nothing was saved")
    expect(refused).to_contain_text("Risk rules: Rule 4: at_least must be a whole number 0–5.")
    assert not DiaryCardConfig.objects.exists()
    # The posted rows come back: fix the threshold and save.
    page.get_by_label("Threshold of rule 4").fill("5")
    page.get_by_role("button", name="Save the diary card").click()
    expect(page.get_by_text("Diary card saved.")).to_be_visible()
    expect(page.locator("#retired-rows")).to_contain_text("Joy")
    config = DiaryCardConfig.objects.get()
    assert [r["key"] for r in config.rows][-2:] == ["urge_to_gamble", "skills_i_used_today"]
    tablet.close()
    assert errors == [], f"browser console errors: {errors}"

    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    sign_in(phone, live_server, "pat.participant")
    phone.goto(f"{live_server}/me/practice/diary/")
    expect(phone.locator("#row-urge_to_gamble")).to_contain_text("Urge to gamble (betting)")
    box = phone.locator("#row-skills_i_used_today label.check-44").first.bounding_box()
    assert box is not None
    assert box["height"] >= 44, "a skill's checkbox is not a 44 px target"
    expect(phone.locator("#row-joy")).to_have_count(0)
    context.close()
