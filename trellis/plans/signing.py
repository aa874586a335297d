"""Electronic signatures: the signer types their name and re-enters their password.

Shared by plans and notes (notes sit above plans). Re-entering the password proves the
person at the keyboard is the signed-in user at the moment of signing (an unattended,
signed-in screen cannot sign); the typed name is the signer's act of adopting the signature.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from trellis.accounts.models import User


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def check_signature(signer: User, *, typed_name: str, password: str) -> None:
    errors: dict[str, str] = {}
    if _normal(typed_name) != _normal(signer.name):
        errors["typed_name"] = f"Type your name exactly as Trellis shows it: {signer.name}."
    if not password or not signer.check_password(password):
        errors["password"] = "That is not your password."  # noqa: S105  # a message
    if errors:
        raise ValidationError(errors)


def credentials_of(user: User, *, on: date) -> str:
    """Current credentials as a signature shows them: "LCSW, CADC" (those expired by `on`,
    the signing organization's date, left out)."""
    kinds = [c.kind for c in user.credentials.all() if not c.is_expired(on)]
    return ", ".join(kinds)
