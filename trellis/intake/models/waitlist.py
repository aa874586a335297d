"""The waitlist of a track: who waits for a seat, in which order, and what happened.

Order is `rank` (1 first). New entries go in by the priority rules (a step-down from a
higher level of care before everyone who is not; then by the date waitlisted); a coordinator
may move someone with a reason, which is kept in the entry's history (`WaitlistEvent`).
A waiting person's episode is `EpisodeStatus.WAITLIST` and the inquiry "waitlisted"."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.intake.models.inquiries import Inquiry
from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Episode
from trellis.programs.models import Track


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a start date"
    ADMITTED = "admitted", "Admitted"
    LEFT = "left", "Left the waitlist"


WAITING_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class LeaveReason(models.TextChoices):
    NOT_INTERESTED = "not_interested", "No longer interested"
    CHOSE_ELSEWHERE = "chose_elsewhere", "Chose another provider"
    NO_RESPONSE = "no_response", "Could not reach them"
    OTHER = "other", "Other"


class WaitlistEntry(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="waitlist")
    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="waitlist_entries")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="waitlist_entries")
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    rank = models.PositiveIntegerField(help_text="1 is first in line (waiting entries only).")
    step_down = models.BooleanField(
        default=False, help_text="Stepping down from a higher level of care: goes first."
    )
    waitlisted_at = models.DateTimeField(default=timezone.now)
    offered_start = models.DateField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    last_checkin_on = models.DateField(
        null=True, blank=True, help_text="When the weekly “still interested?” message went."
    )
    leave_reason = models.CharField(max_length=20, choices=LeaveReason.choices, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["track", "rank", "waitlisted_at"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_entry_per_inquiry",
            ),
        ]
        indexes = [models.Index(fields=["track", "status", "rank"])]

    def __str__(self) -> str:
        return f"Waitlist entry {self.public_id}"

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING_STATUSES


class WaitlistEventKind(models.TextChoices):
    ADDED = "added", "Added to the waitlist"
    MOVED = "moved", "Moved"
    OFFERED = "offered", "Offered a start date"
    DECLINED = "declined", "Declined the offer"
    ADMITTED = "admitted", "Admitted"
    LEFT = "left", "Left the waitlist"
    CHECKIN = "checkin", "“Still interested?” message sent"


class WaitlistEvent(models.Model):
    """The entry's history. A reordering's reason may name clinical circumstances:
    encrypted at rest, never in the audit detail."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=WaitlistEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_rank = models.PositiveIntegerField(null=True, blank=True)
    to_rank = models.PositiveIntegerField(null=True, blank=True)
    reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Waitlist event {self.pk}"
