"""Treatment plans: one plan per episode, kept as numbered versions.

A version's content is one structured document (problems → goals → objectives,
interventions, strengths, discharge criteria; see `content.py`). A draft is edited in place
under optimistic concurrency (`revision`); a signed version never changes again — the only
later writes to it are the participant's acknowledgement. A revision starts a new draft from
the latest signed content, so every signed version stays as it was signed and two versions
can be compared. Content is encrypted at rest (`lib.crypto.EncryptedJSONField`).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedJSONField
from trellis.lib.models import SignedOnce, SignedRecordError
from trellis.participants.models import Episode
from trellis.programs.models import Program

DEFAULT_REVIEW_DAYS = 30


class PlanSettings(models.Model):
    """Per-program plan settings (kept here so `programs` need not know plans)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="plan_settings")
    review_interval_days = models.PositiveSmallIntegerField(
        default=DEFAULT_REVIEW_DAYS, help_text="Days between plan reviews (monthly is common)."
    )

    class Meta:
        verbose_name_plural = "plan settings"

    def __str__(self) -> str:
        return f"Plan settings of {self.program}"


def review_interval_for(program: Program) -> int:
    found = PlanSettings.objects.filter(program=program).values_list(
        "review_interval_days", flat=True
    )
    return next(iter(found), DEFAULT_REVIEW_DAYS)


class PlanTemplate(models.Model):
    """A program's starting point for plans (same document shape as a version's content)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_templates")
    name = models.CharField(max_length=150)
    content = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="plan_template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TreatmentPlan(models.Model):
    """The plan of one episode: its versions, and when the next review is due."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="plan")
    created_at = models.DateTimeField(default=timezone.now)
    review_due_on = models.DateField(null=True, blank=True)
    # A trigger (deterioration, not on track, a team decision) asked for an early review.
    review_reason = models.CharField(max_length=200, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["review_due_on"])]

    def __str__(self) -> str:
        return f"Plan {self.public_id}"

    def review_is_due(self, on: date) -> bool:
        """True when the review is due by `on` (the program's date)."""
        return self.review_due_on is not None and self.review_due_on <= on


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class SignedVersionError(SignedRecordError):
    """A signed plan version was about to be changed: only amendments (new versions) are
    allowed."""


# After signing, only the participant's acknowledgement may still be written.
ACKNOWLEDGEMENT_FIELDS = frozenset({"acknowledged_at", "acknowledged_name"})


class PlanVersion(SignedOnce):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices)
    content = EncryptedJSONField(default=dict)  # the participant's plan: encrypted at rest
    template = models.ForeignKey(
        PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: every saved edit of a draft adds one; a save that names an
    # older revision is a conflict (someone else saved in between).
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=150, blank=True)
    signer_credentials = models.CharField(max_length=200, blank=True)
    unchanged_from_template = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="draft"),
                name="plan_version_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(signed_at__isnull=False) & models.Q(signed_by__isnull=False)),
                name="plan_version_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan version {self.public_id}"

    # A second line of defence behind the actions (SignedOnce): a version loaded as signed is
    # never written again, except for the participant's acknowledgement.
    signed_error = SignedVersionError
    signed_message = "A signed plan version cannot be changed."
    writable_after_signing = ACKNOWLEDGEMENT_FIELDS

    @property
    def is_signed(self) -> bool:
        return self.status == VersionStatus.SIGNED
