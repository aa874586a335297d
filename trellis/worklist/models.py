"""Alerts and tasks: raised by any clinical app, worked by staff.

The worklist knows participants, episodes and care teams, never the clinical app that raised
an alert: `source` says where it came from ("measures.response:<uuid>") and the alert's own
text says what to do. State lives here, in the database, so a worker restart loses nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program


class AlertKind(models.TextChoices):
    CRITICAL_ITEM = "critical_item", "Critical item"
    RELIABLE_DETERIORATION = "reliable_deterioration", "Reliable deterioration"
    NOT_ON_TRACK = "not_on_track", "Not on track"
    MISSED_CHECKINS = "missed_checkins", "Missed check-ins"
    BELOW_MINIMUM_HOURS = "below_minimum_hours", "Hours below the minimum"
    UNEXCUSED_ABSENCES = "unexcused_absences", "Unexcused absences in a row"
    PLAN_REVIEW_DUE = "plan_review_due", "Plan review due"
    NOTE_AWAITING_COSIGN = "note_awaiting_cosign", "Note awaiting co-signature"
    NOTE_UNSIGNED = "note_unsigned", "Note unsigned after 24 hours"
    MEETING_DECISION = "meeting_decision", "Team-meeting decision"
    PRACTICE_RISK = "practice_risk", "Risk reported between sessions"
    TASK = "task", "Task"


# Kinds that are work to do rather than a clinical signal: completing them needs no
# documented risk follow-up.
TASK_KINDS = frozenset(
    {
        AlertKind.TASK,
        AlertKind.MEETING_DECISION,
        AlertKind.PLAN_REVIEW_DUE,
        AlertKind.NOTE_AWAITING_COSIGN,
        AlertKind.NOTE_UNSIGNED,
    }
)


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


OPEN_ALERT_STATUSES = [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]


class RecipientReason(models.TextChoices):
    PRIMARY = "primary", "Primary clinician"
    ON_CALL = "on_call", "On-call clinician"
    CARE_TEAM = "care_team", "Care team"
    ESCALATION = "escalation", "Program director (escalation)"
    NO_ON_CALL = "no_on_call", "Program director (nobody on call)"
    OWNER = "owner", "Owner"


class ProgramOnCall(models.Model):
    """Who is on call for a program's urgent alerts, and when.

    Directors set shifts on the program's on-call page (`worklist:on-call`); the admin stays for
    emergencies. Shifts are kept after they end: the list is the record of who was on call."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="on_call")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["program", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="on_call_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"On call for {self.program} from {self.starts_at:%Y-%m-%d %H:%M}"


class AlertQuerySet(models.QuerySet["Alert"]):
    def unresolved(self) -> AlertQuerySet:
        return self.filter(status__in=OPEN_ALERT_STATUSES)

    def for_recipient(self, user_id: int) -> AlertQuerySet:
        return self.filter(recipients__user_id=user_id).distinct()


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="alerts")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_alerts",
        help_text="Who answers for it: the primary clinician when there is one.",
    )
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    source = models.CharField(
        max_length=100, help_text="What raised it, e.g. measures.response:<id>"
    )
    dedupe_key = models.CharField(
        max_length=150, unique=True, help_text="Raising the same alert twice stores one."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_assessment_done = models.BooleanField(default=False)
    safety_plan_reviewed = models.BooleanField(default=False)
    referred_higher_level = models.BooleanField("referred to a higher level of care", default=False)
    follow_up_note = EncryptedTextField(blank=True)  # clinical detail: encrypted at rest
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who created a task by hand; empty for alerts raised by the system.",
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["status", "priority", "created_at"])]

    def __str__(self) -> str:
        return f"Alert {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.RESOLVED

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at - self.created_at

    @property
    def minutes_to_acknowledge(self) -> int | None:
        waited = self.time_to_acknowledge
        return None if waited is None else int(waited.total_seconds() // 60)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due_at

    @property
    def is_task(self) -> bool:
        return self.kind in TASK_KINDS


class AlertRecipient(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alert_inbox"
    )
    reason = models.CharField(max_length=15, choices=RecipientReason.choices)
    added_at = models.DateTimeField(default=timezone.now)
    # Each recipient acknowledges for themselves (the alert's own acknowledged_at is the
    # first one, which times the response): the page shows who has seen it and who has not.
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="alert_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} for {self.alert}"


class Reassignment(models.Model):
    """Who handed an item to whom, and when: the owner changes, the history stays."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="reassignments")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Reassignment of {self.alert}"


class Comment(models.Model):
    """A comment on an alert or task. Encrypted at rest: people write clinical detail here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.public_id}"
