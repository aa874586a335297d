"""The participant's portal: the home at /me/, their record, and the old addresses' redirects.

The other participant pages live in their own apps (each app's urls.py serves them under
/me/: /me/schedule/, /me/check-ins/, /me/plan/, /me/group-notes/, /me/practice/…).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Purpose
from trellis.participants.actions import check_set_own_language
from trellis.participants.actions.guardians import check_set_guardian_language
from trellis.participants.guardianship import has_guardians, is_guardian
from trellis.participants.middleware import LANGUAGE_SESSION_KEY
from trellis.portal.cards import build_cards
from trellis.portal.progress import SECTIONS
from trellis.privacy.access import ParticipantAccess, Scope, access_participant
from trellis.privacy.policy import grants_for


def _own_record(request: AuthedRequest) -> ParticipantAccess | HttpResponse:
    """The signed-in participant's own record, opened and audited; staff go to their Today
    (the portal is the participant's), anyone else gets the "no role" page."""
    participant = getattr(request.user, "participant", None)
    if participant is None:
        if grants_for(request.user).is_staff_member:
            return redirect("today")
        if is_guardian(request.user):
            return redirect("portal:family")  # a guardian's home (docs/portal.md, "Guardians")
        return render(request, "no_role.html", status=403)
    return access_participant(
        request.user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Next sessions, check-ins due, practice this week, today's diary card, the safety plan,
    plan goals and, always, the crisis line."""
    access = _own_record(request)
    if isinstance(access, HttpResponse):
        return access
    episode = access.current_episode
    return render(
        request,
        "portal/home.html",
        {
            "participant": access.participant,
            "program": episode.program if episode is not None else None,
            "cards": build_cards(request.user, access),
            "has_guardians": has_guardians(access.participant),
        },
    )


@login_required
def progress(request: AuthedRequest) -> HttpResponse:
    """My progress: the participant's own check-in scores, hours, practice and plan goals
    in plain language (docs/portal.md, "My progress"). The record is opened once, audited;
    each section reads through its app's queries."""
    access = _own_record(request)
    if isinstance(access, HttpResponse):
        return access
    episode = access.current_episode
    return render(
        request,
        "portal/progress.html",
        {
            "program": episode.program if episode is not None else None,
            "sections": build_cards(request.user, access, SECTIONS),
        },
    )


@login_required
def record(request: AuthedRequest) -> HttpResponse:
    """The participant's own details and enrollment."""
    access = _own_record(request)
    if isinstance(access, HttpResponse):
        return access
    return render(
        request,
        "portal/record.html",
        {"participant": access.participant, "episode": access.current_episode},
    )


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language switcher (English / Español, docs/portal.md "Spanish"). A signed-in
    participant's choice is stored on their record (audited, `check_set_own_language`) and
    in the session (a guardian's on their links); signed out, Django's `set_language` keeps
    it in the language cookie.
    Staff pages are English only: staff are sent back unchanged. Back to `next` when it is
    a local address, else the home."""
    user = request.user
    if not user.is_authenticated:
        return set_language(request)
    participant = getattr(user, "participant", None)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("portal:home") if participant is not None else reverse("today")
        if participant is None and is_guardian(user):
            back = reverse("portal:family")
    guardian = participant is None and is_guardian(user)
    if participant is None and not guardian:
        return redirect(back)
    chosen = request.POST.get("language", "")
    try:
        if participant is not None:
            check_set_own_language(user, participant, chosen)
        else:
            check_set_guardian_language(user, chosen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    request.session[LANGUAGE_SESSION_KEY] = chosen
    response = redirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response


def moved(url_name: str) -> Callable[..., HttpResponse]:
    """A permanent redirect from an old participant address to its place under /me/, with
    the rest of the path and the query string. GET and HEAD get 301; other methods 308, so a
    form posted to an old address is posted again, not turned into a GET."""

    def view(request: HttpRequest, rest: str = "") -> HttpResponse:
        target = reverse(url_name) + rest
        query = request.META.get("QUERY_STRING", "")
        if query:
            target += "?" + query
        response = HttpResponsePermanentRedirect(target)
        if request.method not in {"GET", "HEAD"}:
            response.status_code = 308
        return response

    return view
