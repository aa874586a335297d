"""An alert's follow-up note is encrypted at rest, rotated with the other encrypted columns,
and the migration encrypts notes written before it."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone

from tests.encryption import (
    is_under,
    rotate_to_a_new_key,
    run_migration_function,
    store_clear,
    stored,
)
from tests.personas import World
from trellis.lib import crypto
from trellis.worklist.actions import check_document_follow_up, do_raise_alert
from trellis.worklist.models import Alert, AlertKind, Priority

MIGRATION = "trellis.worklist.migrations.0003_encrypt_follow_up_note"
NOTE = "Called; safe at her sister's tonight"


def followed_up(world: World) -> Alert:
    alert = do_raise_alert(
        None,
        participant=world.participant,
        episode=world.participant.episodes.get(),
        kind=AlertKind.CRITICAL_ITEM,
        priority=Priority.URGENT,
        title="PHQ-9: item 9 answered above 0",
        source="test",
        dedupe_key="encryption",
        notify_on_call=True,
        now=timezone.now(),
    )
    return check_document_follow_up(
        world.clinician,
        alert,
        risk_assessment_done=True,
        safety_plan_reviewed=True,
        referred_higher_level=False,
        note=NOTE,
    )


def test_the_follow_up_note_is_stored_encrypted_and_reads_back(world: World) -> None:
    alert = followed_up(world)
    raw = stored(Alert, "follow_up_note", alert.pk)
    assert raw.startswith(crypto.TOKEN_PREFIX)
    assert "sister" not in raw
    assert Alert.objects.get(pk=alert.pk).follow_up_note == NOTE


def test_rotation_re_encrypts_the_follow_up_note_with_the_newest_key(world: World) -> None:
    alert = followed_up(world)
    before = stored(Alert, "follow_up_note", alert.pk)
    new_key = rotate_to_a_new_key()
    after = stored(Alert, "follow_up_note", alert.pk)
    assert after != before
    assert is_under(new_key, after)
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key]):
        assert Alert.objects.get(pk=alert.pk).follow_up_note == NOTE


def test_the_migration_encrypts_a_clear_note_and_its_reverse_decrypts_it(world: World) -> None:
    alert = followed_up(world)
    store_clear(Alert, "follow_up_note", alert.pk, NOTE)
    run_migration_function(MIGRATION, "encrypt_columns")
    assert stored(Alert, "follow_up_note", alert.pk).startswith(crypto.TOKEN_PREFIX)
    assert Alert.objects.get(pk=alert.pk).follow_up_note == NOTE
    run_migration_function(MIGRATION, "decrypt_columns")
    assert stored(Alert, "follow_up_note", alert.pk) == NOTE
