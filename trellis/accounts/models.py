"""Users, staff credentials, sign-in attempts and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in: staff member or participant.

    The username is the sign-in name (staff use their work email). What a user may see is
    decided by memberships (staff) or by a linked participant record, never by this row.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=150, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name(self) -> str:
        return str(self)


class StaffProfile(models.Model):
    """What the public and colleagues know of a staff member: title and supervision."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    title = models.CharField(max_length=150, blank=True, help_text="e.g. Licensed therapist")
    supervisor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
        help_text="Required for trainees and associate-level clinicians (co-signature).",
    )
    is_trainee = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} ({self.title})" if self.title else str(self.user)


class Credential(models.Model):
    """A licence or certification, e.g. LCSW #12345 in OR, expiring 2027-06-30."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=20, help_text="Abbreviation: MD, PMHNP, LCSW, LPC, CADC…")
    licence_number = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter US state code")
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "state"], name="credential_unique_per_state"
            )
        ]

    def __str__(self) -> str:
        return self.kind

    def is_expired(self, on: date) -> bool:
        """True when the credential lapsed before `on` (the organization's date)."""
        return self.expires_on is not None and self.expires_on < on

    def expires_soon(self, on: date, within_days: int = 60) -> bool:
        today = on
        return (
            self.expires_on is not None
            and not self.is_expired(today)
            and self.expires_on <= today + timedelta(days=within_days)
        )


class SignInAttempt(models.Model):
    """One try at signing in or one password-reset request, kept to throttle guessing and
    reset mail (per account and per address)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Sign-in"
        PASSWORD_RESET = "password_reset", "Password-reset request"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SIGN_IN)
    username = models.CharField(
        max_length=150, db_index=True, help_text="Username (lower case), or the email asked for"
    )
    client_addr = models.GenericIPAddressField(null=True, db_index=True)
    succeeded = models.BooleanField(default=False)
    attempted_at = models.DateTimeField(default=timezone.now, db_index=True)
    cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="A password reset lifted this failure's account lock"
    )

    class Meta:
        indexes = [models.Index(fields=["attempted_at", "succeeded"])]

    def __str__(self) -> str:
        return f"Sign-in attempt {self.pk} ({'ok' if self.succeeded else 'failed'})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 digest, scoped to its owner."""

    PREFIX = "trl_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="First characters, to recognise the token")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The owner's session hash when the token was made (a keyed hash of the password hash):
    # a token stops working when the password changes, by whatever path it changes.
    password_fingerprint = models.CharField(max_length=128, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def new_secret() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        # Tokens are 256 random bits: a plain SHA-256 is enough (no dictionary to attack).
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
