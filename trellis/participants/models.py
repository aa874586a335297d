"""Participants, episodes of care, and care teams."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedTextField
from trellis.programs.models import ClinicianKind, Organization, Program, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: User) -> ParticipantQuerySet:
        """Participants whose record the user may open at all (see privacy/policy.py)."""
        # privacy imports participants, so this import waits until a list is filtered (the
        # one exception to the layers: tests/architecture/contracts.py).
        from trellis.privacy import policy

        return self.filter(policy.participant_filter(user))

    def search(self, text: str) -> ParticipantQuerySet:
        """Match names and MRN, word by word, ignoring case."""
        query = self
        for word in text.split()[:5]:
            query = query.filter(
                models.Q(preferred_name__icontains=word)
                | models.Q(given_name__icontains=word)
                | models.Q(family_name__icontains=word)
                | models.Q(mrn__icontains=word)
            )
        return query


class Participant(models.Model):
    """A person receiving care. Identified in URLs and the API by public_id only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participants"
    )
    mrn = models.CharField("MRN", max_length=30, help_text="Medical record number")
    given_name = models.CharField("legal given name", max_length=100)
    family_name = models.CharField("legal family name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)
    language = models.CharField(
        max_length=35, default="en", help_text="Preferred language, BCP 47 code (en, es, vi…)"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
        help_text="The participant's own sign-in, if they have one.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "mrn"], name="participant_unique_mrn")
        ]
        indexes = [
            models.Index(fields=["organization", "family_name", "given_name"]),
        ]

    def __str__(self) -> str:
        # Deliberately not the name: str() ends up in logs and admin messages.
        return f"Participant {self.public_id}"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, on: date) -> int:
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def address(self) -> str:
        tail = " ".join(p for p in [self.state, self.postal_code] if p)
        parts = [self.address_line1, self.address_line2, self.city, tail]
        return ", ".join(p for p in parts if p)


class EpisodeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    WAITLIST = "waitlist", "Waitlist"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    DISCHARGED = "discharged", "Discharged"
    # Closed before admission: the person was screened (a planned or waitlisted episode holds
    # the screening) and then went elsewhere or withdrew. FHIR EpisodeOfCare "cancelled".
    CANCELLED = "cancelled", "Closed before admission"


OPEN_STATUSES = [
    EpisodeStatus.PLANNED,
    EpisodeStatus.WAITLIST,
    EpisodeStatus.ACTIVE,
    EpisodeStatus.ON_HOLD,
]


class DischargeReason(models.TextChoices):
    """Treatment episode data set categories (docs/domain.md §3)."""

    COMPLETED = "completed", "Treatment completed"
    TRANSFERRED = "transferred", "Transferred to further treatment"
    DROPPED_OUT = "dropped_out", "Dropped out (left against advice or stopped coming)"
    TERMINATED = "terminated", "Terminated by the program"
    INCARCERATED = "incarcerated", "Incarcerated"
    DEATH = "death", "Death"
    OTHER = "other", "Other"


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def visible_to(self, user: User) -> EpisodeQuerySet:
        """Episodes the user may see (per program: a Part 2 program stays private)."""
        from trellis.privacy import policy

        return self.filter(policy.episode_filter(user))

    def status_known_to(self, user: User) -> EpisodeQuerySet:
        """Episodes whose status and program the user may know about a person they see
        (policy.status_filter): never decides who is shown, only what their status is."""
        from trellis.privacy import policy

        return self.filter(policy.status_filter(user))

    def open(self) -> EpisodeQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Episode(models.Model):
    """One stay in one program, from planning or waitlist to discharge."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="episodes")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="episodes")
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices)
    admitted_on = models.DateField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)
    planned_discharge_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the team plans to discharge (transition planning, team meetings).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-admitted_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(admitted_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="episode_discharge_after_admission",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="discharged")
                | (models.Q(discharged_on__isnull=False) & ~models.Q(discharge_reason="")),
                name="episode_discharged_has_date_and_reason",
            ),
            models.UniqueConstraint(
                fields=["participant", "program"],
                condition=models.Q(status__in=["planned", "waitlist", "active", "on_hold"]),
                name="episode_one_open_per_program",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_in_care(self, on: date) -> int | None:
        if self.admitted_on is None:
            return None
        end = self.discharged_on or on
        return (end - self.admitted_on).days

    def status_history(self) -> list[tuple[date, str]]:
        """(effective date, status) pairs, oldest first; prefetch `status_changes` for lists.

        The hours ledger asks this once per person and session (thousands of times a page):
        the prefetched rows are read directly, because `status_changes.all()` clones a
        QuerySet on every call, and the pairs are kept for as long as those rows are."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("status_changes")
        if prefetched is None:
            return [(c.effective_on, c.status) for c in self.status_changes.all()]
        kept: tuple[object, list[tuple[date, str]]] | None = getattr(self, "_status_pairs", None)
        if kept is None or kept[0] is not prefetched:
            kept = (prefetched, [(c.effective_on, c.status) for c in prefetched])
            self._status_pairs = kept
        return kept[1]

    def status_on(self, day: date) -> str | None:
        """The status in force on `day` by the episode's history (None before its first)."""
        return status_on(self.status_history(), day)

    def in_program_on(self, day: date) -> bool:
        """Active on `day`: expected at sessions, counted for hours, raising attendance alerts.
        Planned, waitlisted, on hold and discharged people are not in the program that day."""
        return self.status_on(day) == EpisodeStatus.ACTIVE

    def in_program_throughout(self, start: date, end: date) -> bool:
        """Active on every day from `start` to `end` inclusive."""
        history = self.status_history()
        if status_on(history, start) != EpisodeStatus.ACTIVE:
            return False
        return all(status == EpisodeStatus.ACTIVE for day, status in history if start < day <= end)


def status_on(history: list[tuple[date, str]], day: date) -> str | None:
    """The status of the latest change effective on or before `day` (history oldest first;
    changes recorded later on the same date win)."""
    current = None
    for effective_on, status in history:
        if effective_on > day:
            break
        current = status
    return current


class EpisodeStatusChange(models.Model):
    """One entry of an episode's status history: `status` from `effective_on` on.

    The history, not `Episode.status` (the status now), decides who was in the program on a
    given day: expected at a session, counted for hours, raising attendance alerts."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices)
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    # Why the episode was put on hold or resumed ("inpatient stay", "family emergency"): may
    # name clinical circumstances, so encrypted. Empty for changes made before reasons were
    # asked for, and for admissions and discharges (those have their own reason).
    reason = EncryptedTextField(blank=True, default="")
    expected_return_on = models.DateField(
        null=True, blank=True, help_text="For a hold: when the person is expected back."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["effective_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["episode", "effective_on"])]

    def __str__(self) -> str:
        return f"Status change {self.pk}"


def initial_status_changes(episode: Episode, today: date) -> list[EpisodeStatusChange]:
    """The history an episode starts with (`today`: the organization's date): active from
    admission, then on hold from today when it is created on hold; planned or waitlisted from
    today; discharged from its discharge date."""
    status = episode.status
    changes: list[tuple[date, str]] = []
    admitted = status in (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD, EpisodeStatus.DISCHARGED)
    if admitted:
        changes.append((episode.admitted_on or today, EpisodeStatus.ACTIVE))
    if status == EpisodeStatus.ON_HOLD:
        changes.append((max(today, episode.admitted_on or today), status))
    elif status in (EpisodeStatus.PLANNED, EpisodeStatus.WAITLIST):
        changes.append((today, status))
    elif status == EpisodeStatus.DISCHARGED and episode.discharged_on is not None:
        changes.append((episode.discharged_on, status))
    return [
        EpisodeStatusChange(episode=episode, status=status, effective_on=day)
        for day, status in changes
    ]


class CareTeamQuerySet(models.QuerySet["CareTeamMember"]):
    def active_on(self, day: date) -> CareTeamQuerySet:
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class CareTeamMember(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="care_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_team_roles"
    )
    role = models.CharField(max_length=30, choices=ClinicianKind.choices)
    is_primary = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = CareTeamQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="care_team_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(is_primary=True, end_date__isnull=True),
                name="care_team_one_open_primary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.episode}"


class MrnSequence(models.Model):
    """The organization's own MRN counter: the next number and the format's prefix
    (`DEMO-000001`). Its row is locked while a number is taken, so two registrations at
    once never get the same MRN (actions.details.next_mrn)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="mrn_sequence"
    )
    prefix = models.CharField(max_length=20, default="MRN-")
    next_number = models.PositiveIntegerField(default=1)
    digits = models.PositiveSmallIntegerField(default=6)

    def __str__(self) -> str:
        return f"MRN sequence {self.pk}"

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.digits}d}"


class IdentityCorrection(models.Model):
    """A correction of a legal name, date of birth or MRN: which fields, why, by whom. The
    values themselves are on the participant (and never in this row or the audit trail)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="identity_corrections"
    )
    fields = models.JSONField(default=list)
    reason = EncryptedTextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-pk"]

    def __str__(self) -> str:
        return f"Identity correction {self.public_id}"


class InvitationClosed(Exception):
    """An invitation link that does not work: unknown, expired, revoked, replaced or already
    used. The invitee's page says the same thing in every case."""


class InvitationEnd(models.TextChoices):
    """Why an invitation stopped working before it was accepted."""

    REVOKED = "revoked", "Revoked"
    REPLACED = "replaced", "Replaced by a newer invitation"
    DISCHARGED = "discharged", "No open episode left"


class Invitation(models.Model):
    """A one-time link that lets a participant set up their own sign-in (docs/portal.md).

    Only the SHA-256 digest of the link's token is stored (the token is 256 random bits, shown
    once in the email or text). At most one open invitation per participant: a new one or a
    resend ends the previous one (`InvitationEnd.REPLACED`), so an old link stops working."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(blank=True, help_text="Where the link was emailed, if it was.")
    phone = models.CharField(max_length=30, blank=True, help_text="Where it was texted, if it was.")
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.CharField(max_length=20, choices=InvitationEnd.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="invitation_has_an_address"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.public_id}"

    @staticmethod
    def digest_of(token: str) -> str:
        # 256 random bits: a plain SHA-256 is enough (nothing to guess from a dictionary).
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        """Neither accepted nor ended (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    def is_usable(self, now: datetime) -> bool:
        """The link works at `now`: open and not yet expired (expiry is exclusive)."""
        return self.is_open and now < self.expires_at


# The guardians' tables live in their own module (this one is long enough); imported last, as
# they build on Participant and InvitationEnd, and re-exported for callers.
from trellis.participants.guardian_models import (  # noqa: E402, I001
    ADULT_AGE as ADULT_AGE,
    CONSENT_KINDS as CONSENT_KINDS,
    GuardianConsent as GuardianConsent,
    GuardianInvitation as GuardianInvitation,
    GuardianKind as GuardianKind,
    GuardianLink as GuardianLink,
    GuardianLinkQuerySet as GuardianLinkQuerySet,
    GuardianPolicy as GuardianPolicy,
    GuardianRelationship as GuardianRelationship,
)
