"""The navigation of the base layout shows each person the sections they may use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.worklist.actions import check_create_task


def nav(client: Client, path: str = "/") -> list[tuple[str, str, bool]]:
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return [(i["label"], i["url"], i["current"]) for i in response.context["nav_items"]]


STAFF = [("Today", "/"), ("Participants", "/participants/"), ("Schedule", "/schedule/")]
CLINICAL = [("My work", "/worklist/"), ("Meetings", "/meetings/")]
INTAKE = ("Intake", "/intake/")  # directors, intake coordinators and the front desk
PEERS_QUEUE = ("Peer space", "/peers/moderation/")  # the peer space's moderators


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # The peer space's queue: directors moderate their programs' boards.
        ("director", [*STAFF, ("Programs", "/programs/"), INTAKE, *CLINICAL, PEERS_QUEUE]),
        ("clinician", [*STAFF, ("Programs", "/programs/"), *CLINICAL]),
        ("front_desk", [*STAFF, ("Programs", "/programs/"), INTAKE]),
        ("intake", [*STAFF, ("Programs", "/programs/"), INTAKE]),
        ("compliance", [*STAFF, ("Programs", "/programs/"), ("Audit", "/audit/")]),
        (
            "participant",
            [
                ("Home", "/me/"),
                ("Schedule", "/me/schedule/"),
                ("Check-ins", "/me/check-ins/"),
                ("Practice", "/me/practice/"),
                ("Diary card", "/me/practice/diary/"),
                ("Plan", "/me/plan/"),
                ("Progress", "/me/progress/"),
                ("Safety plan", "/me/practice/safety-plan/"),
                ("Messages", "/me/messages/"),
                ("Peer space", "/me/peers/"),
            ],
        ),
    ],
)
def test_each_person_sees_the_sections_they_may_use(
    world: World,
    client_for: Callable[[User], Client],
    persona: str,
    expected: list[tuple[str, str]],
) -> None:
    items = nav(client_for(world.personas[persona]), "/accounts/settings/")
    assert [(label, url) for label, url, _ in items] == expected


def test_the_current_section_is_marked(world: World, client_for: Callable[[User], Client]) -> None:
    items = nav(client_for(world.director), "/participants/")
    assert [label for label, _, current in items if current] == ["Participants"]


def test_open_work_is_counted(world: World, client_for: Callable[[User], Client]) -> None:
    episode = world.participant.episodes.get()
    check_create_task(
        world.clinician,
        episode=episode,
        owner=world.clinician,
        title="Call back",
        due_at=timezone.now() + timedelta(days=1),
    )
    labels = [label for label, _, _ in nav(client_for(world.clinician), "/accounts/settings/")]
    assert "My work (1)" in labels


def test_signed_out_visitors_get_no_navigation(db: None) -> None:
    assert nav(Client(), reverse(settings.LOGIN_URL)) == []


def test_only_the_closest_section_is_marked(
    world: World, client_for: Callable[[User], Client]
) -> None:
    items = nav(client_for(world.participant_user), "/me/practice/diary/")
    assert [label for label, _, current in items if current] == ["Diary card"]


@pytest.mark.parametrize(
    ("path", "marked"),
    [("/me/", ["Home"]), ("/me/schedule/", ["Schedule"]), ("/me/record/", [])],
)
def test_home_is_marked_only_on_the_home(
    world: World, client_for: Callable[[User], Client], path: str, marked: list[str]
) -> None:
    items = nav(client_for(world.participant_user), path)
    assert [label for label, _, current in items if current] == marked
