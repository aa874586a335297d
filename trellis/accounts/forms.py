from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from trellis.accounts.actions import (
    do_record_locked_sign_in,
    do_record_sign_in_attempt,
    sign_in_lockout,
)
from trellis.accounts.backends import lockout_key
from trellis.accounts.models import User
from trellis.audit.middleware import client_addr_of


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Email or username",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None
        self.account_key = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = str(cleaned.get("username", "")).strip()
        password = cleaned.get("password")
        if not username or not password:
            return cleaned
        address = client_addr_of(self.request)
        self.account_key = lockout_key(username)
        lockout = sign_in_lockout(self.account_key, address)
        if lockout is not None:
            do_record_locked_sign_in(username, lockout)
            minutes = max(1, int((lockout.until - timezone.now()).total_seconds() // 60) + 1)
            wait = f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again"
            raise forms.ValidationError(
                f"Too many failed sign-ins for this account. {wait}, or reset your password "
                "to sign in now."
                if lockout.reason == "account"
                else f"Too many failed sign-ins from this network. {wait}.",
                code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            do_record_sign_in_attempt(
                username, address, user=None, succeeded=False, account_key=self.account_key
            )
            raise forms.ValidationError(
                "That email or username and password do not match an active account.",
                code="invalid",
            )
        self.user = user if isinstance(user, User) else None
        return cleaned


def token_lifetimes() -> list[tuple[int, str]]:
    """Shorter choices than the longest allowed, then the longest (the default)."""
    longest: int = settings.TRELLIS_API_TOKEN_MAX_DAYS
    shorter = [days for days in (1, 7, 30) if days < longest]
    return [(days, f"in {days} day{'s' if days != 1 else ''}") for days in [*shorter, longest]]


class ApiTokenForm(forms.Form):
    """A new token: what it is for, how long it lives, and the password again (a token is a
    credential as strong as the password, so someone at an unlocked screen cannot mint one)."""

    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Reporting export”."
    )
    expires_in_days = forms.TypedChoiceField(label="Expires", coerce=int, choices=token_lifetimes)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["expires_in_days"].initial = settings.TRELLIS_API_TOKEN_MAX_DAYS

    def clean_password(self) -> str:
        password = str(self.cleaned_data.get("password", ""))
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
