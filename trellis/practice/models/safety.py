"""The Stanley–Brown safety plan, versioned and signed once, and the participant's "I am not
safe right now" reports (docs/practice.md).

A plan version is written with the clinician as a draft, then signed (typed name + password
re-entry, as plans and notes sign). A signed version never changes: a new version starts as a
copy of the last one. The participant reads the latest signed version and may acknowledge it
(the one field written after signing). The plan's text is the participant's words: its
sections are encrypted at rest.

An `UnsafeReport` is one press of the button on one organization day: pressing again the same
day returns the same report and raises no second alert.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedJSONField
from trellis.lib.models import SignedOnce
from trellis.participants.models import Episode, Participant

# The plan's sections in the Stanley–Brown order: (key, heading, prompt).
SAFETY_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "warning_signs",
        "1. Warning signs",
        "Thoughts, moods or situations that tell me a crisis may be starting",
    ),
    (
        "internal_coping",
        "2. Things I can do on my own",
        "Ways to take my mind off my problems without contacting anyone",
    ),
    (
        "distraction",
        "3. People and places that distract me",
        "People and social settings that help me feel better",
    ),
    ("people_to_ask", "4. People I can ask for help", "Names and phone numbers"),
    (
        "professionals",
        "5. Professionals and agencies I can contact in a crisis",
        "Clinicians, crisis lines, emergency services",
    ),
    ("environment", "6. Making my environment safe", "Steps to keep lethal means away"),
    ("reasons_for_living", "7. What matters most to me, worth living for", "Reasons for living"),
)
SECTION_KEYS: tuple[str, ...] = tuple(key for key, _, _ in SAFETY_SECTIONS)
MAX_ITEMS = 20
MAX_ITEM_LENGTH = 300


class SafetyPlanError(Exception):
    """A signed safety plan version was about to be changed."""


class SafetyPlan(SignedOnce, models.Model):
    signed_error: ClassVar[type[Exception]] = SafetyPlanError
    signed_message: ClassVar[str] = (
        "This safety plan version is signed; start a new version to change it."
    )
    writable_after_signing: ClassVar[frozenset[str]] = frozenset({"acknowledged_at"})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="safety_plans"
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="safety_plans")
    version = models.PositiveIntegerField()
    # {section key: [item, ...]} for every key of SAFETY_SECTIONS.
    sections = EncryptedJSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_name = models.CharField(max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["episode_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "version"], name="practice_safety_plan_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Safety plan v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def section_rows(self) -> list[tuple[str, str, str, list[str]]]:
        """(key, heading, prompt, items) in plan order, for templates."""
        stored = self.sections if isinstance(self.sections, dict) else {}
        return [
            (key, heading, prompt, list(stored.get(key, [])))
            for key, heading, prompt in SAFETY_SECTIONS
        ]


class UnsafeReport(models.Model):
    """One "I am not safe right now" press for an episode on one organization day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="unsafe_reports"
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="unsafe_reports")
    plan = models.ForeignKey(
        SafetyPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(help_text="The organization's date of the press")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "reported_on"], name="practice_unsafe_report_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Unsafe report {self.reported_on}"
