"""Plan version content is encrypted at rest, rotated with the other encrypted columns, and
the migration encrypts versions written before it."""

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
from tests.personas import PASSWORD, World
from trellis.lib import crypto
from trellis.plans.models import PlanVersion
from trellis.plans.tests.factory import GOAL_WORDS, signed_plan

MIGRATION = "trellis.plans.migrations.0002_encrypt_version_content"


def test_version_content_is_stored_encrypted_and_reads_back(world: World) -> None:
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    raw = stored(PlanVersion, "content", version.pk)
    assert raw.startswith(crypto.TOKEN_PREFIX)
    assert "panicking" not in raw
    assert "F41.0" not in raw
    assert PlanVersion.objects.get(pk=version.pk).content["goals"][0]["words"] == GOAL_WORDS


def test_rotation_re_encrypts_version_content_with_the_newest_key(world: World) -> None:
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    before = stored(PlanVersion, "content", version.pk)
    new_key = rotate_to_a_new_key()
    after = stored(PlanVersion, "content", version.pk)
    assert after != before
    assert is_under(new_key, after)
    with override_settings(TRELLIS_ENCRYPTION_KEYS=[new_key]):
        assert PlanVersion.objects.get(pk=version.pk).content["goals"][0]["words"] == GOAL_WORDS


def test_the_migration_encrypts_clear_content_and_its_reverse_decrypts_it(world: World) -> None:
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    content = PlanVersion.objects.get(pk=version.pk).content
    clear = json.dumps(content)
    store_clear(PlanVersion, "content", version.pk, clear)
    run_migration_function(MIGRATION, "encrypt_columns")
    assert stored(PlanVersion, "content", version.pk).startswith(crypto.TOKEN_PREFIX)
    assert PlanVersion.objects.get(pk=version.pk).content == content
    run_migration_function(MIGRATION, "decrypt_columns")
    assert json.loads(stored(PlanVersion, "content", version.pk)) == content
