"""The level-of-care recommendation: a program's ordered rules, and the decisions made.

Rules are data a program director edits (`LevelOfCareRule`, first match wins); the
evaluation is a pure function (`intake/rules.py`). A clinician accepts the recommendation
or overrides it with a rationale; `LevelOfCareDecision` keeps both: a snapshot of the
recommendation as it was shown, and the level and track chosen."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.intake.models.inquiries import Inquiry
from trellis.lib.crypto import EncryptedTextField
from trellis.programs.models import Program, Track


class Level(models.TextChoices):
    INPATIENT = "inpatient", "Inpatient (emergency evaluation now)"
    RESIDENTIAL = "residential", "Residential"
    PARTIAL = "partial", "Partial hospitalization"
    INTENSIVE_OUTPATIENT = "iop", "Intensive outpatient (this program)"
    OUTPATIENT = "outpatient", "Outpatient"
    REFER = "refer", "Refer to another program or provider"


# Levels that send the person elsewhere: accepting one moves the inquiry to "referred".
ELSEWHERE = frozenset(
    {Level.INPATIENT, Level.RESIDENTIAL, Level.PARTIAL, Level.OUTPATIENT, Level.REFER}
)


class Condition(models.TextChoices):
    ACUTE_RISK = "acute_risk", "Risk screen acute positive"
    RISK_POSITIVE = "risk_positive", "Risk screen positive (acute or not)"
    SCORE_AT_LEAST = "score_at_least", "Score at least"
    AGE_OUTSIDE = "age_outside", "Age outside the program's population"
    NO_TRACK_FITS = "no_track_fits", "No track fits the preferred schedule"
    ALWAYS = "always", "Otherwise (always matches)"


class LevelOfCareRule(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="loc_rules")
    position = models.PositiveSmallIntegerField()
    condition = models.CharField(max_length=20, choices=Condition.choices)
    instrument_code = models.CharField(max_length=40, blank=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="loc_rule_position")
        ]

    def __str__(self) -> str:
        return f"Level-of-care rule {self.public_id}"


class LevelOfCareDecision(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="decisions")
    # The recommendation as the clinician saw it: level, track, reasons, the scores.
    recommendation = models.JSONField()
    recommended_level = models.CharField(max_length=12, choices=Level.choices)
    accepted = models.BooleanField()
    level = models.CharField(max_length=12, choices=Level.choices)
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = EncryptedTextField(blank=True)  # clinical reasoning: encrypted at rest
    destination = models.CharField(
        max_length=200, blank=True, help_text="Where the person is referred, in words."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"Level-of-care decision {self.public_id}"
