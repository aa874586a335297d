"""An inquiry: a person who is not yet a participant asks a program for help.

From a phone call, the program's web form or a referral, an inquiry moves new → contacted →
screening → decision → admitted / waitlisted / referred elsewhere / closed with a reason
(`TRANSITIONS`). When screening starts, the person gets a participant record and a *planned*
episode in the program (or an existing participant is linked): the screening questionnaires
are that episode's check-ins, so a positive risk screen raises the same urgent alert as a
PHQ-9 item 9 answer, and admission turns the same episode active. An inquiry closed after
screening closes its episode as "closed before admission" (`EpisodeStatus.CANCELLED`).

Inquiry data is health information (someone asked a treatment program for help): every view
is audited through `intake.access`, and the reason in the person's own words is encrypted.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Organization, Program


class InquiryStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCREENING = "screening", "Screening"
    DECISION = "decision", "Waiting on a decision"
    ADMITTED = "admitted", "Admitted"
    WAITLISTED = "waitlisted", "Waitlisted"
    REFERRED = "referred", "Referred elsewhere"
    CLOSED = "closed", "Closed"


# Where an inquiry may go from each status. Admission and the waitlist happen through their
# own flows (which check capacity and consents); closing needs a reason. A closed inquiry can
# be reopened (the person calls back); admitted and referred ones are finished.
TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryStatus.NEW: frozenset(
        {InquiryStatus.CONTACTED, InquiryStatus.SCREENING, InquiryStatus.REFERRED,
         InquiryStatus.CLOSED}
    ),
    InquiryStatus.CONTACTED: frozenset(
        {InquiryStatus.SCREENING, InquiryStatus.DECISION, InquiryStatus.REFERRED,
         InquiryStatus.CLOSED}
    ),
    InquiryStatus.SCREENING: frozenset(
        {InquiryStatus.DECISION, InquiryStatus.REFERRED, InquiryStatus.CLOSED}
    ),
    InquiryStatus.DECISION: frozenset(
        {InquiryStatus.SCREENING, InquiryStatus.ADMITTED, InquiryStatus.WAITLISTED,
         InquiryStatus.REFERRED, InquiryStatus.CLOSED}
    ),
    InquiryStatus.WAITLISTED: frozenset(
        {InquiryStatus.ADMITTED, InquiryStatus.REFERRED, InquiryStatus.CLOSED}
    ),
    InquiryStatus.ADMITTED: frozenset(),
    InquiryStatus.REFERRED: frozenset(),
    InquiryStatus.CLOSED: frozenset({InquiryStatus.NEW}),
}  # fmt: skip

OPEN_STATUSES = frozenset(
    {
        InquiryStatus.NEW,
        InquiryStatus.CONTACTED,
        InquiryStatus.SCREENING,
        InquiryStatus.DECISION,
        InquiryStatus.WAITLISTED,
    }
)
CLOSED_STATUSES = frozenset({InquiryStatus.ADMITTED, InquiryStatus.REFERRED, InquiryStatus.CLOSED})


class InquirySource(models.TextChoices):
    PHONE = "phone", "Phone call"
    WEB = "web", "Web form"
    REFERRAL = "referral", "Referral"
    WALK_IN = "walk_in", "Walk-in"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class PreferredSchedule(models.TextChoices):
    ANY = "any", "Any time"
    DAY = "day", "Daytime"
    EVENING = "evening", "Evenings"
    WEEKEND = "weekend", "Weekends"


class Payment(models.TextChoices):
    UNKNOWN = "unknown", "Not known yet"
    COMMERCIAL = "commercial", "Private insurance"
    MEDICAID = "medicaid", "Medicaid"
    MEDICARE = "medicare", "Medicare"
    TRICARE = "tricare", "TRICARE / military"
    SELF_PAY = "self_pay", "Self-pay"
    OTHER = "other", "Other"


class ContactPreference(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class CloseReason(models.TextChoices):
    NO_RESPONSE = "no_response", "Could not reach them"
    NOT_INTERESTED = "not_interested", "No longer interested"
    CHOSE_ELSEWHERE = "chose_elsewhere", "Chose another provider"
    NOT_ELIGIBLE = "not_eligible", "Not eligible for this program"
    PAYMENT = "payment", "Payment or insurance"
    SCHEDULE = "schedule", "No schedule that fits"
    DUPLICATE = "duplicate", "Duplicate of another inquiry"
    OTHER = "other", "Other"


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def open(self) -> InquiryQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Inquiry(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inquiries"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="inquiries")
    status = models.CharField(
        max_length=12, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    # Where it came from. A referrer's details are kept for the reply; a referrer never
    # sees anything in Trellis after sending.
    source = models.CharField(max_length=10, choices=InquirySource.choices)
    referrer_organization = models.CharField(max_length=150, blank=True)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_contact = models.CharField(
        max_length=150, blank=True, help_text="The referrer's phone or email."
    )

    # The person, as they gave it. Only a name and one way to reach them are required.
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=35, default="en")
    consent_to_contact = models.BooleanField(
        default=False, help_text="They agreed to be called, texted or emailed back."
    )
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )

    # What they asked for. The reason, in their own words, is clinical: encrypted at rest,
    # never shown to the front desk.
    reason = EncryptedTextField(blank=True)
    preferred_schedule = models.CharField(
        max_length=10, choices=PreferredSchedule.choices, default=PreferredSchedule.ANY
    )
    schedule_notes = models.CharField(max_length=200, blank=True)
    payment = models.CharField(max_length=12, choices=Payment.choices, default=Payment.UNKNOWN)
    payer_name = models.CharField(max_length=100, blank=True)

    # Who works it and what happens next.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_inquiries",
    )
    next_action = models.CharField(max_length=200, blank=True)
    next_action_due = models.DateField(null=True, blank=True)

    # Once screening starts: the person's record and their planned episode in the program.
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    # A duplicate merged by the coordinator points at the inquiry it was merged into.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the person sent the program's web form themselves.",
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["program", "status", "received_at"])]
        verbose_name_plural = "inquiries"

    def __str__(self) -> str:
        return f"Inquiry {self.public_id}"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())

    def waiting_since(self) -> datetime:
        """Since when the inquiry has waited on the program: its last status change."""
        return self.status_changed_at

    def age_on(self, on: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class EventKind(models.TextChoices):
    RECEIVED = "received", "Inquiry received"
    CALL = "call", "Call"
    NOTE = "note", "Note"
    MESSAGE = "message", "Message sent"
    STATUS = "status", "Status changed"
    ASSIGNED = "assigned", "Owner changed"
    MERGED = "merged", "Duplicate merged"
    SCREENING = "screening", "Screening"
    DECISION = "decision", "Decision"


class InquiryEvent(models.Model):
    """The inquiry's history: calls, notes, messages and every change, oldest first.
    The text is what staff wrote about a person seeking care: encrypted at rest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(blank=True)
    from_status = models.CharField(max_length=12, choices=InquiryStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=InquiryStatus.choices, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Inquiry event {self.public_id}"
