"""Automatic sign-out after a period of inactivity (HIPAA 164.312(a)(2)(iii)), and no caching
of what signed-in people see."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from trellis.accounts.idle import session_limit
from trellis.accounts.models import User
from trellis.lib.logging import SECRET_PATH_PREFIXES
from trellis.lib.views import is_htmx

SESSION_KEY = "trellis_last_activity"
# Refresh the stored time at most this often, so a busy page does not write the session on
# every request.
REFRESH_SECONDS = 30


def start_idle_clock(
    sender: type[User], request: HttpRequest, user: User, **kwargs: object
) -> None:
    """The idle clock starts at sign-in, by whichever path the sign-in happened: a session
    that makes no request after signing in still ends after the idle timeout. Connected to
    `user_logged_in` in AccountsConfig.ready()."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = time.time()


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            limit = session_limit(request)
            # No stamp means the clock never started (a session from before sign-in stamped
            # it): treat it as expired rather than start counting now.
            if last is None or now - float(last) > limit:
                logout(request)
                if request.path.startswith(SECRET_PATH_PREFIXES):
                    # A one-time link (an invitation): its token must not travel on in the
                    # sign-in page's `next`; the link's page serves the now signed-out visitor.
                    return self.get_response(request)
                return self._signed_out(request)
            if now - float(last) > REFRESH_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Your session ended after a period of inactivity. Sign in again."},
                status=401,
            )
        target = reverse("accounts:sign-in") + "?" + urlencode({"idle": "1", "next": request.path})
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in or token-bearing request:
    pages and fragments with health information must not stay in a browser's or a shared
    computer's cache after sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Checked before the view runs: sign-out ends the session on the way.
        authenticated = request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META
        response = self.get_response(request)
        if authenticated or request.user.is_authenticated:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
