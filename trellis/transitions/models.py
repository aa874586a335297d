"""Discharge summaries, their addenda, and aftercare plans (docs/intake-and-discharge.md).

A summary is assembled from the record at discharge (dates, hours, measures, plan, risk
history) and frozen as `figures` when the clinician signs it with their narrative; the
aftercare plan is signed with it. A signed summary never changes: later changes are addenda
(the pattern of progress notes). Clinical text is encrypted at rest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedJSONField, EncryptedTextField
from trellis.lib.models import SignedOnce, SignedRecordError
from trellis.participants.models import Episode


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class StepDownLevel(models.TextChoices):
    """Where care continues after the program (ASAM levels in plain words)."""

    OUTPATIENT = "outpatient", "Outpatient therapy (weekly or less)"
    IOP = "iop", "Another intensive outpatient program"
    PHP = "php", "Partial hospitalization"
    RESIDENTIAL = "residential", "Residential treatment"
    INPATIENT = "inpatient", "Inpatient care"
    PRIMARY_CARE = "primary_care", "Primary care follow-up"
    PEER_SUPPORT = "peer_support", "Peer support or mutual-help groups only"
    NONE = "none", "No further care arranged"


class SignedSummaryError(SignedRecordError):
    """A signed discharge summary was about to be changed: changes after signing are addenda."""


class DischargeSummary(SignedOnce):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="discharge_summary"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    narrative = EncryptedTextField(blank=True, default="")
    # The assembled figures, frozen at signing (summary.Figures.to_json()); empty while draft.
    figures = EncryptedJSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_credentials = models.CharField(max_length=200, blank=True)

    signed_error = SignedSummaryError
    signed_message = "A signed discharge summary cannot be changed: add an addendum."

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False),
                name="discharge_summary_signed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Discharge summary {self.public_id}"

    @property
    def is_signed(self) -> bool:
        return self.status == SummaryStatus.SIGNED


class SummaryAddendum(models.Model):
    """A later change to a signed summary: appended, signed by its author, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    summary = models.ForeignKey(DischargeSummary, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=150)
    author_credentials = models.CharField(max_length=200, blank=True)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum {self.public_id}"


class AftercarePlan(SignedOnce):
    """What happens after the program, in words the participant reads. Signed with the
    summary (one signature covers both); locked from then on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    summary = models.OneToOneField(
        DischargeSummary, on_delete=models.PROTECT, related_name="aftercare"
    )
    step_down_level = models.CharField(max_length=20, choices=StepDownLevel.choices, blank=True)
    provider = EncryptedTextField(blank=True, default="")  # name, address, phone: free text
    alumni_group = EncryptedTextField(blank=True, default="")
    crisis_steps = EncryptedTextField(blank=True, default="")
    notes_for_participant = EncryptedTextField(blank=True, default="")
    # Check-ins scheduled at signing (measures administrations' public ids), for the page.
    follow_up_ids = models.JSONField(default=list, blank=True)

    signed_error = SignedSummaryError
    signed_message = "A signed aftercare plan cannot be changed: add an addendum to the summary."

    def __str__(self) -> str:
        return f"Aftercare plan {self.public_id}"

    @property
    def is_signed(self) -> bool:
        return self.summary.is_signed


class AftercareAppointment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField()
    with_whom = EncryptedTextField()  # "Dr. Lee, Riverside Clinic, 12 Main St"

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Aftercare appointment {self.public_id}"


class TrackRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed by the team"


class TrackChangeRequest(models.Model):
    """A participant's request to move to another track of their program ("evenings would
    let me keep my job"), sent from the portal. It reaches the care team as a worklist task
    (`alert`); the team answers by changing the track on the episode-changes page (which
    marks the request done) or by completing the task after talking it through. The
    participant's reason is their own words: encrypted. One open request per episode."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="track_requests")
    track = models.ForeignKey("programs.Track", on_delete=models.PROTECT, related_name="+")
    # The first day the person could start on the new track; None: as soon as possible.
    starting_from = models.DateField(null=True, blank=True)
    reason = EncryptedTextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=TrackRequestStatus.choices, default=TrackRequestStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    alert = models.ForeignKey(
        "worklist.Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(status="open"),
                name="track_request_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Track change request {self.public_id}"
