"""Notifications to participants: their preferences and the outbox (docs/portal.md,
"Notifications").

Nothing clinical is stored here: an outbox row holds a kind ("message", "check-in", "session"),
a de-duplication key made of ids, and at most the start time of a session. The words are
written when the row is sent (`texts.py`), from the kind alone.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from trellis.participants.models import Participant


class Kind(models.TextChoices):
    MESSAGE = "message", "New message from the care team"
    CHECKIN = "checkin", "Check-in waiting"
    SESSION = "session", "Session reminder (the day before)"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    NONE = "none", "Off"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (turned off, no address, or too late)"
    FAILED = "failed", "Failed (gave up after retries)"


class Preference(models.Model):
    """How one participant wants to hear from Trellis. No row: the defaults of
    `notifications.preferences.defaults_for`."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="notification_preference"
    )
    message_channel = models.CharField(max_length=8, choices=Channel.choices)
    checkin_channel = models.CharField(max_length=8, choices=Channel.choices)
    session_channel = models.CharField(max_length=8, choices=Channel.choices)
    # Quiet hours in the organization's zone; both empty for none. The window may wrap midnight.
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    digest = models.BooleanField(default=False)
    digest_hour = models.PositiveSmallIntegerField(default=18)
    # When the participant agreed to text messages to the number on file (from this page, or by
    # accepting an invitation that was texted to that number).
    text_consent_at = models.DateTimeField(null=True, blank=True)
    # The number agreed to: a number changed later (a family member's phone) is not texted
    # until the participant agrees again.
    text_consent_to = models.CharField(max_length=30, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | (
                    models.Q(quiet_start__isnull=False, quiet_end__isnull=False)
                    & ~models.Q(quiet_start=models.F("quiet_end"))
                ),
                name="notification_quiet_hours_both_and_different",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="notification_digest_hour_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.participant}"

    def channel_for(self, kind: str) -> str:
        return str(getattr(self, f"{kind}_channel"))


class Notification(models.Model):
    """One pending or sent notification (the outbox). Content-free by construction."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=120, help_text="Ids only: one row per event, ever.")
    starts_at = models.DateTimeField(null=True, blank=True, help_text="A session's start.")
    created_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    digest = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=80, blank=True, help_text="An error class, no text.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "key"], name="notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self) -> str:
        return f"Notification {self.public_id}"
