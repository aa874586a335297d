"""View decorators that apply the access policy before any view code runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

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
