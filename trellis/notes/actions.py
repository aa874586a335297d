"""Every write to notes: drafts, autosave, signing, co-signature, addenda. Atomic, audited;
audit details carry ids and codes only, never note text."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes import late, practice_review, snapshot
from trellis.notes.models import (
    EDITABLE_STATUSES,
    FORMAT_SECTIONS,
    Addendum,
    Modality,
    Note,
    NoteFormat,
    NoteKind,
    NoteStatus,
    RiskLevel,
    Service,
    expected_revision,
)
from trellis.plans.queries import latest_signed
from trellis.plans.signing import check_signature, credentials_of

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode

logger = logging.getLogger(__name__)

MAX_SECTION_LENGTH = 20_000


class NoteConflict(Exception):
    """Someone saved the note since this editor loaded it; nothing was written."""

    def __init__(self, current: Note) -> None:
        super().__init__("The note was changed elsewhere.")
        self.current = current


def _audit(actor: User | None, action: str, note: Note, **detail: Any) -> None:
    record(
        actor,
        action,
        participant=note.episode.participant,
        obj=note,
        purpose=Purpose.TREAT,
        detail={"kind": note.kind, "status": note.status, **detail},
    )


@dataclass
class NoteHeader:
    kind: str
    format: str
    service: str
    modality: str
    session_start: datetime
    session_end: datetime


@dataclass
class NoteDraft(NoteHeader):
    sections: dict[str, str] = field(default_factory=dict)
    risk_level: str = ""
    risk_notes: str = ""
    objectives: list[str] = field(default_factory=list)


# A note is about a session of its episode: from a year before admission (assessment,
# pre-admission contact) on. Year 0001 or 1026 is a typo, not a session.
BEFORE_ADMISSION = timedelta(days=366)


def _validate_header(header: NoteHeader, episode: Episode) -> dict[str, str]:
    errors: dict[str, str] = {}
    naive = [
        name
        for name in ("session_start", "session_end")
        if timezone.is_naive(getattr(header, name))
    ]
    if naive:
        # Comparing a naive time with an aware one raises; and a wall-clock time without
        # its zone is ambiguous (which program's evening?).
        return dict.fromkeys(naive, "Give the time with its time zone offset.")
    if header.kind not in NoteKind.values:
        errors["kind"] = "Choose the kind of note."
    if header.format not in NoteFormat.values:
        errors["format"] = "Choose SOAP, DAP, BIRP or GIRP."
    if header.service not in Service.values:
        errors["service"] = "Choose the service."
    if header.modality not in Modality.values:
        errors["modality"] = "Choose how the session took place."
    if header.session_end <= header.session_start:
        errors["session_end"] = "The session ends after it starts."
    elif header.session_end - header.session_start > timedelta(hours=8):
        errors["session_end"] = "A session longer than 8 hours: check the times."
    if header.session_start > timezone.now() + timedelta(minutes=15):
        errors["session_start"] = "A note is written about a session that has started."
    # Both days on the organization's calendar: an episode opened on a Chicago evening began
    # that day, though UTC has already turned the date.
    tz = episode.program.organization.tz
    began = episode.admitted_on or timezone.localtime(episode.created_at, tz).date()
    if timezone.localtime(header.session_start, tz).date() < began - BEFORE_ADMISSION:
        errors["session_start"] = (
            f"The session is more than a year before the admission ({began:%Y-%m-%d}): "
            "check the date."
        )
    return errors


def check_create_note(actor: User, episode: Episode, header: NoteHeader) -> Note:
    errors = _validate_header(header, episode)
    if (
        not episode.is_open
        and episode.discharged_on is not None
        and (header.session_start.date() > episode.discharged_on)
    ):
        errors["session_start"] = "The session is after the discharge."
    if errors:
        raise ValidationError(errors)
    return do_create_note(actor, episode, header)


@transaction.atomic
def do_create_note(actor: User, episode: Episode, header: NoteHeader) -> Note:
    note = Note.objects.create(
        episode=episode,
        author=actor,
        kind=header.kind,
        format=header.format,
        service=header.service,
        modality=header.modality,
        session_start=header.session_start,
        session_end=header.session_end,
    )
    _audit(actor, Action.CREATE, note)
    return note


def _validate_draft(draft: NoteDraft, episode: Episode) -> dict[str, str]:
    errors = _validate_header(draft, episode)
    if draft.risk_level and draft.risk_level not in RiskLevel.values:
        errors["risk_level"] = "Choose a risk level."
    for key, text in draft.sections.items():
        if len(text) > MAX_SECTION_LENGTH:
            errors[key] = f"Keep a section under {MAX_SECTION_LENGTH:,} characters."
    return errors


def check_save_note(
    actor: User, note: Note, draft: NoteDraft, *, revision: int, editor: str = ""
) -> Note:
    """Autosave and "Save": only the author, only while editable, only from the revision the
    editor loaded (else NoteConflict) or a later one its own page (`editor`) saved."""
    if note.author_id != actor.pk:
        raise ValidationError({"author": "Only the author edits a note."})
    if note.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": "This note is signed: add an addendum instead."})
    errors = _validate_draft(draft, note.episode)
    if errors:
        raise ValidationError(errors)
    return do_save_note(actor, note, draft, revision=revision, editor=editor)


@transaction.atomic
def do_save_note(
    actor: User, note: Note, draft: NoteDraft, *, revision: int, editor: str = ""
) -> Note:
    sections = {k: v for k, v in draft.sections.items() if k in _known_sections()}
    expected, since = expected_revision(Note, note.pk, posted=revision, editor=editor)
    if expected != revision:
        note = Note.objects.get(pk=note.pk)  # its own autosave's text is the base now
    # Keep text of sections the editor did not send (another format's): never lose text.
    merged = note.sections | sections
    updated = Note.objects.filter(
        pk=note.pk, revision=expected, status__in=list(EDITABLE_STATUSES)
    ).update(
        editor=editor,
        editor_since=since,
        kind=draft.kind,
        format=draft.format,
        service=draft.service,
        modality=draft.modality,
        session_start=draft.session_start,
        session_end=draft.session_end,
        body=json.dumps(merged) if any(v.strip() for v in merged.values()) else "",
        risk_level=draft.risk_level,
        risk_notes=draft.risk_notes,
        objectives=draft.objectives,
        revision=F("revision") + 1,
        updated_at=timezone.now(),
    )
    current = Note.objects.select_related("episode__participant", "author").get(pk=note.pk)
    if not updated:
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError({"status": "This note was signed meanwhile: nothing saved."})
        raise NoteConflict(current)
    _audit(actor, Action.UPDATE, current, revision=current.revision)
    return current


def _known_sections() -> set[str]:
    return {key for sections in FORMAT_SECTIONS.values() for key, _ in sections}


def missing_for_signing(note: Note) -> dict[str, str]:
    errors: dict[str, str] = {}
    texts = note.sections
    for key, label in FORMAT_SECTIONS[note.format]:
        if not texts.get(key, "").strip():
            errors[key] = (
                f"{label} is empty: every section of a {note.format.upper()} note is required."
            )
    if not note.risk_level:
        errors["risk_level"] = "Risk is empty: record the risk screen (or “no risk indicated”)."
    elif note.risk_level != RiskLevel.NONE and not note.risk_notes.strip():
        errors["risk_notes"] = "Risk: describe the risk and the safety plan."
    return errors


def check_sign_note(
    actor: User, note: Note, *, typed_name: str, password: str, revision: int
) -> Note:
    """The author signs. A trainee's note goes to their supervisor's co-sign queue."""
    if note.author_id != actor.pk:
        raise ValidationError({"author": "Only the author signs a note."})
    if note.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": "This note is already signed."})
    if note.revision != revision:
        raise ValidationError(
            {"revision": "The note changed since you opened it: read it again, then sign."}
        )
    missing = missing_for_signing(note)
    if missing:
        raise ValidationError(missing)
    profile = getattr(actor, "staff_profile", None)
    supervisor = profile.supervisor if profile is not None and profile.is_trainee else None
    if profile is not None and profile.is_trainee and supervisor is None:
        raise ValidationError(
            {
                "cosigner": "Your notes need a supervisor's co-signature and you have no "
                "supervisor: ask your program director to set one."
            }
        )
    check_signature(actor, typed_name=typed_name, password=password)
    return do_sign_note(actor, note, cosigner=supervisor)


def _scores_to_freeze(note: Note, as_of: datetime | None) -> list[snapshot.ScoreLine]:
    try:
        return snapshot.latest_scores(note.episode, as_of=as_of)
    except snapshot.ScoresUnavailable:
        logger.exception("note score provider failed at signing")
        raise ValidationError(
            {
                "scores": "The latest scores could not be read, so the note was not signed. "
                "Try again in a few minutes; if it keeps happening, tell your administrator."
            }
        ) from None


@transaction.atomic
def do_sign_note(
    actor: User, note: Note, *, cosigner: User | None = None, now: datetime | None = None
) -> Note:
    # A signature given a time (history, as the demo writes it) freezes the scores measured
    # by then, never later ones.
    as_of, now = now, now or timezone.now()
    locked = Note.objects.select_for_update().get(pk=note.pk)
    if locked.status not in EDITABLE_STATUSES or locked.revision != note.revision:
        raise ValidationError(
            {"revision": "The note changed since you opened it: read it again, then sign."}
        )
    # Read before anything changes: a signed note must never silently lack its scores.
    scores = _scores_to_freeze(note, as_of)
    note.signed_at = now
    note.signer_name = actor.name
    note.signer_credentials = credentials_of(actor, on=note.episode.program.organization.today())
    # Late: signed after the participant's next scheduled session (24 h when none is known).
    note.late_entry = late.is_late(note.episode, note.session_end, now)
    note.scores_snapshot = json.dumps([s.to_json() for s in scores])
    # "Practice reviewed": what the signer sees now is frozen and marked reviewed together.
    practice = practice_review.live(actor, [note.episode], up_to=note.session_end)
    lines = practice.get(note.episode.pk, [])
    # A note returned by the co-signer keeps what it already reviewed, then adds what is new.
    note.practice_snapshot = practice_review.freeze(note.practice_lines + lines)
    note.plan_version = latest_signed(note.episode) if note.objectives else None
    note.cosigner = cosigner
    note.status = NoteStatus.AWAITING_COSIGN if cosigner is not None else NoteStatus.SIGNED
    note.revision += 1
    note.save()
    practice_review.mark_reviewed(
        actor, lines, reviewed_in=f"notes.progress:{note.public_id}", now=now
    )
    _audit(actor, Action.SIGN, note, late_entry=note.late_entry, cosign=cosigner is not None)
    return note


def check_cosign_note(actor: User, note: Note, *, typed_name: str, password: str) -> Note:
    if note.cosigner_id != actor.pk or note.status != NoteStatus.AWAITING_COSIGN:
        raise ValidationError({"status": "This note is not waiting for your co-signature."})
    check_signature(actor, typed_name=typed_name, password=password)
    return do_cosign_note(actor, note)


@transaction.atomic
def do_cosign_note(actor: User, note: Note, *, now: datetime | None = None) -> Note:
    note.status = NoteStatus.SIGNED
    note.cosigned_at = now or timezone.now()
    note.cosigner_name = actor.name
    note.cosigner_credentials = credentials_of(actor, on=note.episode.program.organization.today())
    note.save()
    _audit(actor, Action.SIGN, note, cosigned=True)
    return note


def check_return_note(actor: User, note: Note, *, comment: str) -> Note:
    if note.cosigner_id != actor.pk or note.status != NoteStatus.AWAITING_COSIGN:
        raise ValidationError({"status": "This note is not waiting for your co-signature."})
    if not comment.strip():
        raise ValidationError({"comment": "Say what the author should change."})
    return do_return_note(actor, note, comment=comment.strip())


@transaction.atomic
def do_return_note(actor: User, note: Note, *, comment: str) -> Note:
    note.status = NoteStatus.RETURNED
    note.return_comment = comment
    note.returned_at = timezone.now()
    note.signed_at = None
    note.revision += 1
    note.save()
    _audit(actor, Action.UPDATE, note, returned=True)
    return note


def check_add_addendum(actor: User, note: Note, *, text: str) -> Addendum:
    errors: dict[str, str] = {}
    if note.status != NoteStatus.SIGNED:
        errors["status"] = "Addenda are for signed notes: edit the draft instead."
    if note.is_restricted and note.author_id != actor.pk:
        errors["author"] = "Only the author adds to a restricted note."
    if not text.strip():
        errors["text"] = "Write the addendum."
    elif len(text) > MAX_SECTION_LENGTH:
        errors["text"] = f"Keep an addendum under {MAX_SECTION_LENGTH:,} characters."
    if errors:
        raise ValidationError(errors)
    return do_add_addendum(actor, note, text=text.strip())


@transaction.atomic
def do_add_addendum(actor: User, note: Note, *, text: str) -> Addendum:
    addendum = Addendum.objects.create(
        note=note,
        author=actor,
        author_name=actor.name,
        author_credentials=credentials_of(actor, on=note.episode.program.organization.today()),
        text=text,
    )
    _audit(actor, Action.CREATE, note, addendum=str(addendum.public_id))
    return addendum


@transaction.atomic
def do_set_default_format(actor: User | None, program: Any, note_format: str) -> None:
    from trellis.notes.models import NoteSettings

    if note_format not in NoteFormat.values:
        raise ValidationError({"default_format": "Choose SOAP, DAP, BIRP or GIRP."})
    NoteSettings.objects.update_or_create(program=program, defaults={"default_format": note_format})
    record(
        actor,
        Action.UPDATE,
        object_type="notes.notesettings",
        object_id=str(program.public_id),
        purpose=Purpose.HOPERAT,
        detail={"default_format": note_format},
    )
