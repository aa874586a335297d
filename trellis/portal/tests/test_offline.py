"""Installable and offline (docs/portal.md, "Installable and offline"): the manifest, the
service worker's script and scope, the offline page, the session's device key, sign-out, and
the writes the device replays (one stored entry whatever the number of retries)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event, Purpose
from trellis.portal.offline import owner_tag
from trellis.portal.tests.history import add_practice_history
from trellis.practice.actions.diary import do_configure_diary
from trellis.practice.models.assignments import PracticeEntry
from trellis.practice.models.diary import DiaryCard
from trellis.practice.tests.helpers import assign_practice, dear_man, skill_practice_log
from trellis.practice.tests.walk_safety import safety_walk_values
from trellis.scheduling.tests.factory import daily_group, enroll

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def browser_for(user: User) -> Client:
    """A signed-in browser that checks CSRF, as a real one is checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def key_of(client: Client) -> dict[str, Any]:
    response = client.get("/me/offline/key/")
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


# --- The manifest and the worker -------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_manifest_installs_the_participants_home(
    world: World, client_for: ClientFor, signed_in: bool
) -> None:
    # Browsers fetch the manifest without cookies: it must answer anyone, and say nothing
    # about anyone.
    client = client_for(world.participant_user) if signed_in else Client()
    response = client.get("/me/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/me/"
    assert manifest["scope"] == "/me/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Trellis"  # never the program's name (the kind of treatment)
    program = world.participant.episodes.get().program
    assert program.name not in response.content.decode()
    assert manifest["theme_color"]
    assert manifest["background_color"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix("/static/")
        assert finders.find(path), f"missing icon {path}"
    with open(str(finders.find("portal/icon-192.png")), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_participants_pages_link_the_manifest_and_the_offline_script(
    world: World, client_for: ClientFor
) -> None:
    body = client_for(world.participant_user).get("/me/").content.decode()
    assert '<link rel="manifest" href="/me/manifest.webmanifest">' in body
    assert "portal/offline.js" in body
    assert 'data-sw="/me/sw.js"' in body
    assert "<script>" not in body  # script-src 'self': no inline scripts
    staff = client_for(world.clinician).get("/").content.decode()
    assert "portal/offline.js" not in staff  # staff pages keep nothing on the device


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_service_worker_is_served_for_the_me_scope(
    world: World, client_for: ClientFor, signed_in: bool
) -> None:
    client = client_for(world.participant_user) if signed_in else Client()
    response = client.get("/me/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/me/"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    script = response.content.decode()
    assert 'const SCOPE = "/me/";' in script
    assert 'const STATIC_URL = "/static/";' in script
    assert "{%" not in script
    assert "{{" not in script


def test_the_service_worker_stores_nothing_but_reads_the_static_cache() -> None:
    """The worker never writes a cache: no page, no API answer is put there. It only reads
    the static cache (filled by offline.js with the offline page's styles and scripts) and
    the encrypted offline page in IndexedDB."""
    script = Client().get("/me/sw.js").content.decode()
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("//"))
    for writing in (".put(", ".add(", ".addAll(", "cache.put", "localStorage", "sessionStorage"):
        assert writing not in code, writing
    assert 'if (request.method !== "GET") return;' in code  # the API is never touched
    assert "fetch(request).catch(() => offlineResponse())" in code  # network first
    # The worker opens the device's database and, by name, the static cache: nothing else.
    assert code.count(".open(") == 2
    assert "indexedDB.open(DB_NAME)" in code
    assert ".open(STATIC_CACHE)" in code
    # The page's script is the only writer, and only of the offline page's own static files.
    with open(str(finders.find("portal/offline.js"))) as source:
        offline_js = source.read()
    assert offline_js.count("cache.addAll(") == 1
    assert offline_js.count("caches.open(") == 1


# --- The offline page ------------------------------------------------------------------------


def offline_body(world: World, client_for: ClientFor) -> str:
    response = client_for(world.participant_user).get("/me/offline/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return str(response.content.decode())


def test_the_offline_page_has_the_safety_plan_sessions_and_crisis_numbers(
    world: World, client_for: ClientFor
) -> None:
    body = offline_body(world, client_for)
    assert "do not have a signed safety plan yet" in body
    assert 'href="tel:988"' in body
    assert 'id="sessions-h"' in body
    assert 'id="diary-h"' not in body  # the program keeps no diary card
    safety_walk_values(world, world.participant)
    body = offline_body(world, client_for)
    assert f"{world.participant.family_name} walk" in body  # the plan's warning signs
    assert 'data-zone="' in body


def test_the_offline_page_offers_the_diary_card_and_skill_practice(
    world: World, client_for: ClientFor
) -> None:
    do_configure_diary(None, world.participant.episodes.get().program)
    skill = assign_practice(world)
    worksheet = assign_practice(
        world, title="Thought record", skill=None, worksheet=skill_practice_log(world.organization)
    )
    body = offline_body(world, client_for)
    assert 'data-offline-form="diary" data-url="/api/v1/practice/me/diary-cards"' in body
    assert 'name="sadness"' in body
    entries = f"/api/v1/practice/me/assignments/{skill.public_id}/entries"
    assert f'data-offline-form="practice" data-url="{entries}"' in body
    # A worksheet's own fields, and what offline.js needs to read them into answers.
    sheet = body.split(f'id="practice-{worksheet.public_id}"')[1].split("</article>")[0]
    sheet_url = f"/api/v1/practice/me/assignments/{worksheet.public_id}/entries"
    assert f'data-url="{sheet_url}"' in sheet
    assert "data-fields=" in sheet
    assert "&quot;how_it_went&quot;" in sheet
    assert "Skill I used" in sheet
    skill_id = dear_man(world.organization).public_id
    assert f'<option value="{skill_id}">Asking for what you need (DEAR MAN)' in sheet
    assert "<script>" not in body
    assert "style=" not in body


def test_the_offline_page_is_the_participants_own_and_audited(
    world: World, client_for: ClientFor
) -> None:
    safety_walk_values(world, world.other_participant)
    body = offline_body(world, client_for)
    assert world.other_participant.family_name not in body
    assert Event.objects.filter(
        actor=world.participant_user, participant=world.participant, purpose=Purpose.PATRQT
    ).exists()
    assert client_for(world.clinician).get("/me/offline/")["Location"] == "/"
    signed_out = Client().get("/me/offline/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/sign-in/")


def test_the_offline_pages_queries_do_not_grow_with_history(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    today = org_today()
    do_configure_diary(None, world.participant.episodes.get().program)
    safety_walk_values(world, world.participant)
    series = daily_group(world, dtstart=today - timedelta(weeks=52), name="DBT skills")
    enroll(series, world.participant, today - timedelta(weeks=52))
    assign_practice(world)
    client = client_for(world.participant_user)
    client.get("/me/offline/")  # warm up: the session and the audit chain head
    add_practice_history(world.participant, 4, today)
    with count_queries() as small:
        assert client.get("/me/offline/").status_code == 200
    add_practice_history(world.participant, 48, today - timedelta(weeks=4))
    with count_queries() as large:
        assert client.get("/me/offline/").status_code == 200
    assert small.count == large.count


# --- The device key ----------------------------------------------------------------------------


def test_the_device_key_belongs_to_the_session(world: World) -> None:
    phone = browser_for(world.participant_user)
    response = phone.get("/me/offline/key/")
    assert "no-store" in response["Cache-Control"]
    first = response.json()
    assert len(base64.b64decode(first["key"])) == 32  # AES-256
    same = key_of(phone)  # the same key for the whole session (the CSRF token is re-masked)
    assert (same["kid"], same["key"], same["owner"]) == (first["kid"], first["key"], first["owner"])
    again = browser_for(world.participant_user)  # a new sign-in: a new key, the same owner
    second = key_of(again)
    assert (second["kid"], second["key"]) != (first["kid"], first["key"])
    assert second["owner"] == first["owner"]
    assert owner_tag(world.other_participant.public_id) != first["owner"]
    assert str(world.participant.public_id) not in json.dumps(first)


def test_only_a_signed_in_participant_gets_a_key(world: World, client_for: ClientFor) -> None:
    assert Client().get("/me/offline/key/").status_code == 401
    assert client_for(world.clinician).get("/me/offline/key/").status_code == 404
    assert client_for(world.outsider).get("/me/offline/key/").status_code == 404


def test_sign_out_ends_the_key_and_clears_the_device(world: World) -> None:
    phone = browser_for(world.participant_user)
    token = key_of(phone)["csrf"]
    response = phone.post("/accounts/sign-out/", headers={"X-CSRFToken": token})
    assert response.status_code == 302
    # The browser deletes the key, the queue, the stored page, the cache and the worker.
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert phone.get("/me/offline/key/").status_code == 401


# --- The writes the device replays ---------------------------------------------------------------


def send(client: Client, url: str, body: dict[str, Any], key: str, csrf: str) -> Any:
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key, "X-CSRFToken": csrf},
    )


def test_a_diary_card_sent_again_is_stored_once(world: World) -> None:
    do_configure_diary(None, world.participant.episodes.get().program)
    phone = browser_for(world.participant_user)
    csrf = key_of(phone)["csrf"]
    url = "/api/v1/practice/me/diary-cards"
    body = {"card_on": org_today().isoformat(), "answers": {"sadness": "2", "note": "train"}}
    first = send(phone, url, body, "a" * 32, csrf)
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    for _ in range(2):  # the connection dropped before the answer came: sent again
        retry = send(phone, url, body, "a" * 32, csrf)
        assert retry.status_code == 200
        assert retry.json()["created"] is False
        assert retry.json()["public_id"] == first.json()["public_id"]
    assert DiaryCard.objects.filter(participant=world.participant).count() == 1
    # Another entry for the same day (written offline on a second tab): not stored twice,
    # and the answer says so (the page tells the participant).
    other = send(phone, url, body | {"answers": {"sadness": "4"}}, "b" * 32, csrf)
    assert (other.status_code, other.json()["created"]) == (200, False)
    assert DiaryCard.objects.filter(participant=world.participant).count() == 1


def test_a_practice_log_sent_again_is_stored_once(world: World) -> None:
    assignment = assign_practice(world)
    phone = browser_for(world.participant_user)
    csrf = key_of(phone)["csrf"]
    url = f"/api/v1/practice/me/assignments/{assignment.public_id}/entries"
    body = {"practiced_on": org_today().isoformat(), "rating": 7, "what_happened": "asked"}
    statuses = [send(phone, url, body, "c" * 32, csrf).status_code for _ in range(3)]
    assert statuses == [201, 200, 200]
    assert PracticeEntry.objects.filter(assignment=assignment).count() == 1


def test_a_replay_without_the_csrf_token_or_session_stores_nothing(world: World) -> None:
    do_configure_diary(None, world.participant.episodes.get().program)
    phone = browser_for(world.participant_user)
    url = "/api/v1/practice/me/diary-cards"
    body = {"card_on": org_today().isoformat(), "answers": {"sadness": "2"}}
    assert send(phone, url, body, "d" * 32, "wrong").status_code == 403
    assert send(Client(), url, body, "d" * 32, "").status_code == 401
    assert DiaryCard.objects.filter(participant=world.participant).count() == 0


def test_a_refused_entry_names_the_field_and_stores_nothing(world: World) -> None:
    do_configure_diary(None, world.participant.episodes.get().program)
    phone = browser_for(world.participant_user)
    csrf = key_of(phone)["csrf"]
    url = "/api/v1/practice/me/diary-cards"
    bad = send(phone, url, {"card_on": "2099-01-01", "answers": {"sadness": "2"}}, "e" * 32, csrf)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"card_on"}
    too_long = send(phone, url, {"card_on": org_today().isoformat(), "answers": {}}, "f" * 65, csrf)
    assert too_long.status_code == 422
    assert DiaryCard.objects.filter(participant=world.participant).count() == 0
