from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from trellis.accounts.actions import do_record_sign_in_attempt, sign_in_lockout
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = str(cleaned.get("username", "")).strip()
        password = cleaned.get("password")
        if not username or not password:
            return cleaned
        address = client_addr_of(self.request)
        lockout = sign_in_lockout(username, address)
        if lockout is not None:
            minutes = max(1, int((lockout.until - timezone.now()).total_seconds() // 60) + 1)
            raise forms.ValidationError(
                f"Too many failed sign-ins. Wait {minutes} minute{'s' if minutes != 1 else ''} "
                "and try again, or reset your password.",
                code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            do_record_sign_in_attempt(username, address, user=None, succeeded=False)
            raise forms.ValidationError(
                "That email or username and password do not match an active account.",
                code="invalid",
            )
        self.user = user if isinstance(user, User) else None
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Reporting export”."
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires",
        coerce=int,
        choices=[(30, "in 30 days"), (90, "in 90 days"), (365, "in a year"), (0, "never")],
        initial=90,
    )
