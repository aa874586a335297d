"""Prove the audit trail is intact: every event links to the one before and matches its hash.

Exits 0 with "OK: N events, chain intact", or 1 naming the first event where the chain breaks.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.audit.models import Event
from trellis.audit.trail import ChainBreak, verify_chain

HASH_PATTERN = re.compile(r"[0-9a-f]{64}")


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain from the first event to the chain head."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            metavar="HASH",
            default="",
            help=(
                "A head hash printed by an earlier run and kept outside this database. The "
                "chain must still contain it: someone able to rewrite the whole chain (and "
                "its head) cannot keep an earlier hash in it."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = str(options["checkpoint"]).strip().lower()
        if checkpoint and not HASH_PATTERN.fullmatch(checkpoint):
            raise CommandError("--checkpoint takes a 64-character hex SHA-256 hash.")
        result = verify_chain()
        if result.first_break is not None:
            raise CommandError(
                describe_break(result.first_break)
                + f" {result.checked} events before it are intact."
            )
        if checkpoint and not Event.objects.filter(hash=checkpoint).exists():
            raise CommandError(
                f"Checkpoint {checkpoint} is not in the chain: the chain was rewritten since "
                "that checkpoint was taken, or this is a different database."
            )
        self.stdout.write(f"OK: {result.checked} events, chain intact")
        head = Event.objects.order_by("-id").values_list("id", "hash").first()
        if head is not None:
            self.stdout.write(f"Head: event #{head[0]}, hash {head[1]} (keep it as a checkpoint)")
        if checkpoint:
            self.stdout.write(f"Checkpoint {checkpoint} found in the chain.")


def describe_break(chain_break: ChainBreak) -> str:
    """The break as a person reads it: which event, when, what it recorded, and why."""
    if chain_break.event_id is None:
        return f"Chain broken: {chain_break.reason}."
    found = (
        Event.objects.filter(pk=chain_break.event_id).values_list("occurred_at", "action").first()
    )
    if found is None:
        return f"Chain broken at event #{chain_break.event_id}: {chain_break.reason}."
    occurred_at, action = found
    when = occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        f"Chain broken at event #{chain_break.event_id} ({when}, action {action}): "
        f"{chain_break.reason}."
    )
