"""Field-level encryption of free clinical text (note bodies) with Fernet and key rotation.

Keys come from the `TRELLIS_ENCRYPTION_KEYS` setting: Fernet keys, comma-separated, newest
first. Values are always encrypted with the newest key and decrypted with whichever key fits,
so a new key can be put in front, `manage.py rotate_encryption_keys` run, and the old key
dropped afterwards (docs/configuration.md). The keys never live in the database.

Encrypted columns cannot be searched or ordered by content (every encryption of the same text
differs): that is the point for clinical free text.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Fernet tokens are URL-safe base64 and start with this version byte ("gAAAAA").
TOKEN_PREFIX = "gAAAAA"  # noqa: S105  # a format marker, not a secret


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("TRELLIS_ENCRYPTION_KEYS is empty: set at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        # The message of the original error can quote the key: never let it reach a log.
        raise ImproperlyConfigured(
            "TRELLIS_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe "
            "base64-encoded bytes; see docs/configuration.md)."
        ) from error.__cause__


def fernet() -> MultiFernet:
    """The MultiFernet for the configured keys (re-read each call so tests can swap keys)."""
    return _fernet_for(tuple(settings.TRELLIS_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Not an error message with the token in it: the token is ciphertext of health data.
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key in TRELLIS_ENCRYPTION_KEYS: a key "
            "was removed before rotate_encryption_keys re-encrypted everything."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the newest key (no plaintext leaves this function)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # str in and out
    """A TextField whose column holds a Fernet token; Python code sees plain text.

    The empty string is stored as it is, so "not written yet" needs no decryption and
    costs no key; everything else is encrypted.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        # Lookups are meaningless on ciphertext; only exact writes go through here.
        if not prepared:
            value = self.get_prep_value(value)
        return value


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every (model, [encrypted field names]) of the installed apps."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found
