"""Admission: a program's consent documents, the signatures an episode holds, and the
program's admission settings (when the initial plan is due, how recent a screening must be
to count as the baseline).

Consent documents are versioned: a new version is a new row and the old one is retired, so a
signature always points at the exact text the person agreed to and never changes when the
program rewrites a form (docs/intake-and-discharge.md, "Admission")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from trellis.participants.models import Episode
from trellis.programs.models import Program

DEFAULT_PLAN_DUE_DAYS = 7
DEFAULT_BASELINE_DAYS = 14


class AdmissionSettings(models.Model):
    """One program's admission rules. A program without a row uses the defaults."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="admission_settings"
    )
    plan_due_days = models.PositiveSmallIntegerField(
        "initial plan due within (days)",
        default=DEFAULT_PLAN_DUE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    baseline_days = models.PositiveSmallIntegerField(
        "screening counts as baseline within (days)",
        default=DEFAULT_BASELINE_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text="Screening questionnaires completed this many days before admission are "
        "the admission baseline; older ones are asked again.",
    )

    def __str__(self) -> str:
        return f"Admission settings {self.program_id}"


class ConsentDocument(models.Model):
    """One version of one consent form of a program (`key` is stable across versions)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="consent_documents")
    key = models.SlugField(max_length=40, help_text="Stable across versions, e.g. treatment.")
    title = models.CharField(max_length=150)
    version = models.PositiveSmallIntegerField(default=1)
    summary = models.TextField(help_text="What the person reads on the tablet, in plain words.")
    required = models.BooleanField(default=True, help_text="Needed before admission.")
    may_follow = models.BooleanField(
        default=False,
        help_text="Admission may go ahead with this one marked “to follow” (signed later).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["program", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key", "version"], name="consent_document_unique_version"
            ),
            models.UniqueConstraint(
                fields=["program", "key"],
                condition=models.Q(is_active=True),
                name="consent_document_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent document {self.public_id}"

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"


class ConsentMethod(models.TextChoices):
    TABLET = "tablet", "Signed on the tablet"
    PAPER = "paper", "Signed on paper"
    TO_FOLLOW = "to_follow", "To follow"


class ConsentSignature(models.Model):
    """An episode's consent to one version of one document, or a note that it is to follow.

    Signed on the tablet: the person typed their name and ticked "I have read and agree",
    with the staff member who witnessed it. Signed on paper: the date on the paper form (the
    paper stays in the program's records; Trellis keeps no scan yet)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="consents")
    document = models.ForeignKey(
        ConsentDocument, on_delete=models.PROTECT, related_name="signatures"
    )
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    typed_name = models.CharField(max_length=150, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document__title", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "document"], name="consent_signature_once_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(method="to_follow") | models.Q(signed_on__isnull=False),
                name="consent_signature_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent signature {self.public_id}"

    @property
    def is_signed(self) -> bool:
        return self.method != ConsentMethod.TO_FOLLOW
