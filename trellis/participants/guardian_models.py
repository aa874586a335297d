"""Guardians of adolescents (docs/portal.md, "Guardians"): links, consent, the program's
policy and invitations. Loaded with `participants.models`, which re-exports these names."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.participants.models import InvitationEnd, Participant
from trellis.programs.models import Program

# -- guardians (docs/portal.md, "Guardians") ----------------------------------------------


ADULT_AGE = 18  # a guardian link needs a participant under this age on the organization's date


class GuardianRelationship(models.TextChoices):
    PARENT = "parent", "Parent"
    LEGAL_GUARDIAN = "legal_guardian", "Legal guardian"
    OTHER = "other", "Other caregiver"


class GuardianKind(models.TextChoices):
    """What a guardian may be shown of an adolescent's care. The program's policy
    (`GuardianPolicy`) switches each kind on or off; the kinds in `CONSENT_KINDS` also need
    the adolescent's own consent (`GuardianConsent`). Therapy notes, diary cards and practice
    text are not kinds: a guardian never sees them."""

    SCHEDULE = "schedule", "Upcoming sessions"
    ATTENDANCE = "attendance", "Attendance"
    CHECKINS_DUE = "checkins_due", "Check-ins due (not the answers)"
    SCORES = "scores", "Check-in scores"
    MESSAGES = "messages", "Messages to the team"


CONSENT_KINDS = frozenset({GuardianKind.SCORES})


class GuardianPolicy(models.Model):
    """What guardians of a program's participants see (one row per program; a program without
    a row has the defaults). Set by the program's director on the set-up pages."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    schedule = models.BooleanField(default=True)
    attendance = models.BooleanField(default=True)
    checkins_due = models.BooleanField(default=True)
    scores = models.BooleanField(
        default=False, help_text="Only for adolescents who have also consented."
    )
    messages = models.BooleanField(
        default=True,
        help_text="The guardian may write to the care team (their own threads; never the "
        "adolescent's).",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Guardian policy of program {self.program_id}"

    def allows(self, kind: str) -> bool:
        return bool(getattr(self, kind, False)) if kind in GuardianKind.values else False


class GuardianLinkQuerySet(models.QuerySet["GuardianLink"]):
    def active(self) -> GuardianLinkQuerySet:
        return self.filter(ended_at__isnull=True)


class GuardianLink(models.Model):
    """A guardian's sign-in linked to an adolescent participant. A guardian is a user with
    no staff role and no participant record of their own; one sign-in may guard several
    participants (siblings). Ending a link keeps the row (who linked, who ended, when)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardian_links"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="guardian_links"
    )
    relationship = models.CharField(max_length=20, choices=GuardianRelationship.choices)
    language = models.CharField(
        max_length=35, default="en", help_text="The guardian's page language (en or es)."
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = GuardianLinkQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "participant"],
                condition=models.Q(ended_at__isnull=True),
                name="guardian_link_one_active_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Guardian link {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class GuardianConsent(models.Model):
    """The adolescent's consent to show one kind of their data to one guardian (only kinds in
    `CONSENT_KINDS`, and only when the program's policy allows it too). Withdrawn consent keeps
    its row; giving it again adds a new one."""

    link = models.ForeignKey(GuardianLink, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=GuardianKind.choices)
    given_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="guardian_consent_one_current_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Guardian consent {self.pk}"


class GuardianInvitation(models.Model):
    """A one-time link (the same `/invite/<token>/` as a participant's `Invitation`, the same
    digest, expiry and single use) that lets a guardian set up a sign-in, or link the one they
    have, to an adolescent participant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="guardian_invitations"
    )
    name = models.CharField("guardian's name", max_length=150)
    relationship = models.CharField(max_length=20, choices=GuardianRelationship.choices)
    language = models.CharField(max_length=35, default="en")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    link = models.ForeignKey(
        GuardianLink, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=20, choices=InvitationEnd.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="guardian_invitation_accepted_or_revoked_not_both",
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="guardian_invitation_has_an_address"
            ),
        ]

    def __str__(self) -> str:
        return f"Guardian invitation {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def is_usable(self, now: datetime) -> bool:
        return self.is_open and now < self.expires_at
