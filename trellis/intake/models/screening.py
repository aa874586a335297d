"""Screening: the program's battery of questionnaires sent to a person who inquired.

The questionnaires are ordinary `measures` check-ins (Administrations) on the inquiry's
planned episode, so scoring, critical items and the urgent alert are measures' own. A
`Screening` groups one battery: the check-ins, and (when sent) ONE one-time link that walks
the person through all of them. Only the link's SHA-256 hash is stored; the link works until
the battery is done or it expires (`LINK_HOURS`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.intake.models.inquiries import Inquiry
from trellis.measures.models import Administration
from trellis.participants.models import Episode

# The battery every program sends unless it chooses another (docs/intake-and-discharge.md).
DEFAULT_BATTERY = ("PHQ-9", "GAD-7", "AUDIT-C", "ASQ")
LINK_HOURS = 72


class ScreeningChannel(models.TextChoices):
    LINK = "link", "Link sent to the person"
    STAFF = "staff", "Completed with staff"


class Screening(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="screenings")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=ScreeningChannel.choices)
    administrations = models.ManyToManyField(Administration, related_name="+")
    link_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Screening {self.public_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def is_expired(self) -> bool:
        return self.completed_at is None and timezone.now() >= self.expires_at
