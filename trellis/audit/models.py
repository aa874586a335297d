"""The append-only, hash-chained audit trail.

Each event's hash is SHA-256 over the previous event's hash and the event's canonical form
(see `Event.canonical`), so altering, inserting or removing an event breaks the chain from that
point on; `manage.py audit_verify` walks it. The model refuses updates and deletes; on
PostgreSQL a trigger refuses them in the database too (migration 0002). docs/audit.md says what
protects the trail on SQLite.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    VIEW = "view", "View"
    LIST = "list", "List or search"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    SIGN = "sign", "Sign"
    EXPORT = "export", "Export"
    DISCLOSE = "disclose", "Disclose"
    DENY = "deny", "Access denied"
    BREAK_GLASS = "break_glass", "Break the glass"
    SIGN_IN = "sign_in", "Sign in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Sign out"
    TOKEN = "token", "API token change"
    PASSWORD_RESET = "password_reset", "Password reset"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    DENIED = "denied", "Denied"
    FAILURE = "failure", "Failure"


class Purpose(models.TextChoices):
    """HL7 purpose-of-use codes (v3 ActReason) for why data was touched."""

    TREAT = "TREAT", "Treatment"
    HOPERAT = "HOPERAT", "Healthcare operations"
    HPAYMT = "HPAYMT", "Payment"
    ETREAT = "ETREAT", "Emergency treatment"
    PATRQT = "PATRQT", "Patient request"
    FAMRQT = "FAMRQT", "Family request"  # a guardian's view (docs/portal.md, "Guardians")
    HSYSADMIN = "HSYSADMIN", "System administration"
    COMPL = "COMPL", "Compliance (audit review)"


class AppendOnlyQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class Event(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=True,
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time")
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=True,
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, blank=True)
    client_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        db_table = "audit_event"
        ordering = ["-id"]
        indexes = [models.Index(fields=["participant", "occurred_at"])]

    def __str__(self) -> str:
        return f"Audit event #{self.pk} ({self.action})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def canonical(self) -> str:
        """The exact text that is hashed: every recorded field, in a fixed order and format."""
        occurred = self.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        fields = {
            "action": self.action,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "client_addr": self.client_addr or "",
            "detail": self.detail,
            "object_id": self.object_id,
            "object_type": self.object_type,
            "occurred_at": occurred,
            "outcome": self.outcome,
            "participant": self.participant_id,
            "purpose": self.purpose,
            "role": self.role,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()


class ChainHead(models.Model):
    """The chain's last link (one row). Locked while appending, so events form one chain."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    event_count = models.BigIntegerField(default=0)

    class Meta:
        db_table = "audit_chain_head"

    def __str__(self) -> str:
        return f"Audit chain head at #{self.last_event_id}"
