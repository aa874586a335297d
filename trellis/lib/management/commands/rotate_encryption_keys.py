"""Re-encrypt every encrypted column with the newest key of TRELLIS_ENCRYPTION_KEYS.

Run after putting a new key first in TRELLIS_ENCRYPTION_KEYS (old keys still listed after it);
once it has finished, the old keys can be removed. See docs/configuration.md. The columns are
found from the models (`lib.crypto.encrypted_fields`): every encrypted field is covered.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trellis.lib.crypto import encrypted_fields, rewrite_column, rotate


class Command(BaseCommand):
    help = "Re-encrypt encrypted text with the newest key in TRELLIS_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        for model, names in encrypted_fields():
            total = 0
            for name in names:
                # Works on the ciphertext only: no plaintext is held in bulk.
                total += rewrite_column(model, name, rotate, batch_size=batch_size)
            self.stdout.write(f"{model._meta.label}: {total} values re-encrypted")
