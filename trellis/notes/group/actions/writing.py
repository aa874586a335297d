"""Writing group notes: start from an occurrence, autosave the group part and each entry,
sign. Atomic and audited; audit details carry ids and codes, never note text.

Who writes: the facilitators of the occurrence (the series' facilitators, or the substitute
who covered it). A facilitator of another track writes notes only for the groups they run;
they never get those members' charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.notes import late, practice_review
from trellis.notes.group.names import identifying_message, name_mentions
from trellis.notes.models import (
    GROUP_EDITABLE_STATUSES,
    GroupNote,
    GroupNoteEntry,
    GroupNoteStatus,
    Participation,
    RiskLevel,
    expected_revision,
)
from trellis.notes.queries import attendees
from trellis.plans.queries import latest_signed_versions
from trellis.plans.signing import check_signature, credentials_of
from trellis.scheduling.access import facilitates
from trellis.scheduling.models import ATTENDED
from trellis.scheduling.queries import Slot

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode

MAX_TEXT = 10_000


class GroupConflict(Exception):
    """Someone saved this part since the page loaded it; nothing was written."""

    def __init__(self, revision: int) -> None:
        super().__init__("Saved elsewhere meanwhile.")
        self.revision = revision


@dataclass
class GroupPart:
    topic: str = ""
    interventions: str = ""
    themes: str = ""


@dataclass
class EntryDraft:
    participation: str = ""
    response: str = ""
    objectives: list[str] = field(default_factory=list)
    practice_reviewed: str = ""
    practice_assigned: str = ""
    risk_level: str = ""
    risk_notes: str = ""
    plan: str = ""


def check_start_group_note(actor: User, slot: Slot, *, today: datetime | None = None) -> GroupNote:
    """The occurrence's group note: the existing one, or a new one prefilled from attendance."""
    if not facilitates(actor, slot):
        raise ValidationError({"author": "Only this session's facilitators write its note."})
    existing = GroupNote.objects.filter(series=slot.series, original_date=slot.original_date)
    found = existing.first()
    if found is not None:
        return found
    if slot.cancelled:
        raise ValidationError({"occurrence": "This session was cancelled: there is no note."})
    if slot.starts_at > (today or timezone.now()):
        raise ValidationError({"occurrence": "A group note is written after the session."})
    rows = attendees(slot)
    if not rows:
        raise ValidationError({"occurrence": "Nobody was on this session's roster."})
    return do_start_group_note(actor, slot, rows)


def do_start_group_note(actor: User, slot: Slot, rows: list[tuple[Episode, str]]) -> GroupNote:
    today = slot.series.track.program.organization.today()
    facilitators = "; ".join(
        ", ".join(part for part in (f.name, credentials_of(f, on=today)) if part)
        for f in slot.facilitators
    )
    try:
        with transaction.atomic():
            note = GroupNote.objects.create(
                series=slot.series,
                original_date=slot.original_date,
                program=slot.series.track.program,
                author=actor,
                session_name=slot.series.name,
                session_start=slot.starts_at,
                session_end=slot.ends_at,
                topic=slot.topic,
                facilitators=facilitators[:400],
                number_present=sum(1 for _, status in rows if status in ATTENDED),
            )
            GroupNoteEntry.objects.bulk_create(
                GroupNoteEntry(group_note=note, episode=e, position=i, attendance_status=status)
                for i, (e, status) in enumerate(rows)
            )
            record(
                actor,
                Action.CREATE,
                obj=note,
                purpose=Purpose.TREAT,
                detail={"entries": len(rows), "occurrence": slot.key},
            )
    except IntegrityError:
        # Two facilitators pressed the button at once: the other one's note is the note.
        return GroupNote.objects.get(series=slot.series, original_date=slot.original_date)
    return note


def _check_editable(actor: User, note: GroupNote, slot: Slot) -> None:
    if not facilitates(actor, slot):
        raise ValidationError({"author": "Only this session's facilitators write its note."})
    if note.status == GroupNoteStatus.AWAITING_COSIGN:
        raise ValidationError(
            {"status": "This group note is waiting for your supervisor's co-signature."}
        )
    if not note.is_editable:
        raise ValidationError({"status": "This group note is signed: add an addendum instead."})


def _too_long(values: dict[str, str]) -> dict[str, str]:
    return {
        key: f"Keep this under {MAX_TEXT:,} characters."
        for key, text in values.items()
        if len(text) > MAX_TEXT
    }


def check_save_group_part(
    actor: User, note: GroupNote, slot: Slot, part: GroupPart, *, revision: int, editor: str = ""
) -> GroupNote:
    _check_editable(actor, note, slot)
    errors = _too_long(vars(part))
    if errors:
        raise ValidationError(errors)
    return do_save_group_part(actor, note, part, revision=revision, editor=editor)


@transaction.atomic
def do_save_group_part(
    actor: User, note: GroupNote, part: GroupPart, *, revision: int, editor: str = ""
) -> GroupNote:
    # The page's own earlier autosave is no conflict (models.expected_revision).
    expected, since = expected_revision(GroupNote, note.pk, posted=revision, editor=editor)
    updated = GroupNote.objects.filter(
        pk=note.pk, revision=expected, status__in=list(GROUP_EDITABLE_STATUSES)
    ).update(
        editor=editor,
        editor_since=since,
        topic=part.topic,
        interventions=part.interventions,
        themes=part.themes,
        revision=F("revision") + 1,
        updated_at=timezone.now(),
    )
    current = GroupNote.objects.get(pk=note.pk)
    if not updated:
        if not current.is_editable:
            raise ValidationError({"status": "This group note was signed meanwhile."})
        raise GroupConflict(current.revision)
    record(actor, Action.UPDATE, obj=current, purpose=Purpose.TREAT, detail={"part": "group"})
    return current


def check_save_entry(
    actor: User,
    note: GroupNote,
    slot: Slot,
    entry: GroupNoteEntry,
    draft: EntryDraft,
    *,
    revision: int,
    objective_keys: set[str],
    editor: str = "",
) -> GroupNoteEntry:
    """Autosave of one attendee's entry. Objectives must be that person's own plan's."""
    _check_editable(actor, note, slot)
    errors = _too_long(
        {k: v for k, v in vars(draft).items() if isinstance(v, str)}  # text fields only
    )
    if draft.participation and draft.participation not in Participation.values:
        errors["participation"] = "Choose how they participated."
    if draft.risk_level and draft.risk_level not in RiskLevel.values:
        errors["risk_level"] = "Choose a risk level."
    if any(key not in objective_keys for key in draft.objectives):
        errors["objectives"] = "Choose objectives from this person's current signed plan."
    if errors:
        raise ValidationError(errors)
    return do_save_entry(actor, entry, draft, revision=revision, editor=editor)


@transaction.atomic
def do_save_entry(
    actor: User, entry: GroupNoteEntry, draft: EntryDraft, *, revision: int, editor: str = ""
) -> GroupNoteEntry:
    expected, since = expected_revision(GroupNoteEntry, entry.pk, posted=revision, editor=editor)
    updated = GroupNoteEntry.objects.filter(pk=entry.pk, revision=expected, locked=False).update(
        editor=editor,
        editor_since=since,
        participation=draft.participation,
        response=draft.response,
        objectives=draft.objectives,
        practice_reviewed=draft.practice_reviewed,
        practice_assigned=draft.practice_assigned,
        risk_level=draft.risk_level,
        risk_notes=draft.risk_notes,
        plan=draft.plan,
        revision=F("revision") + 1,
        updated_at=timezone.now(),
    )
    current = GroupNoteEntry.objects.select_related("episode__participant").get(pk=entry.pk)
    if not updated:
        if current.locked:
            raise ValidationError({"status": "This group note was signed meanwhile."})
        raise GroupConflict(current.revision)
    record(
        actor,
        Action.UPDATE,
        participant=current.episode.participant,
        obj=current,
        purpose=Purpose.TREAT,
        detail={"group_note": str(entry.group_note.public_id), "revision": current.revision},
    )
    return current


# --- Before signing ------------------------------------------------------------------------


def missing_for_signing(note: GroupNote, entries: list[GroupNoteEntry]) -> dict[str, str]:
    """What must be written before signing, keyed by field; the message names the attendee
    (this page is the facilitator's, who knows the group)."""
    errors: dict[str, str] = {}
    if not note.topic.strip():
        errors["topic"] = "Topic or skill is empty."
    for entry in entries:
        who = entry.episode.participant.display_name
        if entry.removed_at is not None:
            if entry.has_text:
                errors[f"{entry.public_id}-attendance"] = (
                    f"{who} is no longer on this session's attendance: copy what you need, "
                    "then clear their entry (it is not signed into their chart)."
                )
            continue
        if not entry.attended:
            if entry.attendance_changed_at is not None and entry.has_text:
                errors[f"{entry.public_id}-attendance"] = (
                    f"{who} was marked absent after their entry was written: clear what it "
                    "says about their taking part, or correct the attendance."
                )
            continue  # an absent member's entry records the absence; nothing else is due
        for key, label in (("participation", "Participation"), ("response", "Response")):
            if not getattr(entry, key).strip():
                errors[f"{entry.public_id}-{key}"] = f"{who}: {label} is empty."
        if not entry.plan.strip():
            errors[f"{entry.public_id}-plan"] = f"{who}: Plan is empty."
        if not entry.risk_level:
            errors[f"{entry.public_id}-risk_level"] = f"{who}: record the risk screen."
        elif entry.risk_level != RiskLevel.NONE and not entry.risk_notes.strip():
            errors[f"{entry.public_id}-risk_notes"] = f"{who}: describe the risk and the plan."
    return errors


def check_sign_group_note(
    actor: User,
    note: GroupNote,
    slot: Slot,
    *,
    typed_name: str,
    password: str,
    revision: int,
    mentions_confirmed: bool,
) -> GroupNote:
    """Sign the group note and with it every entry. A full name, family name, preferred name
    or MRN of another member is refused; a first name alone is a warning the signer must
    confirm (it may be a word, "Will" or "Hope")."""
    _check_editable(actor, note, slot)
    cosigner = _cosigner_of(actor)
    if note.revision != revision:
        raise ValidationError(
            {"revision": "The group part changed since you opened it: read it again, then sign."}
        )
    entries = list(note.entries.select_related("episode__participant"))
    missing = missing_for_signing(note, entries)
    if missing:
        raise ValidationError(missing)
    mentions = name_mentions(note, entries)
    if any(m.identifying for m in mentions):
        raise ValidationError({"mentions": identifying_message(mentions)})
    if mentions and not mentions_confirmed:
        raise ValidationError(
            {
                "mentions": "Some text mentions another member's name: each participant's "
                "chart gets this note. Edit it, or confirm that the words are not names."
            }
        )
    check_signature(actor, typed_name=typed_name, password=password)
    return do_sign_group_note(actor, note, entries, cosigner=cosigner)


def _cosigner_of(actor: User) -> User | None:
    """A trainee's supervisor, who co-signs their group notes (as their progress notes); a
    trainee without one cannot sign."""
    profile = getattr(actor, "staff_profile", None)
    if profile is None or not profile.is_trainee:
        return None
    if profile.supervisor is None:
        raise ValidationError(
            {
                "cosigner": "Your notes need a supervisor's co-signature and you have no "
                "supervisor: ask your program director to set one."
            }
        )
    supervisor: User = profile.supervisor
    return supervisor


@transaction.atomic
def do_sign_group_note(
    actor: User,
    note: GroupNote,
    entries: list[GroupNoteEntry],
    *,
    cosigner: User | None = None,
    now: datetime | None = None,
) -> GroupNote:
    """Sign and lock the note and its entries. With a `cosigner` (a trainee's supervisor)
    the note waits in that supervisor's queue: locked, but not final in the charts."""
    now = now or timezone.now()
    locked = GroupNote.objects.select_for_update().get(pk=note.pk)
    if not locked.is_editable or locked.revision != note.revision:
        raise ValidationError(
            {"revision": "The group note changed since you opened it: read it again, then sign."}
        )
    plans = latest_signed_versions([e.episode_id for e in entries if e.objectives])
    # Entries of people no longer on the attendance (emptied before signing: the check
    # refuses while one has text) are not part of the signed note.
    GroupNoteEntry.objects.filter(
        pk__in=[e.pk for e in entries if e.removed_at is not None]
    ).delete()
    entries = [e for e in entries if e.removed_at is None]
    # "Practice reviewed" with each member present, as the signer sees it: frozen into the
    # entry and marked reviewed in this transaction (never offered again).
    practice = practice_review.live(
        actor,
        [e.episode for e in entries if e.attended],
        up_to=note.session_end,
        series_id=note.series_id,
    )
    for entry in entries:
        # The plan version the chosen objective keys belong to, frozen with the signature.
        entry.plan_version = plans.get(entry.episode_id) if entry.objectives else None
        entry.locked = True
        lines = practice.get(entry.episode_id, []) if entry.attended else []
        # A returned note keeps what it already reviewed, then adds what is new.
        entry.practice_snapshot = practice_review.freeze(entry.practice_lines + lines)
        entry.save(update_fields=["plan_version", "locked", "practice_snapshot"])
        practice_review.mark_reviewed(
            actor, lines, reviewed_in=f"notes.group:{entry.public_id}", now=now
        )
    note.cosigner = cosigner
    note.status = GroupNoteStatus.SIGNED if cosigner is None else GroupNoteStatus.AWAITING_COSIGN
    note.signed_at = now
    note.signer_name = actor.name
    note.signer_credentials = credentials_of(actor, on=note.program.organization.today())
    note.number_present = sum(1 for e in entries if e.attended)
    note.late_entry = late.is_late_for_series(note.series_id, note.session_end, now)
    note.revision += 1
    note.save()
    record(
        actor,
        Action.SIGN,
        obj=note,
        purpose=Purpose.TREAT,
        detail={
            "entries": len(entries),
            "late_entry": note.late_entry,
            "cosign": cosigner is not None,
        },
    )
    for entry in entries:
        # The signature writes into each member's record: one event per chart touched.
        record(
            actor,
            Action.SIGN,
            participant=entry.episode.participant,
            obj=entry,
            purpose=Purpose.TREAT,
            detail={"group_note": str(note.public_id)},
        )
    return note
