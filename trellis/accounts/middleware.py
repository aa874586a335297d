"""Automatic sign-out after a period of inactivity (HIPAA 164.312(a)(2)(iii))."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from trellis.lib.views import is_htmx

SESSION_KEY = "trellis_last_activity"
# Refresh the stored time at most this often, so a busy page does not write the session on
# every request.
REFRESH_SECONDS = 30


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            limit = settings.TRELLIS_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - float(last) > limit:
                logout(request)
                return self._signed_out(request)
            if last is None or now - float(last) > REFRESH_SECONDS:
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
