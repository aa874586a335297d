"""Installable and offline at phone width (390 px), in Chromium with its service worker: the
participant signs in, loses the connection, reads their safety plan, fills in the diary card
(saved encrypted on the phone), and comes back online: exactly one card is stored, and a
replay of the same submission stores nothing twice. Sign-out with an entry waiting asks first,
then leaves nothing on the phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.personas import PASSWORD, World
from trellis.accounts.actions import do_create_user
from trellis.participants.actions import do_link_participant_user
from trellis.practice.actions.diary import do_configure_diary
from trellis.practice.models.assignments import PracticeEntry
from trellis.practice.models.diary import DiaryCard
from trellis.practice.tests.helpers import assign_practice, dear_man, skill_practice_log
from trellis.practice.tests.walk_safety import safety_walk_values

PHONE: ViewportSize = {"width": 390, "height": 844}
RETRY_WAIT_MS = 15_000  # offline.js tries again after 5 s, then 10 s
# What a page without a connection logs, expected here: the worker's and the page's own
# requests that cannot get through.
NETWORK_DOWN = ("ERR_INTERNET_DISCONNECTED", "ERR_CONNECTION_RESET", "ERR_FAILED")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """conftest's page, except that requests failing for want of a network are expected."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error"
            and "404" not in message.text
            and not any(code in message.text for code in NETWORK_DOWN)
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


# Everything this site keeps in the browser: cached URLs, and the IndexedDB records as text
# (an encrypted record's bytes are decoded too, so that a plain answer would show).
DEVICE = """async () => {
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) cached.push(new URL(request.url).pathname);
  }
  const dump = await new Promise((resolve) => {
    const open = indexedDB.open("trellis-offline");
    open.onsuccess = () => {
      const db = open.result;
      const names = [...db.objectStoreNames];
      if (!names.length) { resolve({}); return; }
      const tx = db.transaction(names);
      const out = {};
      names.forEach((n) => {
        const r = tx.objectStore(n).getAll();
        r.onsuccess = () => { out[n] = r.result; };
      });
      tx.oncomplete = () => resolve(out);
    };
    open.onerror = () => resolve({});
  });
  const text = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v)
    ? new TextDecoder("latin1").decode(v) : JSON.stringify(v);
  const records = {};
  for (const [store, rows] of Object.entries(dump)) {
    records[store] = rows.map((row) => Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, v instanceof CryptoKey
        ? {cryptoKey: true, extractable: v.extractable} : text(v)])));
  }
  return {cached, records};
}"""


def device(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(DEVICE)
    return found


def ready(page: Page) -> None:
    """offline.js has done its work on this page (key, stored page, queue sent)."""
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")


def sign_in_on_a_phone(page: Page, live_server: object) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/me/")
    # The worker is registered and controls the page; the offline page is stored.
    ready(page)
    controlled = page.evaluate(
        """() => navigator.serviceWorker.ready.then(() => new Promise((resolve) => {
            if (navigator.serviceWorker.controller) { resolve(true); return; }
            navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
        }))"""
    )
    assert controlled


def test_a_diary_card_written_offline_is_sent_exactly_once(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    do_configure_diary(None, world.participant.episodes.get().program)
    safety_walk_values(world, world.participant)  # warning signs: "Quillfeather walk"
    sign_in_on_a_phone(page, live_server)

    # Chromium reads the manifest without an error.
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/me/manifest.webmanifest")
    assert manifest["errors"] == [], manifest["errors"]
    # Playwright's contexts are incognito windows, where Chromium does not offer to install
    # ("in-incognito"); any other installability error it reports fails the test.
    problems = [
        e["errorId"]
        for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        if e["errorId"] != "in-incognito"
    ]
    assert problems == []

    # What is on the device: the offline page's static files in the cache (nothing else),
    # the offline page encrypted, the key not extractable.
    kept = device(page)
    assert kept["cached"], "the offline page's styles and scripts are cached"
    assert all(path.startswith("/static/") for path in kept["cached"]), kept["cached"]
    pages = kept["records"]["pages"]
    assert [p["name"] for p in pages] == ['"offline"']
    assert "Quillfeather" not in pages[0]["ct"]  # encrypted, not the page's text
    keys = kept["records"]["keys"]
    assert len(keys) == 1
    assert keys[0]["key"] == {"cryptoKey": True, "extractable": False}

    # On the train: no connection. Any /me/ page shows the offline copy.
    page.context.set_offline(True)
    page.goto(f"{live_server}/me/practice/diary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("On this phone")
    plan = page.locator("#offline-safety-plan")
    expect(plan).to_contain_text("Quillfeather walk")
    expect(page.locator('#crisis a[href="tel:988"]')).to_be_visible()
    for width in (PHONE["width"], 320):  # a phone, and still usable at 320 px
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the offline page is wider than {width} px ({scroll} px)"
    page.set_viewport_size(PHONE)
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '.portal a, .portal button, .portal .scale label, .portal .yesno label')]
            .filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent)"""
    )
    assert small == [], f"targets under 44 px: {small}"

    diary = page.locator("form[data-offline-form=diary]")
    diary.locator("fieldset", has_text="Sadness").get_by_label("2", exact=True).check()
    diary.get_by_label("Anything else").fill("Long day on the train")
    diary.get_by_role("button", name="Save my card").click()
    waiting = page.locator("#offline-queue li[data-state=waiting]")
    expect(waiting).to_contain_text(
        "Saved on this phone; it will be sent when you are back online."
    )
    assert DiaryCard.objects.filter(participant=world.participant).count() == 0
    queued = device(page)["records"]["queue"]
    assert len(queued) == 1
    assert "Long day" not in queued[0]["ct"]  # the answers are encrypted on the phone

    # Back online: sent once, with its Idempotency-Key; the page says when.
    sent: list[dict[str, str]] = []
    page.on(
        "request",
        lambda r: (
            sent.append({"url": r.url, "body": r.post_data or "", **r.headers})
            if r.method == "POST" and "/diary-cards" in r.url
            else None
        ),
    )
    page.context.set_offline(False)
    # Chromium's offline emulation does not tell a page opened offline that it is back
    # online (navigator.onLine stayed true): the page's retry sends it, within 5 s.
    expect(page.locator("#offline-queue li[data-state=sent]")).to_contain_text(
        "Sent at", timeout=RETRY_WAIT_MS
    )
    cards = DiaryCard.objects.filter(participant=world.participant)
    assert cards.count() == 1
    assert cards.get().values["sadness"] == 2
    assert len(sent) == 1
    key = sent[0]["idempotency-key"]
    assert len(key) == 32

    # The same submission again (an answer lost on the way back): nothing stored twice.
    replay = page.context.request.post(
        sent[0]["url"],
        data=sent[0]["body"],
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            "X-CSRFToken": sent[0]["x-csrftoken"],
        },
    )
    assert replay.status == 200, replay.text()
    assert replay.json()["created"] is False
    assert DiaryCard.objects.filter(participant=world.participant).count() == 1
    # After sending, the device keeps only "sent at", not the answers.
    assert "Long day" not in str(device(page)["records"]["queue"])


def test_a_lost_answer_is_retried_with_the_same_key_and_stored_once(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    assignment = assign_practice(world)
    sign_in_on_a_phone(page, live_server)
    page.goto(f"{live_server}/me/offline/")
    keys: list[str] = []

    # The server stores the entry, but the answer never reaches the phone.
    def lose_the_answer(route: Any) -> None:
        # Noted once the server has answered (and stored it): the test reads the database
        # only after that, never while the request is still on its way.
        route.fetch()
        keys.append(route.request.headers["idempotency-key"])
        route.abort("connectionreset")

    def pass_through(route: Any) -> None:
        keys.append(route.request.headers["idempotency-key"])
        route.continue_()

    page.context.route("**/entries", lose_the_answer)
    form = page.locator("form[data-offline-form=practice]")
    form.locator("fieldset").get_by_label("7", exact=True).check()
    form.get_by_label("What happened").fill("Asked for the day off")
    form.get_by_role("button", name="Log it").click()
    for _ in range(100):
        if keys:
            break
        page.wait_for_timeout(100)
    expect(page.locator("#offline-queue li[data-state=waiting]")).to_be_visible()
    assert PracticeEntry.objects.filter(assignment=assignment).count() == 1  # stored, unheard
    page.context.unroute("**/entries")
    page.context.route("**/entries", pass_through)
    # The page tries again by itself (5 s later), with the same key: still one entry.
    expect(page.locator("#offline-queue li[data-state=sent]")).to_contain_text(
        "Sent at", timeout=RETRY_WAIT_MS
    )
    assert PracticeEntry.objects.filter(assignment=assignment).count() == 1
    assert len(keys) == 2, keys
    assert keys[0] == keys[1], keys


def test_sign_out_with_an_entry_waiting_asks_then_leaves_nothing(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    do_configure_diary(None, world.participant.episodes.get().program)
    sign_in_on_a_phone(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server}/me/")
    diary = page.locator("form[data-offline-form=diary]")
    diary.get_by_label("Anything else").fill("Not sent")
    diary.get_by_role("button", name="Save my card").click()
    expect(page.locator("#offline-queue li[data-state=waiting]")).to_be_visible()
    page.context.route("**/me/offline/key/", lambda route: route.abort())  # no way through
    page.context.set_offline(False)
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss() if len(questions) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_timeout(300)
    assert questions == [
        "1 entry is not sent yet. If you sign out now, it is deleted from this phone and "
        "lost. Sign out anyway?"
    ]
    assert "/me/" in page.url  # dismissed: still signed in, the entry still waiting
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    kept = device(page)
    assert kept["cached"] == []
    assert all(rows == [] for rows in kept["records"].values()), kept["records"]
    registrations = page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)")
    assert registrations == 0
    assert DiaryCard.objects.filter(participant=world.participant).count() == 0


def write_a_card_offline(page: Page, live_server: object, note: str) -> None:
    page.context.set_offline(True)
    page.goto(f"{live_server}/me/")
    diary = page.locator("form[data-offline-form=diary]")
    diary.get_by_label("Anything else").fill(note)
    diary.get_by_role("button", name="Save my card").click()
    expect(page.locator("#offline-queue li[data-state=waiting]")).to_be_visible()


def sign_in_again(page: Page, live_server: object, username: str) -> None:
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/me/")
    ready(page)


def test_after_the_session_ends_the_same_person_signs_in_and_it_is_sent(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    do_configure_diary(None, world.participant.episodes.get().program)
    sign_in_on_a_phone(page, live_server)
    write_a_card_offline(page, live_server, "Written before the timeout")
    # The session ends while the phone is offline (the idle timeout): its key with it. The
    # entry, encrypted with that session's key, stays on the phone.
    page.context.clear_cookies()
    page.context.set_offline(False)
    sign_in_again(page, live_server, "pat.participant")  # a new session, a new key
    expect(page.locator("#offline-banner")).to_have_count(0)
    cards = DiaryCard.objects.filter(participant=world.participant)
    assert cards.count() == 1
    assert cards.get().note == "Written before the timeout"
    assert len(device(page)["records"]["keys"]) == 2  # the old key, until its entry is old


def test_another_person_signing_in_deletes_what_was_waiting_unsent(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    do_configure_diary(None, world.participant.episodes.get().program)
    rowan = do_create_user(None, username="rowan.t", password=PASSWORD, is_staff_profile=False)
    do_link_participant_user(None, world.other_participant, rowan)
    sign_in_on_a_phone(page, live_server)
    write_a_card_offline(page, live_server, "Pat's card")
    page.context.clear_cookies()  # Pat's session ended without signing out
    page.context.set_offline(False)
    sign_in_again(page, live_server, "rowan.t")  # someone else, on the same browser
    kept = device(page)["records"]
    assert kept["queue"] == []  # Pat's entry: deleted, never sent under Rowan's sign-in
    assert len(kept["keys"]) == 1
    assert not DiaryCard.objects.exists()


def test_a_worksheet_written_offline_is_sent_with_its_answers(
    e2e_world: World, page: Page, live_server: object
) -> None:
    world = e2e_world
    assignment = assign_practice(
        world,
        title="Skill practice log",
        skill=None,
        worksheet=skill_practice_log(world.organization),
    )
    sign_in_on_a_phone(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server}/me/practice/{assignment.public_id}/")
    sheet = page.locator("form[data-offline-form=practice]")
    sheet.get_by_label("What happened").fill("Asked my manager for Friday off")
    sheet.get_by_label("Skill I used").select_option(label="Asking for what you need (DEAR MAN)")
    sheet.get_by_label("How it went").select_option("8")
    sheet.get_by_role("button", name="Log it").click()
    expect(page.locator("#offline-queue li[data-state=waiting]")).to_contain_text(
        "Skill practice log"
    )
    assert not PracticeEntry.objects.exists()
    page.context.set_offline(False)
    expect(page.locator("#offline-queue li[data-state=sent]")).to_contain_text(
        "Sent at", timeout=RETRY_WAIT_MS
    )
    entry = PracticeEntry.objects.get(assignment=assignment)
    assert entry.answers["how_it_went"] == 8
    assert entry.answers["situation"] == "Asked my manager for Friday off"
    assert entry.answers["skill"] == str(dear_man(world.organization).public_id)
