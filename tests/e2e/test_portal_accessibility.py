"""Accessibility of every participant page (docs/portal.md, "Accessibility"): axe-core
(tests/e2e/vendor/, see its README) runs in Chromium on each portal page of a participant with
data, at phone width (390 px), and finds no serious or critical WCAG 2.0/2.1/2.2 A or AA
violation (the others are printed). Each page is also checked at 320 px and with its text at
200 % (no horizontal scrolling), and at 390 and 320 px every link, button and summary that is
not inline in a sentence is at least 44 px tall."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.personas import PASSWORD, World, org_today
from trellis.measures.models import Score
from trellis.measures.tests.factories import complete_checkin, url_walk_values
from trellis.messaging.tests.helpers import messaging_walk_values
from trellis.notes.tests.walk import group_notes_walk_values, plans_notes_walk_values
from trellis.participants.actions import check_invite
from trellis.practice.actions.diary import do_configure_diary
from trellis.practice.tests.walk import practice_assign_walk_values
from trellis.practice.tests.walk_safety import safety_walk_values
from trellis.scheduling.tests.walk import scheduling_walk_values
from trellis.transitions.tests.factory import director_signed_summary

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # pinned: vendor/README.md
AXE_VERSION = "4.14.1"
PHONE: ViewportSize = {"width": 390, "height": 844}
NARROWEST: ViewportSize = {"width": 320, "height": 700}
TARGET = 44  # px, the portal's smallest target (docs/portal.md, "Phone first")
# axe's tags for the WCAG success criteria at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}

# axe-core is evaluated into the page through the DevTools protocol, which the page's
# Content-Security-Policy (script-src 'self') does not govern (page.add_script_tag inserts an
# inline script, which that policy refuses): the test runs against the policy real
# participants get, no bypass_csp.
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})
    .then((r) => ({
        passes: r.passes.length,
        incomplete: r.incomplete.map(
            (v) => v.id + " " + v.nodes.map((n) => n.target.join(" ")).join(", ")),
        violations: r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary)}))}))"""

# Links, buttons and summaries that are visible and not inline in a sentence (a link whose
# block has more text than the link: WCAG 2.5.8's "inline" exception), shorter than `min`.
# A crisis line's call link is never excused.
SMALL_TARGETS = """(min) => {
  const block = (el) => {
    let b = el.parentElement;
    while (b && getComputedStyle(b).display.startsWith("inline")) b = b.parentElement;
    return b;
  };
  const inSentence = (el) => getComputedStyle(el).display === "inline"
    && !el.matches("a[href^='tel:'], a[href^='sms:']")
    && block(el).textContent.trim().length > el.textContent.trim().length;
  return [...document.querySelectorAll(
      "main a, main button, main summary, main input[type=submit], header a, header button, "
      + "nav a, footer a")]
    .filter((el) => el.getClientRects().length && !inSentence(el))
    .filter((el) => el.getBoundingClientRect().height < min)
    .map((el) => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" `
      + `${Math.round(el.getBoundingClientRect().height)} px`);
}"""
# The innermost elements that reach past the right edge, when the page scrolls sideways.
SIDEWAYS = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const past = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.querySelectorAll("body *")]
    .filter((el) => past(el) && ![...el.children].some(past))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} `
      + `"${el.textContent.trim().slice(0, 30)}"`);
}"""
# Text at 200 %: the root font size doubled (what a browser's "font size" setting does; the
# stylesheets size text in rem or em, but for the charts' labels, which scale with the chart).
# Set through the CSSOM, which the page's style-src 'self' allows.
TEXT_200 = "() => { document.documentElement.style.fontSize = '200%'; }"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def new_page(context: BrowserContext, errors: list[str]) -> Page:
    """A page whose console errors and script errors go to `errors` (a 422 is expected: the
    check-in sent with nothing answered)."""
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "404" not in m.text and "status of 422" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def check(page: Page, url: str, found: dict[str, list[str]]) -> None:
    """Open `url` and record what is wrong with it in `found` (by page)."""
    page.goto(url)
    audit(page, re.sub(r"^https?://[^/]+", "", page.url), found)


def audit(page: Page, name: str, found: dict[str, list[str]]) -> None:
    """Record what is wrong with the page open now in `found`, under `name`."""
    page.set_viewport_size(PHONE)
    expect(page.locator("h1").first).to_be_visible()
    problems = found.setdefault(name, [])
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
        assert page.evaluate("() => axe.version") == AXE_VERSION
    results: dict[str, Any] = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert results["passes"] > 10, results  # axe ran its rules
    if results["incomplete"]:
        print(f"{name}: axe could not decide (check by hand): {results['incomplete']}")
    for v in results["violations"]:
        line = f"axe {v['impact']} {v['id']}: {v['help']} ({'; '.join(v['nodes'][:3])})"
        if v["impact"] in BLOCKING:
            problems.append(line)
        else:
            print(f"{name}: {line}")
    problems += [f"390 px: target {t}" for t in page.evaluate(SMALL_TARGETS, TARGET)]
    page.set_viewport_size(NARROWEST)
    problems += [f"320 px: scrolls sideways: {e}" for e in page.evaluate(SIDEWAYS)]
    problems += [f"320 px: target {t}" for t in page.evaluate(SMALL_TARGETS, TARGET)]
    page.set_viewport_size(PHONE)
    page.evaluate(TEXT_200)
    problems += [f"text 200 %: scrolls sideways: {e}" for e in page.evaluate(SIDEWAYS)]
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    if not problems:
        del found[name]


def participant_with_data(world: World) -> dict[str, str]:
    """Pat with a bit of everything: sessions and a calendar, a signed plan and safety plan,
    a check-in due, practice and a diary card, a signed group note, a message thread,
    scores for their progress; the ids of the pages that need one."""
    target = world.participant
    values = {
        **scheduling_walk_values(world, target),
        **url_walk_values(target),
        **plans_notes_walk_values(world, target),
        **group_notes_walk_values(world, target),
        **safety_walk_values(world, target),
        **practice_assign_walk_values(world, target),
        **messaging_walk_values(world, target),
    }
    do_configure_diary(None, target.episodes.get().program)
    for weeks_ago, total in ((3, 17), (2, 14), (1, 12), (0, 9)):
        response = complete_checkin(target, total, code="PHQ-9")
        Score.objects.filter(response=response).update(
            observed_on=org_today() - timedelta(weeks=weeks_ago)
        )
    return values


def test_every_portal_page_is_accessible(
    e2e_world: World, context: BrowserContext, live_server: Any, mailoutbox: list[Any]
) -> None:
    world = e2e_world
    ids = participant_with_data(world)
    mailoutbox.clear()
    check_invite(
        world.other_clinician, world.other_participant, email="rowan@example.test", phone=""
    )
    invitation = re.search(r"https?://\S+(/invite/\S+/)", mailoutbox[0].body)
    assert invitation is not None
    base = live_server.url
    found: dict[str, list[str]] = {}
    errors: list[str] = []
    page = new_page(context, errors)

    # Signed out: the sign-in page and the invitation.
    check(page, f"{base}/accounts/sign-in/", found)
    check(page, f"{base}{invitation.group(1)}", found)

    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/me/")
    for path in [
        "/me/",
        "/me/record/",
        "/me/schedule/",
        "/me/schedule/track/",
        "/me/check-ins/",
        f"/me/check-ins/{ids['administration_id']}/",
        "/me/plan/",
        "/me/group-notes/",
        f"/me/group-notes/{ids['entry_id']}/",
        "/me/practice/",
        f"/me/practice/{ids['assignment_id']}/",
        "/me/practice/diary/",
        "/me/practice/safety-plan/",
        "/me/messages/",
        "/me/messages/new/",
        f"/me/messages/{ids['thread_id']}/",
        "/me/progress/",
        "/me/offline/",
    ]:
        check(page, f"{base}{path}", found)

    # Two states after a submission: a check-in sent with nothing answered (its errors), and
    # a track request sent (the request waiting, the withdraw button).
    checkin = f"/me/check-ins/{ids['administration_id']}/"
    page.goto(f"{base}{checkin}")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".errorlist, .has-error").first).to_be_visible()
    audit(page, f"{checkin} (errors)", found)
    page.goto(f"{base}/me/schedule/track/")  # its form was checked above
    page.locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Send to my team").click()
    expect(page.get_by_role("button", name="Withdraw my request")).to_be_visible()
    audit(page, "/me/schedule/track/ (request sent)", found)

    # At the end of care: the aftercare page of an alumna with a signed summary and plan.
    director_signed_summary(world, world.participant)
    check(page, f"{base}/me/aftercare/", found)

    pages_by_problem: dict[str, list[str]] = {}
    for url, lines in found.items():
        for line in lines:
            pages_by_problem.setdefault(line, []).append(url)
    report = "\n".join(f"{line}\n    on {', '.join(on)}" for line, on in pages_by_problem.items())
    assert not found, f"accessibility problems:\n{report}"
    assert errors == [], f"browser console errors: {errors}"
