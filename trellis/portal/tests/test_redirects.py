"""The participant pages' old addresses redirect permanently to their place under /me/, with
the rest of the path and the query string; staff addresses that share a prefix do not."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

SOME_ID = uuid.UUID(int=7)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/participants/me/", "/me/record/"),
        ("/schedule/me/", "/me/schedule/"),
        ("/measures/me/", "/me/check-ins/"),
        (f"/measures/me/{SOME_ID}/", f"/me/check-ins/{SOME_ID}/"),
        ("/plans/mine/", "/me/plan/"),
        ("/notes/group/mine/", "/me/group-notes/"),
        (f"/notes/group/mine/{SOME_ID}/", f"/me/group-notes/{SOME_ID}/"),
        ("/practice/me/", "/me/practice/"),
        (f"/practice/me/{SOME_ID}/", f"/me/practice/{SOME_ID}/"),
        ("/practice/me/diary/?day=2026-12-01", "/me/practice/diary/?day=2026-12-01"),
        ("/practice/me/safety-plan/", "/me/practice/safety-plan/"),
    ],
)
def test_old_addresses_redirect_permanently_keeping_the_query(db: None, old: str, new: str) -> None:
    response = Client().get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_a_form_posted_to_an_old_address_is_posted_again(db: None) -> None:
    response = Client().post("/practice/me/safety-plan/acknowledge/")
    assert response.status_code == 308
    assert response["Location"] == "/me/practice/safety-plan/acknowledge/"


@pytest.mark.parametrize(
    "staff_path", ["/schedule/", "/schedule/mine/", "/notes/cosign/", "/participants/"]
)
def test_staff_addresses_sharing_a_prefix_are_not_redirected(db: None, staff_path: str) -> None:
    response = Client().get(staff_path)
    assert response.status_code == 302  # to sign-in, not to /me/
    assert response["Location"].startswith("/accounts/sign-in/")
