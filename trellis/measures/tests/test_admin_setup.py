"""Administrators set up check-in schedules, on-call shifts and feed settings in /admin/."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_user, do_set_administrator


@pytest.mark.parametrize(
    "path",
    [
        "/admin/measures/schedule/",
        "/admin/measures/schedule/add/",
        "/admin/worklist/programoncall/",
        "/admin/worklist/programoncall/add/",
        "/admin/scheduling/programschedulesettings/add/",
    ],
)
def test_administrator_opens_the_setup_screens(world: World, path: str) -> None:
    admin = do_create_user(None, username="ada.admin", password="x" * 16)
    do_set_administrator(None, admin, is_administrator=True)
    client = Client()
    client.force_login(admin)
    assert client.get(path).status_code == 200


def test_clinicians_are_kept_out_of_setup(world: World) -> None:
    client = Client()
    client.force_login(world.clinician)
    response = client.get("/admin/worklist/programoncall/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
