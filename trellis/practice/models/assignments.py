"""Assignments (practice a skill or fill in a worksheet between sessions) and the entries a
participant logs against them.

An assignment belongs to one episode. `times_required` entries complete it: 1 for "once by
Wednesday", 3 for "3 times this week", 7 for "daily for 7 days" (one entry per day counts).
Entries are the participant's words: their answers are encrypted at rest; the 0–10 "how it
went" rating stays plain because adherence and its charts read it in bulk.

A retry from a flaky phone connection sends the same `idempotency_key` and gets the first
entry back (one entry, never two). An entry for a past day is `late_entered`: its day is the
day the practice happened, never silently today.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedJSONField, EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.practice.models.library import Skill, WorksheetDefinition
from trellis.scheduling.models import Occurrence


class Frequency(models.TextChoices):
    ONCE = "once", "Once by the due date"
    TIMES = "times", "A number of times by the due date"
    DAILY = "daily", "Daily (one entry a day)"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    EXCUSED = "excused", "Excused"


OPEN_ASSIGNMENT_STATUSES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS})


class Assignment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="practice_assignments"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="practice_assignments"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    worksheet = models.ForeignKey(
        WorksheetDefinition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="The worksheet version entries are written on",
    )
    title = models.CharField(max_length=200, help_text='e.g. "Practise DEAR MAN and log it"')
    note = EncryptedTextField(blank=True, default="")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ONCE)
    times_required = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    starts_on = models.DateField(help_text="The organization's date practice may start")
    due_on = models.DateField(help_text="The last day that counts as on time")
    occurrence = models.ForeignKey(
        Occurrence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_assignments",
        help_text="The session it was assigned in, if any",
    )
    batch = models.UUIDField(
        null=True, blank=True, help_text="One 'assign to everyone present' action"
    )
    status = models.CharField(
        max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    could_not_at = models.DateTimeField(null=True, blank=True)
    could_not_reason = EncryptedTextField(blank=True, default="")
    could_not_reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a signed note reviewed the 'couldn't do it'"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-due_on", "-assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(skill__isnull=False) | models.Q(worksheet__isnull=False),
                name="practice_assignment_has_focus",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="practice_assignment_due_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["episode", "due_on"]),
            models.Index(fields=["participant", "status", "due_on"]),
            models.Index(fields=["occurrence"]),
        ]

    def __str__(self) -> str:
        return f"Assignment {self.public_id}"


class PracticeEntry(models.Model):
    """One logged practice: the worksheet answers (encrypted) and how it went (0–10)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="entries")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    practiced_on = models.DateField(help_text="The organization's date the practice happened")
    submitted_at = models.DateTimeField(default=timezone.now)
    late_entered = models.BooleanField(
        default=False, help_text="Written on a later day than the day it describes"
    )
    worksheet = models.ForeignKey(
        WorksheetDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers = EncryptedJSONField(default=dict)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="How it went, 0–10"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_in = models.CharField(
        max_length=80, blank=True, help_text='Where it was reviewed: "notes.progress:<id>"'
    )

    class Meta:
        ordering = ["-practiced_on", "-submitted_at"]
        indexes = [
            models.Index(fields=["assignment", "practiced_on"]),
            models.Index(fields=["episode", "practiced_on"]),
            models.Index(fields=["participant", "practiced_on"]),
        ]

    def __str__(self) -> str:
        return f"Practice entry {self.public_id}"
