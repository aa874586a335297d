"""What a participant sees of their own portal: their sessions by group name and time, every
page of theirs in the menu, and their own name in the header (not their sign-in name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.measures.tests.factories import open_checkin
from trellis.scheduling.tests.factory import daily_group, enroll


def test_the_participant_menu_reaches_their_plan_and_group_notes(
    world: World, client_for: Callable[[User], Client]
) -> None:
    page = client_for(world.participant_user).get("/me/")
    labels = {item["label"]: item["url"] for item in page.context["nav_items"]}
    assert labels["Plan"] == "/me/plan/"
    body = page.content.decode()
    assert 'href="/me/group-notes/"' in body  # group notes and the record: from the home
    assert 'href="/me/record/"' in body
    for url in [*labels.values(), "/me/group-notes/", "/me/record/"]:
        assert client_for(world.participant_user).get(url).status_code == 200


def test_the_header_greets_the_participant_by_their_name(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.participant_user).get("/me/check-ins/").content.decode()
    header = body.split("<main")[0]
    assert "Patricia" in header
    assert world.participant_user.username not in header
    assert "Quillfeather" not in header  # first name only, on a shared screen


def test_a_preferred_name_is_used_in_the_header(
    world: World, client_for: Callable[[User], Client]
) -> None:
    world.participant.preferred_name = "Pat"
    world.participant.save(update_fields=["preferred_name"])
    body = client_for(world.participant_user).get("/me/check-ins/").content.decode()
    assert "Pat<" in body.split("<main")[0]


def test_staff_headers_keep_their_names(world: World, client_for: Callable[[User], Client]) -> None:
    body = client_for(world.clinician).get("/").content.decode()
    assert world.clinician.name in body.split("<main")[0]


def test_the_portal_names_the_participants_group_and_its_time(
    world: World, client_for: Callable[[User], Client]
) -> None:
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="Evening group")
    enroll(series, world.participant, org_today())
    body = client_for(world.participant_user).get("/me/schedule/").content.decode()
    upcoming = body.split('id="upcoming-h"')[1].split("</section>")[0]
    assert "Evening group" in upcoming
    assert "6:00 p.m." in upcoming or "6:00 pm" in upcoming
    assert "Trellis session" not in upcoming


def test_the_participants_own_lists_run_the_same_queries_at_two_sizes(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.participant_user)

    def queries(url: str) -> int:
        with count_queries() as captured:
            assert client.get(url).status_code == 200
        return captured.count

    start = org_today() - timedelta(days=3)
    enroll(daily_group(world, dtstart=start, name="Evening group"), world.participant)
    open_checkin(world.participant, "PHQ-9")
    queries("/me/schedule/")  # warm up: the session and the audit chain head
    small = (queries("/me/schedule/"), queries("/me/check-ins/"))
    for n in range(3):
        series = daily_group(world, dtstart=start, name=f"Group {n}")
        enroll(series, world.participant)
    open_checkin(world.participant, "GAD-7")
    assert (queries("/me/schedule/"), queries("/me/check-ins/")) == small
