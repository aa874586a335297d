"""How long a session may stay idle before Trellis signs it out (HIPAA 164.312(a)(2)(iii)).

Everyone gets `settings.TRELLIS_IDLE_TIMEOUT_MINUTES` (15 by default). A person signing in on
their own phone or computer ("This is my own device" on the sign-in page) may get longer when
a rule registered here allows it: the participants app registers one that reads the
participant's programs' `participant_idle_timeout_minutes` (docs/portal.md, "Accounts"). The
limit is decided once, at sign-in, and kept in the session, so the idle check costs no query.

A registry, like `lib.periodic`: accounts (the base layer) knows no programs; the apps above
it register a rule in their plugins module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

    from trellis.accounts.models import User

LIMIT_KEY = "trellis_idle_limit"  # seconds, in the session; absent: the site's default

# A rule: the longest idle time, in minutes, that `user` may have on their own device, or
# None when it has nothing to say about them.
Rule = Callable[["User"], int | None]
_rules: list[Rule] = []


def register(rule: Rule) -> None:
    if rule not in _rules:
        _rules.append(rule)


def default_seconds() -> int:
    return int(settings.TRELLIS_IDLE_TIMEOUT_MINUTES) * 60


def own_device_minutes(user: User) -> int | None:
    """The longest idle time any rule grants `user` on their own device (None: no rule
    grants more than the default)."""
    granted = [minutes for rule in _rules if (minutes := rule(user)) is not None]
    longest = max(granted, default=None)
    if longest is None or longest * 60 <= default_seconds():
        return None
    return longest


def set_session_limit(request: HttpRequest, user: User, *, own_device: bool) -> int:
    """Decide the signed-in session's idle limit (seconds) and keep it in the session."""
    minutes = own_device_minutes(user) if own_device else None
    if minutes is None:
        request.session.pop(LIMIT_KEY, None)
        return default_seconds()
    request.session[LIMIT_KEY] = minutes * 60
    return minutes * 60


def session_limit(request: HttpRequest) -> int:
    """The idle limit of this request's session, in seconds."""
    stored = request.session.get(LIMIT_KEY)
    return int(stored) if stored else default_seconds()
