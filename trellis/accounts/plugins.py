"""What accounts plugs into Django: the idle clock starts at every sign-in.

Registered by AccountsConfig.ready() (docs/architecture.md, "Extension points"). Django's
`user_logged_in` is the one hook every sign-in path passes (the sign-in page, the admin's
redirect to it, `force_login`), so the idle timeout can never start late.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in

from trellis.accounts.middleware import start_idle_clock


def register() -> None:
    user_logged_in.connect(start_idle_clock, dispatch_uid="trellis-start-idle-clock")
