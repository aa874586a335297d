"""Session series, materialized occurrences, rosters, attendance, closures and feeds.

Occurrences are computed from their series for any window (see recurrence.py and
queries.occurrences_between). Only an occurrence that differs from its series (cancelled,
moved, a substitute, another topic) or has attendance gets a row here, keyed by its series
and its *original* local date, so a moved session keeps its identity and its calendar UID.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedTextField
from trellis.participants.models import Episode, Participant
from trellis.programs.models import Program, Room, Track
from trellis.scheduling import recurrence


def is_https_link(url: str) -> bool:
    """A telehealth link people may follow: https with a host, nothing else. A `javascript:`
    or `data:` link in a calendar or a Join button would run in whoever opens it."""
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() == "https" and bool(parts.hostname)


class SessionKind(models.TextChoices):
    GROUP = "group", "Group"
    INDIVIDUAL = "individual", "Individual"
    FAMILY = "family", "Family"
    MEDICATION_REVIEW = "medication_review", "Medication review"


class Mode(models.TextChoices):
    """How a session is held. A hybrid session has a room and a video link; each person's
    attendance then records which of the two they joined (in person or telehealth)."""

    IN_PERSON = "in_person", "In person"
    TELEHEALTH = "telehealth", "Telehealth"
    HYBRID = "hybrid", "Hybrid (room and video)"


HAS_ROOM = {Mode.IN_PERSON, Mode.HYBRID}
HAS_LINK = {Mode.TELEHEALTH, Mode.HYBRID}


class GroupType(models.TextChoices):
    """Who may still join a series' roster (docs/scheduling.md, "Group types")."""

    OPEN = "open", "Open (rolling admission)"
    CLOSED = "closed", "Closed (members join before the first session)"
    COHORT = "cohort", "Cohort (members start and finish together)"


class SessionSeriesQuerySet(models.QuerySet["SessionSeries"]):
    def overlapping(self, start: date, end: date) -> SessionSeriesQuerySet:
        """Series that may have an occurrence between two local dates (inclusive)."""
        return self.filter(dtstart__lte=end).filter(
            models.Q(last_date__isnull=True) | models.Q(last_date__gte=start)
        )


class SessionSeries(models.Model):
    """A recurring session of one track, in the program's wall-clock time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="session_series")
    name = models.CharField(max_length=120, help_text="e.g. DBT skills, Process group")
    kind = models.CharField(max_length=20, choices=SessionKind.choices, default=SessionKind.GROUP)
    start_time = models.TimeField(help_text="Local start time in the program's time zone")
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    rrule = models.CharField("recurrence", max_length=200, help_text="e.g. FREQ=WEEKLY;BYDAY=MO,WE")
    dtstart = models.DateField("first date")
    last_date = models.DateField(
        null=True, blank=True, help_text="Derived from the rule (UNTIL or COUNT); empty: no end"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="session_series"
    )
    telehealth_url = models.URLField(blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_series"
    )
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    topics = models.JSONField(default=list, blank=True, help_text="Rotating curriculum topics")
    participant_specific = models.BooleanField(
        default=False, help_text="Individual or family sessions for named participants"
    )
    group_type = models.CharField(max_length=10, choices=GroupType.choices, default=GroupType.OPEN)
    cohort_start = models.DateField(null=True, blank=True, help_text="A cohort's first day")
    cohort_end = models.DateField(null=True, blank=True, help_text="A cohort's last day")
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="continuations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["track__name", "start_time", "name"]
        verbose_name_plural = "session series"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_date__isnull=True)
                | models.Q(last_date__gte=models.F("dtstart")),
                name="series_last_after_first",
            ),
            models.CheckConstraint(
                condition=models.Q(group_type="cohort", cohort_start__isnull=False)
                & models.Q(cohort_end__gte=models.F("cohort_start"))
                | ~models.Q(group_type="cohort"),
                name="series_cohort_has_dates",
            ),
        ]
        indexes = [models.Index(fields=["track", "dtstart", "last_date"])]

    def __str__(self) -> str:
        return f"Series {self.public_id}"

    @property
    def rule(self) -> recurrence.Rule:
        return recurrence.parse_rule(self.rrule)

    @property
    def program(self) -> Program:
        return self.track.program

    @property
    def join_url(self) -> str:
        """The video link of a telehealth or hybrid series, https only (see is_https_link)."""
        url = self.telehealth_url
        return url if self.mode in HAS_LINK and is_https_link(url) else ""

    @property
    def admission_opens_until(self) -> date | None:
        """The last day a new member may join (and start on), or None for an open group."""
        if self.group_type == GroupType.CLOSED:
            return self.dtstart
        if self.group_type == GroupType.COHORT:
            return self.cohort_start
        return None

    def topic_for(self, index: int) -> str:
        topics: list[str] = self.topics or []
        return topics[index % len(topics)] if topics else ""


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Occurrence(models.Model):
    """One occurrence that has an exception or attendance. Blank fields follow the series."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(SessionSeries, on_delete=models.PROTECT, related_name="occurrences")
    original_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    moved_to_date = models.DateField(null=True, blank=True)
    moved_start_time = models.TimeField(null=True, blank=True)
    moved_duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, blank=True)
    telehealth_url = models.URLField(blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitute_occurrences",
    )
    substitute_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date"], name="occurrence_unique_per_series_date"
            )
        ]
        indexes = [models.Index(fields=["moved_to_date"])]

    def __str__(self) -> str:
        return f"Occurrence {self.public_id}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def is_locked(self) -> bool:
        return self.completed_at is not None


class ProgramClosure(models.Model):
    """A day the program is closed (a holiday): every occurrence that day is cancelled."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=120, help_text="e.g. Thanksgiving")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["program", "date"], name="closure_unique_per_day")
        ]

    def __str__(self) -> str:
        return f"Closure {self.program_id} {self.date:%Y-%m-%d}"


class RosterQuerySet(models.QuerySet["RosterMembership"]):
    def active_on(self, day: date) -> RosterQuerySet:
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )

    def overlapping(self, start: date, end: date) -> RosterQuerySet:
        return self.filter(start_date__lte=end).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=start)
        )


class RosterMembership(models.Model):
    """An episode's place in a series from start to end (rolling admission)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="roster")
    series = models.ForeignKey(SessionSeries, on_delete=models.CASCADE, related_name="roster")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = RosterQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="roster_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["series", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"Roster {self.public_id}"

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    LEFT_EARLY = "left_early", "Left early"
    ABSENT_EXCUSED = "absent_excused", "Absent (excused)"
    ABSENT_UNEXCUSED = "absent_unexcused", "Absent (unexcused)"
    CANCELLED_BY_PROGRAM = "cancelled_by_program", "Cancelled by program"


ATTENDED = {AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY}
ABSENT = {AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED}


def minutes_attended(status: str, duration: int, late: int, left_early: int) -> int:
    """Minutes a person was in the session: the duration less lateness and early leaving."""
    if status not in ATTENDED:
        return 0
    return max(0, duration - max(0, late) - max(0, left_early))


class Attendance(models.Model):
    """One participant at one occurrence. The last write wins; each is audited."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="attendance")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=24, choices=AttendanceStatus.choices)
    minutes_late = models.PositiveSmallIntegerField(default=0)
    minutes_left_early = models.PositiveSmallIntegerField(default=0)
    # How this person joined: a hybrid session is joined one way or the other.
    mode = models.CharField(
        max_length=20,
        choices=[(Mode.IN_PERSON, Mode.IN_PERSON.label), (Mode.TELEHEALTH, Mode.TELEHEALTH.label)],
        default=Mode.IN_PERSON,
    )
    minutes_attended = models.PositiveSmallIntegerField(default=0)
    # Denormalized from the occurrence so weekly sums are one indexed query per week.
    session_date = models.DateField()
    scheduled_minutes = models.PositiveSmallIntegerField(default=0)
    is_walk_in = models.BooleanField(default=False)
    walk_in_reason = models.CharField(max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "episode"], name="attendance_unique_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["episode", "session_date"])]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class EpisodeHoursOverride(models.Model):
    """Weekly hours for one episode that differ from the program's (a payer's rule, a
    step-down week), for the weeks from `starts_on` to `ends_on` (either open-ended)."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="hours_override")
    min_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    max_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True, help_text="Empty: from admission")
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: until changed")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_hours_per_week__lte=models.F("max_hours_per_week")),
                name="hours_override_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="hours_override_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Hours override {self.episode_id}"

    def covers_week(self, week_start: date) -> bool:
        """True when the override applies to any day of the week starting `week_start`."""
        week_end = week_start + timedelta(days=6)
        return (self.starts_on is None or self.starts_on <= week_end) and (
            self.ends_on is None or self.ends_on >= week_start
        )


class SentReminder(models.Model):
    """A reminder already sent: the sweep is idempotent because this row is unique."""

    series = models.ForeignKey(SessionSeries, on_delete=models.CASCADE, related_name="+")
    original_date = models.DateField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date", "participant"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk}"


class FeedKind(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    CLINICIAN = "clinician", "Clinician"
    ROOM = "room", "Room"


class CalendarFeed(models.Model):
    """A secret calendar URL. Only the token's SHA-256 is stored; rotating makes a new row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feed {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ProgramScheduleSettings(models.Model):
    """Per-program scheduling choices. Staff feeds are generic unless a program opts in."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    staff_feed_details = models.BooleanField(
        default=False,
        help_text="Show session and program names in staff calendar feeds (never in "
        "participant feeds).",
    )
    notice_prefills_excused = models.BooleanField(
        default=False,
        help_text='When a participant says they can\'t come, suggest "Excused" on the '
        "attendance sheet (the facilitator still marks it).",
    )

    def __str__(self) -> str:
        return f"Schedule settings {self.program_id}"


class AttendanceCorrection(models.Model):
    """A change to attendance after it was marked complete: who, when, why, from what."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="corrections")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    previous_status = models.CharField(max_length=24, blank=True)
    new_status = models.CharField(max_length=24, blank=True, help_text="Empty: mark removed")
    reason = models.CharField(max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["corrected_at"]

    def __str__(self) -> str:
        return f"Correction {self.pk}"


class NoticeKind(models.TextChoices):
    LATE = "late", "Running late"
    ABSENT = "absent", "Can't come"


LATE_MINUTES_MIN = 5
LATE_MINUTES_MAX = 120
# What the participant's "I'll be late" list offers (the action accepts any whole number
# in range).
LATE_CHOICES = [5, 10, 15, 20, 30, 45, 60, 90, 120]


class SessionNotice(models.Model):
    """A participant's word about one occurrence before it ends: "I'll be 20 minutes late"
    or "I can't come" with a reason. One per person per occurrence: a later notice replaces
    the earlier one. Keyed by series and original date like `Occurrence`, so sending one does
    not materialize the occurrence. The reason is the participant's own words: encrypted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(SessionSeries, on_delete=models.PROTECT, related_name="+")
    original_date = models.DateField()
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="session_notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    minutes_late = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(LATE_MINUTES_MIN), MaxValueValidator(LATE_MINUTES_MAX)],
    )
    reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date", "episode"], name="notice_unique_per_person"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="late",
                        minutes_late__gte=LATE_MINUTES_MIN,
                        minutes_late__lte=LATE_MINUTES_MAX,
                    )
                    | models.Q(kind="absent", minutes_late__isnull=True)
                ),
                name="notice_minutes_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"Notice {self.public_id}"
