from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from trellis.accounts.models import User
from trellis.accounts.signin import check_password_try


class SignInForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Email or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    own_device = forms.BooleanField(
        label=gettext_lazy("This is my own phone or computer"),
        required=False,
        help_text=gettext_lazy(
            "Participants: your program may then keep you signed in longer while you are not "
            "using Trellis. Leave it unticked on a shared or public computer."
        ),
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
        attempt = check_password_try(self.request, username, str(password))
        self.account_key = attempt.account_key
        if attempt.lockout is not None:
            raise forms.ValidationError(attempt.lockout_message, code="locked")
        if attempt.user is None:
            raise forms.ValidationError(
                gettext("That email or username and password do not match an active account."),
                code="invalid",
            )
        self.user = attempt.user
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

    def __init__(self, request: HttpRequest, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.fields["expires_in_days"].initial = settings.TRELLIS_API_TOKEN_MAX_DAYS

    def clean_password(self) -> str:
        # Throttled like a sign-in: a session left open must not become a password oracle.
        password = str(self.cleaned_data.get("password", ""))
        attempt = check_password_try(self.request, self.user.get_username(), password)
        if attempt.lockout is not None:
            raise forms.ValidationError(attempt.lockout_message, code="locked")
        if attempt.user is None or attempt.user.pk != self.user.pk:
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
