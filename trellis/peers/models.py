"""The peer space: moderated boards where participants of a program talk to each other
(docs/portal.md, "Peer space").

A board is not a row: it is a program and a track (the track's board, for the people in care
on that track now) or a program and no track (the program's alumni board). Who belongs is
derived from episodes every time (`peers.queries`), so a change of track moves a person to the
new track's board and a discharge to the alumni board, with nothing to keep in step.

Nothing here is part of the clinical record: no chart tab, no export, no record download reads
these tables. Posts, replies, display names, report notes and moderators' reasons are free text
written by people and encrypted at rest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Participant
from trellis.programs.models import Program, Track

# The community rules' version: raise it when the rules' text (templates/peers/me/_rules.html)
# changes, and every member accepts the new rules on their next visit.
RULES_VERSION = 1


class PeerSettings(models.Model):
    """A program's peer-space settings; a program without a row uses the defaults (posts go
    up at once; the program's directors moderate)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="peer_settings")
    premoderation = models.BooleanField(
        default=False,
        help_text="Posts and replies wait for a moderator's approval before members see them.",
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Staff of the program who moderate its boards, besides its directors.",
    )

    class Meta:
        verbose_name = "peer space settings"
        verbose_name_plural = "peer space settings"

    def __str__(self) -> str:
        return f"Peer space of {self.program}"


class Profile(models.Model):
    """A participant's name and rules acceptance in one program's peer space (its track
    boards and its alumni board alike). The display name is unique in the program; its keyed
    digest (`name_key`) carries the uniqueness, since the name itself is encrypted."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="peer_profiles"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    display_name = EncryptedTextField()
    name_key = models.CharField(max_length=64)
    rules_version = models.PositiveSmallIntegerField()
    rules_accepted_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "program"], name="peers_one_profile"),
            models.UniqueConstraint(fields=["program", "name_key"], name="peers_unique_name"),
        ]

    def __str__(self) -> str:
        return f"Peer profile {self.pk}"


class PostStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden by a moderator"


class Post(models.Model):
    """A post on a board, or a reply to one (`parent`: one level of replies)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    # The track's board; empty: the program's alumni board.
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    body = EncryptedTextField()
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    # Open for the moderators: waiting for approval, reported, or mentioning self-harm, and
    # no moderator has acted on it since.
    needs_review = models.BooleanField(default=False)
    mentions_self_harm = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "track", "parent", "-created_at"]),
            models.Index(fields=["program", "needs_review"]),
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id}"


class ReportReason(models.TextChoices):
    UNKIND = "unkind", gettext_noop("Unkind or hurtful")
    PRIVACY = "privacy", gettext_noop("Shares someone's private information")
    WORRIED = "worried", gettext_noop("I'm worried about the person who wrote it")
    SPAM = "spam", gettext_noop("Spam or selling")
    OTHER = "other", gettext_noop("Something else")


class Report(models.Model):
    """A member reports a post, once; open until a moderator acts on the post."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="peers_report_once")
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"


class ModerationKind(models.TextChoices):
    APPROVE = "approve", "Approved (kept visible)"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"


class Moderation(models.Model):
    """What a moderator did to a post, why, and when: the post's moderation history."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="moderations")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ModerationKind.choices)
    reason = EncryptedTextField(blank=True, default="")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Moderation {self.pk}"
