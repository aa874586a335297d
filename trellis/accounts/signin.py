"""The one place a password is checked: every form that asks for one (sign-in, the admin's
sign-in, handing a tablet back, creating an API token) goes through `check_password_try`, so
each gets the same lockout, throttling and audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from trellis.accounts.actions import (
    Lockout,
    do_record_locked_sign_in,
    do_record_sign_in_attempt,
    sign_in_lockout,
)
from trellis.accounts.backends import lockout_key
from trellis.accounts.models import User
from trellis.audit.middleware import client_addr_of


@dataclass(frozen=True)
class PasswordTry:
    user: User | None
    lockout: Lockout | None
    account_key: str

    @property
    def lockout_message(self) -> str:
        if self.lockout is None:
            return ""
        minutes = max(1, int((self.lockout.until - timezone.now()).total_seconds() // 60) + 1)
        wait = f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again"
        if self.lockout.reason == "account":
            return (
                f"Too many failed sign-ins for this account. {wait}, or reset your password "
                "to sign in now."
            )
        return f"Too many failed sign-ins from this network. {wait}."


def check_password_try(request: HttpRequest, name: str, password: str) -> PasswordTry:
    """Check `password` for the account `name` (username or email) unless a lockout is on.

    A failure counts towards the lockout and is audited; a try during a lockout is audited and
    refused without checking the password. Success is left to the caller to record.
    """
    address = client_addr_of(request)
    key = lockout_key(name)
    lockout = sign_in_lockout(key, address)
    if lockout is not None:
        do_record_locked_sign_in(name, lockout)
        return PasswordTry(user=None, lockout=lockout, account_key=key)
    user = authenticate(request, username=name, password=password)
    if not isinstance(user, User):
        do_record_sign_in_attempt(name, address, user=None, succeeded=False, account_key=key)
        return PasswordTry(user=None, lockout=None, account_key=key)
    return PasswordTry(user=user, lockout=None, account_key=key)
