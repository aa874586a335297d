"""Team meetings (case conferences): recurring per program, an agenda generated from the
data plus items added by hand, discussion and decisions per participant, staff attendance,
and minutes that lock when signed (later changes are addenda).

Free text (agenda reasons, discussion, decisions, addenda) is clinical and encrypted at rest.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.choices import Weekday
from trellis.lib.crypto import EncryptedTextField
from trellis.lib.models import SignedOnce
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program
from trellis.worklist.models import Alert


class MeetingSeries(models.Model):
    """A program's recurring team meeting: a weekday and a wall-clock time in the
    organization's zone (so a 9 am meeting stays at 9 am across daylight-saving changes)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="meeting_series")
    title = models.CharField(max_length=120, default="Team meeting")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["program__name", "weekday", "start_time"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"Meeting series {self.public_id}"


class Meeting(SignedOnce):
    """One meeting of a series, materialized ahead of time (sweep `meetings.materialize`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(help_text="Local date in the organization's zone.")
    starts_at = models.DateTimeField()
    agenda_generated_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=150, blank=True)
    signer_credentials = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="meeting_once_per_date"),
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True) | models.Q(signed_by__isnull=False),
                name="meeting_signed_has_signer",
            ),
        ]
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return f"Meeting {self.public_id}"

    # Signed minutes are never rewritten: later changes are addenda (SignedOnce).
    signed_message = "Signed minutes cannot be changed: add an addendum."

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at < (now or timezone.now())


class AgendaRule(models.TextChoices):
    URGENT_ALERT = "urgent_alert", "Open urgent alert"
    DETERIORATION = "deterioration", "Reliable deterioration"
    NOT_ON_TRACK = "not_on_track", "Not on track"
    BELOW_MINIMUM = "below_minimum", "Hours below the minimum last week"
    UNEXCUSED = "unexcused", "Unexcused absences"
    REVIEW_DUE = "review_due", "Plan review due within 7 days"
    UNSIGNED_PLAN = "unsigned_plan", "No signed treatment plan"
    DISCHARGE_PLANNED = "discharge_planned", "Discharge planned within 7 days"
    NO_PRACTICE = "no_practice", "No practice logged in 7 days while assigned"
    MANUAL = "manual", "Added by hand"


class AgendaItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=20, choices=AgendaRule.choices)
    reason = EncryptedTextField()
    evidence_url = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participant__family_name", "participant__given_name", "pk"]
        constraints = [
            # Regenerating the agenda adds what is new and never doubles an item.
            models.UniqueConstraint(
                fields=["meeting", "episode", "rule"],
                condition=~models.Q(rule="manual"),
                name="agenda_item_once_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.public_id}"


class Discussion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Discussion {self.public_id}"


class DecisionKind(models.TextChoices):
    TASK = "task", "Create a task"
    PLAN_REVISION = "plan_revision", "Open a plan revision"
    RECORD = "record", "Record only"


class Decision(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    text = EncryptedTextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    task = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_version_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="The draft a plan-revision decision opened."
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Decision {self.public_id}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_attendance_once")
        ]

    def __str__(self) -> str:
        return f"Attendance at {self.meeting}"


class MeetingAddendum(models.Model):
    """A later change to signed minutes: appended, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=150)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Meeting addendum {self.public_id}"
