"""Re-encrypt every encrypted column with the newest key of TRELLIS_ENCRYPTION_KEYS.

Run after putting a new key first in TRELLIS_ENCRYPTION_KEYS (old keys still listed after it);
once it has finished, the old keys can be removed. See docs/configuration.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from trellis.lib.crypto import encrypted_fields, rotate


class Command(BaseCommand):
    help = "Re-encrypt encrypted text with the newest key in TRELLIS_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        for model, names in encrypted_fields():
            total = 0
            for name in names:
                total += rotate_column(model, name, batch_size)
            self.stdout.write(f"{model._meta.label}: {total} values re-encrypted")


def rotate_column(model: type[models.Model], name: str, batch_size: int) -> int:
    """Rotate one column in batches, working on the ciphertext only (plaintext is never held
    in bulk). Returns how many values were rewritten."""
    manager = model._base_manager
    # Cast to a plain TextField reads the stored token, bypassing the field's decryption.
    raw = Cast(name, output_field=models.TextField())
    last_pk: Any = None
    rewritten = 0
    while True:
        rows = manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True}).order_by("pk")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows.values_list("pk", raw)[:batch_size])
        if not batch:
            return rewritten
        with transaction.atomic():
            for pk, token in batch:
                new_token = models.Value(rotate(token), output_field=models.TextField())
                manager.filter(pk=pk).update(**{name: new_token})
                rewritten += 1
        last_pk = batch[-1][0]
