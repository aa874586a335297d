"""Secure messages between a participant and their care team (docs/portal.md, "Messages").

A thread belongs to one episode of one participant (its program) and is addressed to the
episode's care team or to the program's team inbox. Messages are plain text written by people:
the subject and every body are encrypted at rest. Each reader keeps their own read state (the
last time they opened the thread). No attachments.

A double submit sends the same `idempotency_key` (a token of the form) and finds the first
message: one message, never two.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program

DEFAULT_REPLY_TIME = gettext_noop("one business day")


class Recipient(models.TextChoices):
    CARE_TEAM = "care_team", "Care team"
    PROGRAM = "program", "Program's team (inbox)"


class ProgramInbox(models.Model):
    """A program's messaging settings; a program without a row uses the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="inbox")
    reply_time = models.CharField(
        "expected reply time",
        max_length=80,
        default=DEFAULT_REPLY_TIME,
        help_text='Shown on every compose screen: "Your team usually replies within …".',
    )

    class Meta:
        verbose_name = "program inbox"

    def __str__(self) -> str:
        return f"Inbox of {self.program}"


class Thread(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="message_threads"
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="message_threads")
    recipient = models.CharField(max_length=12, choices=Recipient.choices)
    subject = EncryptedTextField(blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # True while the newest message is the participant's (or guardian's): the team owes an answer.
    awaiting_team = models.BooleanField(default=False)
    # A guardian's thread (docs/portal.md, "Guardians", "Messages"): written by the guardian of
    # this link about the participant's episode. Only that guardian and staff read it; the
    # participant does not (the team decides what to share). Null: the participant's own.
    guardian_link = models.ForeignKey(
        "participants.GuardianLink",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="message_threads",
    )

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(fields=["participant", "-last_message_at"]),
            models.Index(fields=["episode", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return f"Thread {self.public_id}"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_participant = models.BooleanField()
    from_guardian = models.BooleanField(default=False)  # written by the thread's guardian
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Filed to the chart: the note it was quoted in ("notes.note:<public id>"), when, by whom.
    filed_in = models.CharField(max_length=80, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"Message {self.public_id}"


class ReadState(models.Model):
    """When `user` last read `thread`: the thread is unread for them when a message came later."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="messaging_read_once")
        ]

    def __str__(self) -> str:
        return f"Read state of {self.thread}"
