"""Request types for views behind a sign-in check."""

from django.http import HttpRequest

from trellis.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (the view is decorated with a sign-in check)."""

    user: User
