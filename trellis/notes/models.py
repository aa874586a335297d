"""Progress notes of individual sessions, their addenda, and restricted notes.

Note text (sections, risk, co-signer's comments, addenda, the score snapshot) is encrypted
at rest (`lib.crypto.EncryptedTextField`). A signed note never changes; later changes are
addenda. Psychotherapy notes and SUD counseling notes are a separate, restricted kind: only
their author sees them (docs/plans-and-notes.md).
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.lib.crypto import EncryptedTextField
from trellis.lib.models import SignedOnce, SignedRecordError
from trellis.participants.models import Episode
from trellis.plans.models import PlanVersion
from trellis.programs.models import Program

# The fallback of the late-entry rule (notes/late.py): when scheduling knows no next session,
# a note signed more than this long after its session ended is a late entry.
LATE_ENTRY_AFTER = timedelta(hours=24)


class NoteFormat(models.TextChoices):
    SOAP = "soap", "SOAP (subjective, objective, assessment, plan)"
    DAP = "dap", "DAP (data, assessment, plan)"
    BIRP = "birp", "BIRP (behavior, intervention, response, plan)"
    GIRP = "girp", "GIRP (goal, intervention, response, plan)"


FORMAT_SECTIONS: dict[str, list[tuple[str, str]]] = {
    NoteFormat.SOAP: [
        ("subjective", "Subjective"),
        ("objective", "Objective"),
        ("assessment", "Assessment"),
        ("plan", "Plan"),
    ],
    NoteFormat.DAP: [("data", "Data"), ("assessment", "Assessment"), ("plan", "Plan")],
    NoteFormat.BIRP: [
        ("behavior", "Behavior"),
        ("intervention", "Intervention"),
        ("response", "Response"),
        ("plan", "Plan"),
    ],
    NoteFormat.GIRP: [
        ("goal", "Goal"),
        ("intervention", "Intervention"),
        ("response", "Response"),
        ("plan", "Plan"),
    ],
}
ALL_SECTIONS = {key: label for sections in FORMAT_SECTIONS.values() for key, label in sections}


class NoteKind(models.TextChoices):
    PROGRESS = "progress", "Progress note"
    PSYCHOTHERAPY = "psychotherapy", "Psychotherapy note (restricted: only you see it)"
    SUD_COUNSELING = "sud_counseling", "SUD counseling note (restricted: only you see it)"


RESTRICTED_KINDS = frozenset({NoteKind.PSYCHOTHERAPY, NoteKind.SUD_COUNSELING})


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_COSIGN = "awaiting_cosign", "Awaiting co-signature"
    RETURNED = "returned", "Returned by the supervisor"
    SIGNED = "signed", "Signed"


EDITABLE_STATUSES = frozenset({NoteStatus.DRAFT, NoteStatus.RETURNED})


class Service(models.TextChoices):
    INDIVIDUAL_THERAPY = "individual_therapy", "Individual therapy"
    FAMILY_THERAPY = "family_therapy", "Family therapy"
    CASE_MANAGEMENT = "case_management", "Case management"
    PSYCHIATRIC_EVALUATION = "psychiatric_evaluation", "Psychiatric evaluation"
    MEDICATION_MANAGEMENT = "medication_management", "Medication management"
    CRISIS_INTERVENTION = "crisis_intervention", "Crisis intervention"
    PEER_SUPPORT = "peer_support", "Peer support"
    SUD_COUNSELING = "sud_counseling", "Substance-use counseling"


class Modality(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Telehealth (video)"
    PHONE = "phone", "Telephone"


class RiskLevel(models.TextChoices):
    NONE = "none", "No risk indicated"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class NoteSettings(models.Model):
    """Per-program note settings (kept here so `programs` need not know notes)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="note_settings")
    default_format = models.CharField(
        max_length=10, choices=NoteFormat.choices, default=NoteFormat.SOAP
    )

    class Meta:
        verbose_name_plural = "note settings"

    def __str__(self) -> str:
        return f"Note settings of {self.program}"


def default_format_for(program: Program) -> str:
    found = NoteSettings.objects.filter(program=program).values_list("default_format", flat=True)
    return next(iter(found), NoteFormat.SOAP)


def editor_token() -> str:
    """A fresh token for one editor page (one tab): posted with every save from it."""
    return uuid.uuid4().hex


def expected_revision(
    model: type[models.Model], pk: int, *, posted: int, editor: str
) -> tuple[int, int]:
    """(the revision a save may overwrite, the `editor_since` to store). Locks the row.

    The posted revision, unless the rows saved since all came from this same editor page
    (`editor` token): then its own autosave is no conflict and the current revision is the
    one to overwrite. A save from another tab, or without a token, keeps the plain check."""
    row = model._default_manager.select_for_update().filter(pk=pk)
    found = row.values_list("revision", "editor", "editor_since").first()
    if found is None:
        return posted, posted
    current, last_editor, since = found
    if editor and last_editor == editor and since <= posted <= current:
        return current, since
    return posted, posted


class SignedNoteError(SignedRecordError):
    """A signed note was about to be changed: changes after signing are addenda."""


class Note(SignedOnce):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_notes"
    )
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.PROGRESS)
    format = models.CharField(max_length=10, choices=NoteFormat.choices)
    status = models.CharField(max_length=20, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    service = models.CharField(max_length=30, choices=Service.choices)
    modality = models.CharField(max_length=20, choices=Modality.choices)
    session_start = models.DateTimeField()
    session_end = models.DateTimeField()
    body = EncryptedTextField(blank=True, default="")  # JSON {section key: text}
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_notes = EncryptedTextField(blank=True, default="")
    objectives = models.JSONField(default=list, blank=True)  # plan objective keys addressed
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scores_snapshot = EncryptedTextField(blank=True, default="")  # JSON, frozen at signing
    # "Practice reviewed" (notes/practice_review.py): JSON, frozen at signing.
    practice_snapshot = EncryptedTextField(blank=True, default="")
    revision = models.PositiveIntegerField(default=1)
    # The editor page (one tab) that saved last, and the revision its run of saves started
    # from: a form that is stale only because its own tab autosaved since is no conflict.
    editor = models.CharField(max_length=40, blank=True)
    editor_since = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_credentials = models.CharField(max_length=200, blank=True)
    late_entry = models.BooleanField(default=False)
    cosigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notes_to_cosign",
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigner_name = models.CharField(max_length=150, blank=True)
    cosigner_credentials = models.CharField(max_length=200, blank=True)
    return_comment = EncryptedTextField(blank=True, default="")
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-session_start", "-pk"]
        indexes = [
            models.Index(fields=["episode", "-session_start"]),
            models.Index(fields=["cosigner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_end__gt=models.F("session_start")),
                name="note_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False),
                name="note_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.public_id}"

    # Behind the actions: a note loaded as signed is never written again (SignedOnce).
    signed_error = SignedNoteError
    signed_message = "A signed note cannot be changed: add an addendum."

    @property
    def is_signed(self) -> bool:
        """Signed for good; a note awaiting co-signature is not (its co-signer completes it)."""
        return self.status == NoteStatus.SIGNED

    @property
    def is_restricted(self) -> bool:
        return self.kind in RESTRICTED_KINDS

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def sections(self) -> dict[str, str]:
        loaded = json.loads(self.body) if self.body else {}
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}

    def section_rows(self) -> list[tuple[str, str, str]]:
        """(key, label, text) of this note's format, then any other non-empty sections (text
        written under another format is never hidden)."""
        texts = self.sections
        rows = [(key, label, texts.get(key, "")) for key, label in FORMAT_SECTIONS[self.format]]
        shown = {key for key, _, _ in rows}
        rows += [
            (key, ALL_SECTIONS.get(key, key), text)
            for key, text in texts.items()
            if key not in shown and text.strip()
        ]
        return rows

    @property
    def scores(self) -> list[dict[str, Any]]:
        loaded = json.loads(self.scores_snapshot) if self.scores_snapshot else []
        return loaded if isinstance(loaded, list) else []

    @property
    def practice_lines(self) -> list[dict[str, Any]]:
        from trellis.notes.practice_review import frozen

        return frozen(self.practice_snapshot)

    @property
    def duration_minutes(self) -> int:
        return int((self.session_end - self.session_start).total_seconds() // 60)


class Addendum(models.Model):
    """A later change to a signed note: appended, signed by its author, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=150)
    author_credentials = models.CharField(max_length=200, blank=True)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum {self.public_id}"


# --- Group notes -------------------------------------------------------------------------
#
# One note per group session occurrence (series + original date, the occurrence's identity in
# scheduling): a group part written once and an entry per attendee. Each participant's chart
# shows the group part and their own entry only, so the group part must never name members
# (the signing page warns when any text mentions an attendee). Text is encrypted at rest.


class Participation(models.TextChoices):
    ACTIVE = "active", "Active, initiated sharing"
    ENGAGED = "engaged", "Engaged when prompted"
    MINIMAL = "minimal", "Minimal"
    NONE = "none", "Did not participate"


class GroupNoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_COSIGN = "awaiting_cosign", "Awaiting co-signature"
    RETURNED = "returned", "Returned by the supervisor"
    SIGNED = "signed", "Signed"


GROUP_EDITABLE_STATUSES = frozenset({GroupNoteStatus.DRAFT, GroupNoteStatus.RETURNED})


class GroupNote(SignedOnce):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: a signed group note is a clinical record; its session must not vanish under it.
    series = models.ForeignKey(
        "scheduling.SessionSeries", on_delete=models.PROTECT, related_name="+"
    )
    original_date = models.DateField()  # with series: the occurrence (scheduling's identity)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_group_notes"
    )
    status = models.CharField(
        max_length=20, choices=GroupNoteStatus.choices, default=GroupNoteStatus.DRAFT
    )
    session_name = models.CharField(max_length=120)  # the series name when the note began
    session_start = models.DateTimeField()
    session_end = models.DateTimeField()
    topic = EncryptedTextField(blank=True, default="")  # topic or skill taught
    interventions = EncryptedTextField(blank=True, default="")
    themes = EncryptedTextField(blank=True, default="")
    facilitators = models.CharField(max_length=400, blank=True)  # names with credentials
    number_present = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    # The editor page (one tab) that saved last, and the revision its run of saves started
    # from: a form that is stale only because its own tab autosaved since is no conflict.
    editor = models.CharField(max_length=40, blank=True)
    editor_since = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_credentials = models.CharField(max_length=200, blank=True)
    late_entry = models.BooleanField(default=False)
    # A trainee's signature puts the note in their supervisor's co-sign queue, as for
    # progress notes: the entries reach the charts as final only once co-signed.
    cosigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_notes_to_cosign",
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigner_name = models.CharField(max_length=150, blank=True)
    cosigner_credentials = models.CharField(max_length=200, blank=True)
    return_comment = EncryptedTextField(blank=True, default="")
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-session_start", "-pk"]
        indexes = [models.Index(fields=["cosigner", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date"], name="group_note_one_per_occurrence"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False),
                name="group_note_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Group note {self.public_id}"

    # Behind the actions, as for progress notes: a signed group note is never rewritten.
    signed_error = SignedNoteError
    signed_message = "A signed group note cannot be changed."

    @property
    def is_signed(self) -> bool:
        """Signed for good; awaiting co-signature is not (the co-signer completes it)."""
        return self.status == GroupNoteStatus.SIGNED

    @property
    def is_editable(self) -> bool:
        return self.status in GROUP_EDITABLE_STATUSES

    @property
    def is_awaiting_cosign(self) -> bool:
        return self.status == GroupNoteStatus.AWAITING_COSIGN


ENTRY_TEXT_FIELDS = ("response", "practice_reviewed", "practice_assigned", "risk_notes", "plan")


class GroupNoteEntry(SignedOnce):
    """One attendee's part of a group note. Locked (with the note) at signing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group_note = models.ForeignKey(GroupNote, on_delete=models.PROTECT, related_name="entries")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="group_entries")
    position = models.PositiveSmallIntegerField(default=0)  # roster order on the page
    attendance_status = models.CharField(max_length=24, blank=True)  # scheduling's code
    participation = models.CharField(max_length=10, choices=Participation.choices, blank=True)
    response = EncryptedTextField(blank=True, default="")
    objectives = models.JSONField(default=list, blank=True)  # plan objective keys addressed
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    practice_reviewed = EncryptedTextField(blank=True, default="")
    practice_assigned = EncryptedTextField(blank=True, default="")
    # The practice reviewed with this person (notes/practice_review.py): JSON, frozen at signing.
    practice_snapshot = EncryptedTextField(blank=True, default="")
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_notes = EncryptedTextField(blank=True, default="")
    plan = EncryptedTextField(blank=True, default="")
    revision = models.PositiveIntegerField(default=1)
    # The editor page (one tab) that saved last, and the revision its run of saves started
    # from: a form that is stale only because its own tab autosaved since is no conflict.
    editor = models.CharField(max_length=40, blank=True)
    editor_since = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Attendance marked after the note was started (scheduling's hook, notes/attendance.py):
    # when, and whether the person is no longer on the session's attendance at all (an entry
    # with text is then kept, marked removed, never signed into their chart).
    attendance_changed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_note", "episode"], name="group_entry_one_per_attendee"
            )
        ]
        indexes = [models.Index(fields=["episode", "locked"])]

    def __str__(self) -> str:
        return f"Group note entry {self.public_id}"

    signed_error = SignedNoteError
    signed_message = "A signed group note entry cannot be changed."

    @property
    def is_signed(self) -> bool:
        """Locked with its group note when that is signed."""
        return self.locked

    @property
    def has_text(self) -> bool:
        return bool(
            self.participation
            or self.objectives
            or any(
                getattr(self, f).strip()
                for f in (
                    "response",
                    "practice_reviewed",
                    "practice_assigned",
                    "risk_notes",
                    "plan",
                )
            )
        )

    @property
    def practice_lines(self) -> list[dict[str, Any]]:
        from trellis.notes.practice_review import frozen

        return frozen(self.practice_snapshot)

    @property
    def attended(self) -> bool:
        # scheduling's ATTENDED codes, spelled out so the model need not import scheduling.
        return self.attendance_status in {"present", "late", "left_early"}

    @property
    def attendance_label(self) -> str:
        return ATTENDANCE_LABELS.get(self.attendance_status, "Not marked")


class GroupNoteAddendum(models.Model):
    """A later change to a signed group note: to the group part (every attendee's chart shows
    it) or to one attendee's entry (only that chart). Signed by its author, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group_note = models.ForeignKey(GroupNote, on_delete=models.PROTECT, related_name="addenda")
    entry = models.ForeignKey(
        GroupNoteEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=150)
    author_credentials = models.CharField(max_length=200, blank=True)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Group note addendum {self.public_id}"


ATTENDANCE_LABELS = {
    "present": "Present",
    "late": "Late",
    "left_early": "Left early",
    "absent_excused": "Absent (excused)",
    "absent_unexcused": "Absent (unexcused)",
    "cancelled_by_program": "Cancelled by program",
}
