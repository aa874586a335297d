"""Sign in with the username or with the email address of exactly one active account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from trellis.accounts.models import User


def account_for_sign_in_name(name: str) -> User | None:
    """The account a sign-in name means: the username, else an email address.

    Emails are not unique in the data (they may be blank or shared, e.g. a participant and a
    staff member of one family), so an email names an account only when exactly one active
    user has it, ignoring case. Otherwise the email signs nobody in.
    """
    name = name.strip()
    if not name:
        return None
    user = User.objects.filter(username=name).first()
    if user is not None:
        return user
    if "@" not in name:
        return None
    matches = list(User.objects.filter(email__iexact=name, is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def lockout_key(name: str) -> str:
    """What failed sign-ins are counted under: the account's username when the name resolves
    to one, so switching between username and email does not buy more guesses."""
    user = account_for_sign_in_name(name)
    return (user.get_username() if user is not None else name.strip()).lower()


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = account_for_sign_in_name(username)
        if user is None:
            # Spend the time of one hash so that unknown names are not faster to refuse.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
