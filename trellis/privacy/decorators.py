"""View decorators that apply the access policy before any view code runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.privacy.policy import grants_for

View = Callable[..., HttpResponseBase]


def staff_required(*roles: str) -> Callable[[View], View]:
    """Signed-in staff only (optionally only these roles); others get 403, anonymous users
    the sign-in page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            grants = grants_for(request.user)
            if not grants.is_staff_member:
                raise PermissionDenied("This page is for program staff.")
            if roles and not grants.holds_any(roles):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def not_a_participant(request: AuthedRequest) -> HttpResponse | None:
    """For a participant's own page (`/me/…`): None when the signed-in user is a participant;
    otherwise the answer to give instead — staff go to their Today, a user with no role gets
    the "no role" page (403)."""
    if getattr(request.user, "participant", None) is not None:
        return None
    if grants_for(request.user).is_staff_member:
        return redirect("today")
    return render(request, "no_role.html", status=403)
