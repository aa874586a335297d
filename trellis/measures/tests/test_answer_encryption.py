"""Check-in answers (submitted responses and saved drafts) are encrypted at rest, rotated with
the other encrypted columns, and the migration encrypts answers written before it."""

from __future__ import annotations

import json

from django.test import override_settings

from tests.encryption import (
    is_under,
    rotate_to_a_new_key,
    run_migration_function,
    store_clear,
    stored,
)
from tests.personas import World
from trellis.lib import crypto
from trellis.measures.actions import check_save_draft
from trellis.measures.models import Administration, Channel, Response
from trellis.measures.tests.factories import complete_checkin, open_checkin

MIGRATION = "trellis.measures.migrations.0002_encrypt_answers"
DRAFT = {"gad7-1": "LA6569-3"}


def answered(world: World) -> tuple[Response, Administration]:
    response = complete_checkin(world.participant, 12)
    administration = check_save_draft(
        None, open_checkin(world.participant, "GAD-7"), DRAFT, channel=Channel.LINK
    )
    return response, administration


def test_answers_and_drafts_are_stored_encrypted_and_read_back(world: World) -> None:
    response, administration = answered(world)
    for model, name, pk, clear in [
        (Response, "answers", response.pk, response.answers),
        (Administration, "draft_answers", administration.pk, DRAFT),
    ]:
        raw = stored(model, name, pk)
        assert raw.startswith(crypto.TOKEN_PREFIX)
        # Whole item ids and answer codes (six characters or more): a two-letter fragment
        # such as "LA" turns up in random ciphertext by chance.
        for text in [*clear.keys(), *clear.values()]:
            assert text not in raw
    assert Response.objects.get(pk=response.pk).answers == response.answers
    assert len(response.answers) == 9
    assert Administration.objects.get(pk=administration.pk).draft_answers == DRAFT


def test_an_empty_draft_is_encrypted_too(world: World) -> None:
    administration = open_checkin(world.participant)
    assert stored(Administration, "draft_answers", administration.pk).startswith(
        crypto.TOKEN_PREFIX
    )
    assert Administration.objects.get(pk=administration.pk).draft_answers == {}


def test_rotation_re_encrypts_answers_and_drafts_with_the_newest_key(world: World) -> None:
    response, administration = answered(world)
    columns = [
        (Response, "answers", response.pk),
        (Administration, "draft_answers", administration.pk),
    ]
    before = [stored(*column) for column in columns]
    new_key = rotate_to_a_new_key()
    after = [stored(*column) for column in columns]
    for old, new in zip(before, after, strict=True):
        assert new != old
        assert is_under(new_key, new)
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key]):
        assert Response.objects.get(pk=response.pk).answers == response.answers
        assert Administration.objects.get(pk=administration.pk).draft_answers == DRAFT


def test_the_migration_encrypts_clear_answers_and_its_reverse_decrypts_them(
    world: World,
) -> None:
    response, administration = answered(world)
    columns = [
        (Response, "answers", response.pk, response.answers),
        (Administration, "draft_answers", administration.pk, DRAFT),
    ]
    for model, name, pk, value in columns:
        store_clear(model, name, pk, json.dumps(value))
    run_migration_function(MIGRATION, "encrypt_columns")
    assert Response.objects.get(pk=response.pk).answers == response.answers
    assert Administration.objects.get(pk=administration.pk).draft_answers == DRAFT
    for model, name, pk, _value in columns:
        assert stored(model, name, pk).startswith(crypto.TOKEN_PREFIX)
    # Rows that were already encrypted (the answered check-in's empty draft) stay readable.
    assert [a.draft_answers for a in Administration.objects.order_by("pk")] == [{}, DRAFT]
    run_migration_function(MIGRATION, "decrypt_columns")
    for model, name, pk, value in columns:
        assert json.loads(stored(model, name, pk)) == value
