"""Organizations, sites, rooms, programs, tracks, and who works where (memberships)."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trellis.accounts.models import User
from trellis.lib.choices import Weekday
from trellis.lib.clock import local_now, local_today
from trellis.programs import levels


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as America/Chicago.")


class Organization(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def now(self) -> datetime:
        """The current instant as the organization's wall-clock time."""
        return local_now(self.tz)

    def today(self) -> date:
        """The organization's business date now (see lib/clock.py)."""
        return local_today(self.tz)


class Site(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True, help_text="Retired sites keep their history")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, self.city]
        tail = " ".join(p for p in [self.state, self.postal_code] if p)
        return ", ".join(p for p in [*parts, tail] if p)


class Room(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True, help_text="Retired rooms take no new sessions")

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.site.name})"


class Population(models.TextChoices):
    ADULT = "adult", "Adults"
    ADOLESCENT = "adolescent", "Adolescents"


# Default weekly hours for an IOP (ASAM 2.1): adults 9-19, adolescents 6-19 (docs/domain.md §1).
DEFAULT_HOURS: dict[str, tuple[Decimal, Decimal]] = {
    Population.ADULT: (Decimal(9), Decimal(19)),
    Population.ADOLESCENT: (Decimal(6), Decimal(19)),
}


class ProgramQuerySet(models.QuerySet["Program"]):
    def for_user(self, user: User) -> ProgramQuerySet:
        """Programs a staff member works in (program memberships, or org-wide ones)."""
        memberships = Membership.objects.active().filter(user=user)
        return self.filter(
            models.Q(id__in=memberships.filter(program__isnull=False).values("program_id"))
            | models.Q(
                organization_id__in=memberships.filter(program__isnull=True).values(
                    "organization_id"
                )
            )
        )


# Bounds of a program's idle timeout for participants' own devices: no shorter than the
# site's usual 15 minutes, no longer than a working day's evening (8 hours).
PARTICIPANT_IDLE_MIN = 15
PARTICIPANT_IDLE_MAX = 480


class Program(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    population = models.CharField(max_length=20, choices=Population.choices)
    level_of_care = models.CharField(
        max_length=20, choices=levels.CHOICES, default="ASAM3:2.1", help_text="Edition:level"
    )
    min_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    max_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    is_active = models.BooleanField(default=True)
    crisis_phone = models.CharField(
        "after-hours crisis line",
        max_length=30,
        blank=True,
        help_text="The number staff and participants call out of hours; shown with 988 on "
        "urgent alerts.",
    )
    # How long a participant's session on their own device may stay idle (minutes), when
    # they tick "This is my own phone or computer" at sign-in. Empty: the site's default
    # (TRELLIS_IDLE_TIMEOUT_MINUTES) for everyone (accounts.idle).
    participant_idle_timeout_minutes = models.PositiveSmallIntegerField(
        "participants' idle timeout on their own device (minutes)",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(PARTICIPANT_IDLE_MIN),
            MaxValueValidator(PARTICIPANT_IDLE_MAX),
        ],
        help_text=f"From {PARTICIPANT_IDLE_MIN} to {PARTICIPANT_IDLE_MAX} minutes. Empty: the "
        "same timeout as staff. Applies only when the participant says at sign-in that the "
        "device is their own.",
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="program_unique_name"),
            models.CheckConstraint(
                condition=models.Q(min_hours_per_week__lte=models.F("max_hours_per_week")),
                name="program_hours_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """Programs keep their organization's clock."""
        return self.organization.tz

    def today(self) -> date:
        """The program's business date now (its organization's zone)."""
        return self.organization.today()

    @property
    def level_of_care_label(self) -> str:
        return levels.label_of(self.level_of_care)

    def clean(self) -> None:
        if (
            self.min_hours_per_week is not None
            and self.max_hours_per_week is not None
            and self.min_hours_per_week > self.max_hours_per_week
        ):
            raise ValidationError(
                {"max_hours_per_week": "Maximum hours must be at least the minimum."}
            )


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    TELEHEALTH = "telehealth", "Telehealth"
    HYBRID = "hybrid", "Hybrid"


class Track(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="tracks")
    name = models.CharField(max_length=100, help_text="e.g. Morning, Evening, Weekend")
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    schedule_summary = models.CharField(
        max_length=200, blank=True, help_text="e.g. Mon/Wed/Thu 6–9 pm"
    )
    # The track's hours: the program's wall-clock times on the listed weekdays
    # (lib.choices.Weekday numbers, Monday 0). Empty: not set yet.
    day_starts_at = models.TimeField(null=True, blank=True)
    day_ends_at = models.TimeField(null=True, blank=True)
    weekdays = models.JSONField(default=list, blank=True, help_text="Weekday numbers, Monday 0")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="track_unique_name"),
            models.CheckConstraint(
                condition=models.Q(day_starts_at__isnull=True, day_ends_at__isnull=True)
                | models.Q(day_starts_at__lt=models.F("day_ends_at")),
                name="track_hours_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} — {self.name}"

    @property
    def has_hours(self) -> bool:
        return self.day_starts_at is not None and self.day_ends_at is not None

    @property
    def weekday_labels(self) -> list[str]:
        return [Weekday(day).label for day in sorted(self.weekdays or [])]

    @property
    def hours_summary(self) -> str:
        """ "Mon, Wed, Thu 6:00 pm–9:00 pm", from the track's hours (empty when unset)."""
        if self.day_starts_at is None or self.day_ends_at is None:
            return ""
        days = ", ".join(label[:3] for label in self.weekday_labels)
        times = f"{_clock(self.day_starts_at)}–{_clock(self.day_ends_at)}"
        return f"{days} {times}".strip()

    @property
    def hours_label(self) -> str:
        """ "3:30 pm–6:00 pm", or "" for a track without set hours."""
        if self.day_starts_at is None or self.day_ends_at is None:
            return ""
        return f"{_clock(self.day_starts_at)}–{_clock(self.day_ends_at)}"

    def keeps_hours(self, start: time, minutes: int) -> bool:
        """Whether a session from `start` lasting `minutes` lies within the track's hours."""
        if self.day_starts_at is None or self.day_ends_at is None:
            return True
        begins = start.hour * 60 + start.minute
        opens = self.day_starts_at.hour * 60 + self.day_starts_at.minute
        closes = self.day_ends_at.hour * 60 + self.day_ends_at.minute
        return opens <= begins and begins + minutes <= closes


def _clock(value: time) -> str:
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


class Role(models.TextChoices):
    PROGRAM_DIRECTOR = "program_director", "Program director"
    CLINICIAN = "clinician", "Clinician"
    INTAKE_COORDINATOR = "intake_coordinator", "Intake coordinator"
    FRONT_DESK = "front_desk", "Front desk"
    COMPLIANCE_OFFICER = "compliance_officer", "Compliance officer"
    ADMINISTRATOR = "administrator", "Administrator"


class ClinicianKind(models.TextChoices):
    THERAPIST = "therapist", "Therapist"
    COUNSELOR = "counselor", "Counselor"
    PRESCRIBER = "prescriber", "Psychiatrist / prescriber"
    NURSE = "nurse", "Nurse"
    CASE_MANAGER = "case_manager", "Case manager"
    PEER_SPECIALIST = "peer_specialist", "Peer specialist"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in an organization (program empty: all its programs) or one program."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    clinician_kind = models.CharField(
        max_length=30, choices=ClinicianKind.choices, blank=True, help_text="For clinicians"
    )
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                condition=models.Q(program__isnull=False),
                name="membership_unique_in_program",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(program__isnull=True),
                name="membership_unique_in_organization",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="clinician") | ~models.Q(clinician_kind=""),
                name="membership_clinician_has_kind",
            ),
        ]

    def __str__(self) -> str:
        scope = self.program.name if self.program else self.organization.name
        return f"{self.user} — {self.get_role_display()} — {scope}"

    def clean(self) -> None:
        if self.role == Role.CLINICIAN and not self.clinician_kind:
            raise ValidationError({"clinician_kind": "Choose the clinician's discipline."})
        if self.role != Role.CLINICIAN and self.clinician_kind:
            raise ValidationError({"clinician_kind": "Only clinicians have a discipline."})
        if self.program is not None and self.program.organization_id != self.organization_id:
            raise ValidationError({"program": "The program belongs to another organization."})
