"""A guardian's view at phone width (docs/portal.md, "Guardians"): a parent opens the
invitation link, sets up a family account, lands on /family/ in Spanish, opens their teenager
and sees the sessions and attendance, never more. axe-core on the guardian's pages, the
guardian's invitation page and the teenager's My guardians (the checks of
test_portal_accessibility.py: no serious or critical violation, 44 px targets, 320 px and
200 % text without sideways scrolling)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.test_portal_accessibility import PHONE, audit, check, new_page
from tests.personas import PASSWORD, World, org_today
from trellis.accounts.actions import do_create_user
from trellis.participants.actions import do_link_participant_user
from trellis.participants.actions.guardians import do_invite_guardian, do_set_guardian_policy
from trellis.participants.models import GuardianKind, GuardianRelationship
from trellis.participants.tests.guardian_factories import Teens, build_teens
from trellis.scheduling import actions
from trellis.scheduling.tests.factory import enroll


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def teen_with_sessions(world: World) -> Teens:
    teens = build_teens(world)
    series = actions.do_create_series(
        world.director,
        teens.track,
        actions.SeriesData(
            name="Teen skills group",
            start_time=time(16, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            dtstart=date(2026, 9, 7),
            capacity=10,
            room=world.room,
            facilitators=[world.clinician],
        ),
    )
    enroll(series, teens.teen, org_today())
    do_set_guardian_policy(world.director, teens.program, {*GuardianKind.values})
    return teens


def test_a_guardian_sets_up_a_family_account_and_reads_the_schedule_in_spanish(
    e2e_world: World, context: BrowserContext, live_server: Any, mailoutbox: list[Any]
) -> None:
    world = e2e_world
    teens = teen_with_sessions(world)
    mailoutbox.clear()
    do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="Marisol Oakhollow",
        relationship=GuardianRelationship.PARENT,
        email="marisol@example.test",
        language="es",
    )
    link = re.search(r"https?://\S+(/invite/\S+/)", mailoutbox[0].body)
    assert link is not None
    errors: list[str] = []
    page = new_page(context, errors)
    base = live_server.url
    page.goto(f"{base}{link.group(1)}")
    expect(page.get_by_role("heading", name="Hola, Marisol Oakhollow")).to_be_visible()
    page.locator("#id_username").fill("marisol")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Crear mi cuenta familiar").click()
    page.wait_for_url(f"{base}/family/")
    expect(page.get_by_role("heading", name="Familia", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ivy").click()
    expect(page.get_by_role("heading", name="Ivy")).to_be_visible()
    expect(page.get_by_role("heading", name="Próximas sesiones")).to_be_visible()
    expect(page.get_by_role("heading", name="Cuestionarios pendientes")).to_be_visible()
    # Scores need Ivy's consent: not given.
    expect(page.get_by_role("heading", name="Puntuaciones de los cuestionarios")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == [], errors


def test_the_guardians_pages_are_accessible(
    e2e_world: World, context: BrowserContext, live_server: Any, mailoutbox: list[Any]
) -> None:
    world = e2e_world
    teens = teen_with_sessions(world)
    mailoutbox.clear()
    do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="Marisol Oakhollow",
        relationship=GuardianRelationship.PARENT,
        email="marisol@example.test",
    )
    link = re.search(r"https?://\S+(/invite/\S+/)", mailoutbox[0].body)
    assert link is not None
    base = live_server.url
    found: dict[str, list[str]] = {}
    errors: list[str] = []
    page = new_page(context, errors)
    check(page, f"{base}{link.group(1)}", found)  # signed out: the guardian's invitation

    def sign_in(username: str) -> None:
        page.goto(f"{base}/accounts/sign-in/")
        page.get_by_label("Email or username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in/" not in url)

    sign_in(teens.guardian.username)  # Spanish: chosen at the invitation
    check(page, f"{base}/family/", found)
    check(page, f"{base}/family/{teens.teen.public_id}/", found)
    audit(page, "/family/<teen>/", found)
    page.context.clear_cookies()

    teen_user = do_create_user(None, username="tobin", password=PASSWORD, is_staff_profile=False)
    do_link_participant_user(None, teens.teen, teen_user)
    sign_in("tobin")
    check(page, f"{base}/me/guardians/", found)
    assert not found, f"accessibility problems: {found}"
    assert errors == [], f"browser console errors: {errors}"
