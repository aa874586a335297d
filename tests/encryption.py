"""Helpers for the encryption-at-rest tests: read and write a column's stored text with raw
SQL (past the field), and rotate to a new key."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from io import StringIO
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings


def _column(model: type[models.Model], name: str) -> tuple[str, str]:
    field = next(f for f in model._meta.concrete_fields if f.name == name)
    return model._meta.db_table, str(field.column)


def stored(model: type[models.Model], name: str, pk: int) -> str:
    """The text the database holds in one column of one row."""
    table, column = _column(model, name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # names from _meta
        return str(cursor.fetchone()[0])


def store_clear(model: type[models.Model], name: str, pk: int, text: str) -> None:
    """Write clear text into the column, as rows written before it was encrypted hold it."""
    table, column = _column(model, name)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [text, pk])  # noqa: S608  # names from _meta


def rotate_to_a_new_key() -> str:
    """Put a new key first, run rotate_encryption_keys, and return the new key (the caller then
    reads with only that key to show the old one can go)."""
    new_key = Fernet.generate_key().decode()
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key, *settings.TRELLIS_ENCRYPTION_KEYS]):
        call_command("rotate_encryption_keys", stdout=StringIO())
    return new_key


def is_under(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def migration_function(module: str, name: str) -> Callable[[Any, Any], None]:
    """A RunPython function of a migration, to call with the current app registry."""
    function: Callable[[Any, Any], None] = getattr(importlib.import_module(module), name)
    return function


def run_migration_function(module: str, name: str) -> None:
    migration_function(module, name)(apps, None)
