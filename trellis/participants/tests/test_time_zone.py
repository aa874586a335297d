"""Pages show times in the organization's zone, for staff and for participants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.participants.middleware import OrganizationTimeZoneMiddleware


def zone_seen_by(user: User | AnonymousUser) -> str:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(timezone.get_current_timezone_name())

    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return OrganizationTimeZoneMiddleware(view)(request).content.decode()


@pytest.mark.parametrize("persona", ["director", "front_desk", "participant"])
def test_signed_in_people_see_their_organizations_zone(world: World, persona: str) -> None:
    assert zone_seen_by(world.personas[persona]) == "America/Chicago"


def test_anonymous_visitors_see_utc(world: World) -> None:
    assert zone_seen_by(AnonymousUser()) == "UTC"


def test_the_zone_is_reset_after_the_request(world: World) -> None:
    zone_seen_by(world.director)
    assert timezone.get_current_timezone_name() == "UTC"
