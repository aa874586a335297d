"""How API callers prove who they are: a personal API token, or the browser's session.

Both answer with the `User`; what that user may see is decided later, by privacy, exactly as
for pages. An `authorize` hook lets the API refuse signed-in users who lack a role (403) while
this module stays below the apps that define roles.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from trellis.accounts.actions import authenticate_api_token
from trellis.accounts.models import ApiToken, User

Authorize = Callable[[User], None]

REFUSED_BEARER = (
    "The API token is not valid: it may be mistyped, revoked or expired. "
    "Create a new one at /accounts/settings/."
)
CSRF_FAILED = (
    "CSRF check failed. A browser session must send the X-CSRFToken header with the value "
    "of the csrftoken cookie on POST, PUT, PATCH and DELETE; scripts should use an API token."
)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer trl_…`. A header that is present but wrong is refused outright
    (401) rather than falling back to the session: the caller meant to use the token."""

    def __init__(self, authorize: Authorize | None = None) -> None:
        super().__init__()
        self.authorize = authorize

    def authenticate(self, request: HttpRequest, token: str) -> User:
        token = token.strip()
        user = authenticate_api_token(token) if token.startswith(ApiToken.PREFIX) else None
        if user is None:
            raise AuthenticationError(message=REFUSED_BEARER)
        if self.authorize is not None:
            self.authorize(user)
        return user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session, with Django's CSRF check on unsafe methods."""

    def __init__(self, authorize: Authorize | None = None) -> None:
        super().__init__(csrf=True)
        self.authorize = authorize

    def __call__(self, request: HttpRequest) -> User | None:
        # Without a signed-in session there is nothing to protect from CSRF: answer 401
        # ("sign in") rather than ninja's 403 for a missing CSRF token.
        if not request.user.is_authenticated:
            return None
        user = super().__call__(request)
        if isinstance(user, User) and self.authorize is not None:
            self.authorize(user)
        return user if isinstance(user, User) else None

    def _get_key(self, request: HttpRequest) -> str | None:
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise AuthorizationError(message=CSRF_FAILED)
        return request.COOKIES.get(self.param_name)


def acting_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts as (token or session)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user
