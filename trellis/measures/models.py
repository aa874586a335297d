"""Check-in schedules, administrations, responses and scores.

Instruments are data (scoring.py loads them from instruments/*.json, or from
ImportedInstrument rows); every response and score names the instrument code and version
that produced it. A submitted response never changes: a correction is a new response that
points at the one it corrects, and trajectories use the latest of a chain.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.choices import Weekday
from trellis.lib.crypto import EncryptedJSONField, EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Organization, Program


class ImportedInstrument(models.Model):
    """An instrument a program imported (FHIR Questionnaire plus our scoring section)."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    definition = models.JSONField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class ScheduleKind(models.TextChoices):
    ADMISSION = "admission", "At admission"
    WEEKLY = "weekly", "Weekly"
    DISCHARGE = "discharge", "At discharge"
    AFTER_DISCHARGE = "after_discharge", "After discharge"


class Schedule(models.Model):
    """When a program's participants get an instrument. Episodes may override (skip, or
    another weekday) through ScheduleOverride."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="measure_schedules")
    instrument_code = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=ScheduleKind.choices)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    offset_days = models.PositiveSmallIntegerField(
        default=0, help_text="After discharge: days after the discharge date (30, 90)."
    )
    window_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days the check-in stays open before it expires (missed)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program", "kind", "instrument_code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="weekly") | models.Q(weekday__isnull=False),
                name="schedule_weekly_has_weekday",
            ),
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1), name="schedule_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.get_kind_display()}"

    @property
    def cadence(self) -> str:
        """When it offers its check-in, as staff read it: "Every Tuesday"."""
        if self.kind == ScheduleKind.WEEKLY and self.weekday is not None:
            return f"Every {Weekday(self.weekday).label}"
        if self.kind == ScheduleKind.AFTER_DISCHARGE:
            return f"{self.offset_days} days after discharge"
        return str(self.get_kind_display())


class ScheduleOverride(models.Model):
    """One episode's exception to a program schedule: paused (`skip`), or a weekly check-in
    on another weekday. Set by the care team on the Measures tab, with the reason why."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="overrides")
    skip = models.BooleanField(default=False)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    reason = EncryptedTextField(blank=True)  # may name clinical circumstances: encrypted
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "schedule"], name="override_once")
        ]

    def __str__(self) -> str:
        return f"Override {self.public_id}"

    @property
    def summary(self) -> str:
        if self.skip:
            return "Paused for this episode"
        if self.weekday is not None:
            return f"On {Weekday(self.weekday).label}s for this episode"
        return "As the program schedules it"


class AdministrationStatus(models.TextChoices):
    DUE = "due", "Due"
    IN_PROGRESS = "in_progress", "Started"
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ADMINISTRATION = [AdministrationStatus.DUE, AdministrationStatus.IN_PROGRESS]


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def open_now(self) -> AdministrationQuerySet:
        now = timezone.now()
        return self.filter(
            status__in=OPEN_ADMINISTRATION, available_from__lte=now, expires_at__gt=now
        )


class Administration(models.Model):
    """One check-in offered to a participant: an instrument, a due date, a window."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="administrations")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="administrations"
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="administrations"
    )
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=40)
    due_on = models.DateField()
    available_from = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=15, choices=AdministrationStatus.choices, default=AdministrationStatus.DUE
    )
    draft_answers = EncryptedJSONField(default=dict, blank=True)  # encrypted at rest
    # A one-time link's token is stored hashed (SHA-256): the database never holds a usable link.
    link_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "instrument_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "schedule", "due_on"],
                condition=models.Q(schedule__isnull=False),
                name="administration_once_per_schedule_date",
            ),
            # One open check-in per instrument and due date in an episode, whoever made it
            # (a schedule, a sweep, the demo, staff by hand). Overlapping windows of
            # different dates are kept apart by the creating actions (covering_administration).
            models.UniqueConstraint(
                fields=["episode", "instrument_code", "due_on"],
                condition=models.Q(status__in=["due", "in_progress"]),
                name="administration_one_open_per_instrument_date",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("available_from")),
                name="administration_expires_after_available",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Administration {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ADMINISTRATION and timezone.now() < self.expires_at

    @property
    def is_expired(self) -> bool:
        return self.status in OPEN_ADMINISTRATION and timezone.now() >= self.expires_at


class Channel(models.TextChoices):
    LINK = "link", "One-time link"
    PORTAL = "portal", "Participant sign-in"
    TABLET = "tablet", "Staff tablet"
    API = "api", "API (FHIR)"
    STAFF = "staff", "Entered by staff"


class Response(models.Model):
    """A submitted check-in. Immutable: a correction is a new Response with `corrects` set."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    administration = models.ForeignKey(
        Administration, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="measure_responses"
    )
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=40)
    answers = EncryptedJSONField(help_text="{linkId: answer code}")  # encrypted at rest
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # Why a correction was recorded (corrections only); may name clinical detail: encrypted.
    correction_reason = EncryptedTextField(blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Response {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A submitted response never changes: record a correction.")
        super().save(*args, **kwargs)


class ScoreQuerySet(models.QuerySet["Score"]):
    def current(self) -> ScoreQuerySet:
        """Scores of responses that no correction replaced."""
        return self.filter(response__corrections__isnull=True)


class Score(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="score")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="measure_scores"
    )
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=40)
    observed_at = models.DateTimeField()
    observed_on = models.DateField(help_text="In the organization's time zone")
    total = models.IntegerField(null=True, blank=True, help_text="Empty: too many items missing")
    raw_sum = models.IntegerField()
    band_code = models.CharField(max_length=40, blank=True)
    band_label = models.CharField(max_length=100, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    answered = models.PositiveSmallIntegerField()
    missing_items = models.JSONField(default=list, blank=True)
    prorated = models.BooleanField(default=False)
    critical_items = models.JSONField(default=list, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["observed_at"]
        indexes = [models.Index(fields=["episode", "instrument_code", "observed_at"])]

    def __str__(self) -> str:
        return f"Score {self.public_id}"

    @property
    def incomplete(self) -> bool:
        return bool(self.missing_items)

    @property
    def display(self) -> str:
        """The total as people read it, labelled when it came from incomplete answers."""
        if self.total is None:
            return "not scored (too many items missing)"
        if self.prorated:
            return f"{self.total} (prorated: {len(self.missing_items)} missing)"
        return str(self.total)
