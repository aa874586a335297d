"""Field-level encryption of clinical text and answers with Fernet, and key rotation.

`EncryptedTextField` holds text (note sections, comments, follow-up notes) and
`EncryptedJSONField` holds structured data (plan content, check-in answers and drafts); both
store a Fernet token in a text column. `encrypted_fields()` finds every such column of the
installed apps, so `rotate_encryption_keys` covers a new one without a list to update.

Keys come from the `TRELLIS_ENCRYPTION_KEYS` setting: Fernet keys, comma-separated, newest
first. Values are always encrypted with the newest key and decrypted with whichever key fits,
so a new key can be put in front, `manage.py rotate_encryption_keys` run, and the old key
dropped afterwards (docs/configuration.md). The keys never live in the database.

Encrypted columns cannot be searched or ordered by content (every encryption of the same text
differs): that is the point for clinical free text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.functions import Cast

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


def encrypt_if_clear(value: str) -> str:
    """Encrypt a value stored in clear; a value that already decrypts is kept as it is, so a
    migration that encrypts a column in place never encrypts a value twice."""
    try:
        fernet().decrypt(value.encode("utf-8"))
    except InvalidToken:
        return encrypt(value)
    return value


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the newest key (no plaintext leaves this function)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedField:
    """What every encrypted field is: `encrypted_fields()` (and so the rotation) finds them by
    this class."""


class EncryptedTextField(EncryptedField, models.TextField):  # type: ignore[type-arg]  # str in and out
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


class EncryptedJSONField(EncryptedField, models.Field[Any, Any]):
    """A JSON value (dicts, lists, strings, numbers) stored as the Fernet token of its JSON
    text; Python code reads and writes the same values as with a `JSONField`.

    The column is text, not JSON: the database sees only ciphertext, so it cannot look inside
    a value (no key lookups, no filtering or ordering by content). Every value is encrypted,
    an empty dict too; only NULL stays NULL.
    """

    description = "JSON encrypted at rest (Fernet)"
    empty_strings_allowed = False

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(json.dumps(value))

    def value_to_string(self, obj: models.Model) -> Any:
        # Serialized as the value itself, like JSONField (dumpdata writes it as JSON).
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every (model, [encrypted field names]) of the installed apps."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if names:
            found.append((model, names))
    return found


def rewrite_column(
    model: type[models.Model], name: str, change: Callable[[str], str], *, batch_size: int = 500
) -> int:
    """Replace every stored value of one column by `change(stored value)`, in batches.

    Reads and writes the column's raw text, never through the field: the key rotation works
    on ciphertext only (`rotate`, no plaintext held in bulk), and the migrations that
    encrypt a clear column (`encrypt_if_clear`) or decrypt it again (`decrypt`) use the same
    loop.
    Empty and NULL values are left as they are. Returns how many values were rewritten.
    """
    manager = model._base_manager
    # Cast to a plain TextField reads the stored text, bypassing the field's decryption.
    rows = (
        manager.annotate(stored_text=Cast(name, output_field=models.TextField()))
        .exclude(stored_text="")
        .exclude(stored_text__isnull=True)
        .order_by("pk")
    )
    last_pk: Any = None
    rewritten = 0
    while True:
        page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        batch = list(page.values_list("pk", "stored_text")[:batch_size])
        if not batch:
            return rewritten
        with transaction.atomic():
            for pk, stored in batch:
                new_value = models.Value(change(stored), output_field=models.TextField())
                manager.filter(pk=pk).update(**{name: new_value})
                rewritten += 1
        last_pk = batch[-1][0]
