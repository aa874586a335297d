"""Show times in the organization's time zone (a 6 pm group reads 6 pm, not 00:00 UTC), and
participant pages in the participant's language (English or Spanish)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from trellis.lib.languages import PORTAL_LANGUAGES, portal_language
from trellis.participants.guardianship import guardian_language, guardian_time_zone
from trellis.participants.models import Participant
from trellis.programs.models import Membership

SESSION_KEY = "trellis_time_zone"


def time_zone_of(user_id: int) -> str | None:
    """The user's organization's zone: from their first active membership, else from their
    participant record. A person working for two organizations in different zones sees the
    first one's (an edge the pages name by printing the zone where times matter)."""
    zone = (
        Membership.objects.active()
        .filter(user_id=user_id)
        .order_by("pk")
        .values_list("organization__time_zone", flat=True)
        .first()
    )
    if zone is None:
        zone = (
            Participant.objects.filter(user_id=user_id)
            .values_list("organization__time_zone", flat=True)
            .first()
        )
    if zone is None:
        zone = guardian_time_zone(user_id)  # a guardian: their linked participant's
    return zone


class OrganizationTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone: str | None = None
        if request.user.is_authenticated and hasattr(request, "session"):
            # Looked up once per session: the zone of an organization rarely changes, and a
            # query on every request would cost every page.
            zone = request.session.get(SESSION_KEY)
            if zone is None:
                zone = time_zone_of(request.user.pk)
                if zone:
                    request.session[SESSION_KEY] = zone
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


LANGUAGE_SESSION_KEY = "trellis_language"


def language_of(user_id: int) -> str:
    """The signed-in user's page language: a participant's (or a guardian's) preferred
    language when the portal has it (English or Spanish), English for staff (staff pages are
    English only)."""
    code = Participant.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    if code is None:
        code = guardian_language(user_id)  # a guardian's own choice (docs/portal.md)
    return portal_language(code)


class ParticipantLanguageMiddleware:
    """Activate the page language (docs/portal.md, "Spanish"): signed in, the participant's
    own preferred language, looked up once per session like the zone (the switcher updates
    it); staff, always English; signed out, the language cookie the switcher sets
    (`set_language`), else English. Never the browser's Accept-Language: the choice is the
    person's, made once and kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            language = request.session.get(LANGUAGE_SESSION_KEY)
            if language not in PORTAL_LANGUAGES:
                language = language_of(request.user.pk)
                request.session[LANGUAGE_SESSION_KEY] = language
        else:
            language = portal_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
