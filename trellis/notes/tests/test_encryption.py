from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.personas import PASSWORD, World
from trellis.lib import crypto
from trellis.notes.actions import check_add_addendum
from trellis.notes.models import Note
from trellis.notes.tests.factory import SOAP_TEXT, signed_note


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # fixed names
        return str(cursor.fetchone()[0])


def test_note_text_is_encrypted_at_rest(world: World) -> None:
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    addendum = check_add_addendum(world.clinician, note, text="Late addition about the bus")
    stored = raw("notes_note", "body", note.pk)
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert "panic" not in stored
    assert "about the bus" not in stored  # spaces never occur in ciphertext: no chance match
    assert "about the bus" not in raw("notes_addendum", "text", addendum.pk)
    assert Note.objects.get(pk=note.pk).sections == SOAP_TEXT


def test_rotation_re_encrypts_with_the_newest_key(world: World) -> None:
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    before = raw("notes_note", "body", note.pk)
    new_key = Fernet.generate_key().decode()
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key, *settings.TRELLIS_ENCRYPTION_KEYS]):
        out = StringIO()
        call_command("rotate_encryption_keys", stdout=out)
        assert "notes.Note: 2 values re-encrypted" in out.getvalue()  # body, score snapshot
        after = raw("notes_note", "body", note.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode())
    # Only the new key is needed now: the old one can be removed.
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key]):
        assert Note.objects.get(pk=note.pk).sections == SOAP_TEXT


def test_a_value_without_its_key_fails_loudly_without_quoting_it(world: World) -> None:
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    other_key = Fernet.generate_key().decode()
    with (
        override_settings(TRELLIS_ENCRYPTION_KEYS=[other_key]),
        pytest.raises(ImproperlyConfigured) as caught,
    ):
        Note.objects.get(pk=note.pk)
    assert "panic" not in str(caught.value)
