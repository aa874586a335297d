"""Notes over JSON, mounted at /api/v1/notes/ (trellis/api.py).

Restricted notes (psychotherapy, SUD counseling) are never served here, not even to their
author: they stay out of lists, exports and integrations. Signing stays on the pages (it
needs the password re-entered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.api import MAX_COUNTER, error_responses
from trellis.notes import actions
from trellis.notes.access import access_note, notes_of
from trellis.notes.group.access import addenda_of, standalone_entries
from trellis.notes.models import (
    RESTRICTED_KINDS,
    Modality,
    Note,
    NoteFormat,
    NoteKind,
    RiskLevel,
    Service,
)
from trellis.plans.access import access_clinical_episode

router = Router(tags=["notes"])


class NoteSummaryOut(Schema):
    public_id: UUID
    kind: str
    format: str
    status: str
    service: str
    modality: str
    session_start: datetime
    session_end: datetime
    author: str
    late_entry: bool
    signed_at: datetime | None


class NoteOut(NoteSummaryOut):
    revision: int
    sections: dict[str, str]
    risk_level: str
    risk_notes: str
    objectives: list[str]
    signer_credentials: str
    cosigned_at: datetime | None
    addenda: list[str]


class NoteIn(Schema):
    format: NoteFormat
    service: Service
    modality: Modality
    # With an offset (`2026-03-02T18:00:00-06:00` or `…Z`): a time without one is a 422.
    session_start: AwareDatetime
    session_end: AwareDatetime


class NoteDraftIn(NoteIn):
    revision: int = Field(ge=0, le=MAX_COUNTER)
    sections: dict[str, str] = Field(default_factory=dict)
    risk_level: RiskLevel | None = None
    risk_notes: str = ""
    objectives: list[str] = Field(default_factory=list, max_length=50)


class NoteConflictOut(Schema):
    detail: str
    current: NoteOut


def summary(note: Note) -> dict[str, Any]:
    return {
        "public_id": note.public_id,
        "kind": note.kind,
        "format": note.format,
        "status": note.status,
        "service": note.service,
        "modality": note.modality,
        "session_start": note.session_start,
        "session_end": note.session_end,
        "author": note.author.name,
        "late_entry": note.late_entry,
        "signed_at": note.signed_at,
    }


def note_out(note: Note) -> NoteOut:
    return NoteOut(
        **summary(note),
        revision=note.revision,
        sections=note.sections,
        risk_level=note.risk_level,
        risk_notes=note.risk_notes,
        objectives=[str(k) for k in note.objectives],
        signer_credentials=note.signer_credentials,
        cosigned_at=note.cosigned_at,
        addenda=[a.text for a in note.addenda.all()],
    )


def _open(request: HttpRequest, public_id: str, note_id: str, action: str = Action.VIEW) -> Note:
    _, note = access_note(
        acting_user(request), public_id, note_id, action=action, include_restricted=False
    )
    return note


@router.get(
    "/participants/{public_id}",
    response={200: list[NoteSummaryOut], **error_responses(401, 403, 404)},
    summary="Notes of a participant's current episode",
)
def list_notes(request: HttpRequest, public_id: str) -> list[NoteSummaryOut]:
    """Newest first; never restricted notes; drafts only your own."""
    user = acting_user(request)
    ca = access_clinical_episode(user, public_id)
    notes = list(
        notes_of(ca, user)
        .exclude(kind__in=list(RESTRICTED_KINDS))
        .defer("body", "risk_notes", "scores_snapshot", "return_comment")
        .select_related("author")
        .order_by("-session_start", "-pk")[:500]
    )
    record_list(
        user,
        object_type="notes.note",
        participants=[ca.access.participant],
        purpose=Purpose.TREAT,
        detail={"results": len(notes), "via": "api"},
    )
    return [NoteSummaryOut(**summary(n)) for n in notes]


class GroupNoteAddendumOut(Schema):
    text: str
    to: str  # "group" (the group part) or "entry" (this member's entry)
    author: str
    author_credentials: str
    created_at: datetime


class GroupNoteOut(Schema):
    """One member's group note: the group part and their own entry, never anyone else's."""

    entry_id: UUID
    session_name: str
    session_start: datetime
    session_end: datetime
    topic: str
    interventions: str
    themes: str
    facilitators: str
    number_present: int
    attendance: str
    participation: str
    response: str
    objectives: list[str]
    practice_reviewed: str
    practice_assigned: str
    risk_level: str
    risk_notes: str
    plan: str
    signer_name: str
    signed_at: datetime | None
    late_entry: bool
    # "awaiting_cosign" (a trainee's note, not final until their supervisor co-signs it, as
    # for progress notes) or "signed".
    status: str
    cosigner_name: str
    cosigned_at: datetime | None
    addenda: list[GroupNoteAddendumOut]


# Declared before "/{note_id}" so that route does not take "group-notes" for a note id.
@router.get(
    "/participants/{public_id}/group-notes",
    response={200: list[GroupNoteOut], **error_responses(401, 403, 404)},
    summary="Signed group notes of a participant's current episode, as their chart shows them",
)
def list_group_notes(request: HttpRequest, public_id: str) -> list[GroupNoteOut]:
    user = acting_user(request)
    ca = access_clinical_episode(user, public_id)
    entries = list(standalone_entries([ca.episode.pk])[:500])
    addenda: dict[int, list[GroupNoteAddendumOut]] = {}
    entry_of = {e.pk: e for e in entries}
    notes = {e.group_note_id: e for e in entries}
    for a in addenda_of(list(notes), list(entry_of)):
        entry = entry_of[a.entry_id] if a.entry_id is not None else notes[a.group_note_id]
        addenda.setdefault(entry.pk, []).append(
            GroupNoteAddendumOut(
                text=a.text,
                to="entry" if a.entry_id is not None else "group",
                author=a.author_name,
                author_credentials=a.author_credentials,
                created_at=a.created_at,
            )
        )
    record_list(
        user,
        object_type="notes.groupnoteentry",
        participants=[ca.access.participant],
        purpose=Purpose.TREAT,
        detail={"results": len(entries), "via": "api"},
    )
    return [
        GroupNoteOut(
            entry_id=e.public_id,
            session_name=e.group_note.session_name,
            session_start=e.group_note.session_start,
            session_end=e.group_note.session_end,
            topic=e.group_note.topic,
            interventions=e.group_note.interventions,
            themes=e.group_note.themes,
            facilitators=e.group_note.facilitators,
            number_present=e.group_note.number_present,
            attendance=e.attendance_status,
            participation=e.participation,
            response=e.response,
            objectives=[str(k) for k in e.objectives],
            practice_reviewed=e.practice_reviewed,
            practice_assigned=e.practice_assigned,
            risk_level=e.risk_level,
            risk_notes=e.risk_notes,
            plan=e.plan,
            signer_name=e.group_note.signer_name,
            signed_at=e.group_note.signed_at,
            late_entry=e.group_note.late_entry,
            status=e.group_note.status,
            cosigner_name=e.group_note.cosigner_name,
            cosigned_at=e.group_note.cosigned_at,
            addenda=addenda.get(e.pk, []),
        )
        for e in entries
    ]


@router.get(
    "/participants/{public_id}/{note_id}",
    response={200: NoteOut, **error_responses(401, 403, 404)},
)
def get_note(request: HttpRequest, public_id: str, note_id: str) -> NoteOut:
    return note_out(_open(request, public_id, note_id))


@router.post(
    "/participants/{public_id}",
    response={201: NoteOut, **error_responses(401, 403, 404, 422)},
    summary="Start a progress note (draft)",
)
def create_note(request: HttpRequest, public_id: str, payload: NoteIn) -> Status[NoteOut]:
    user = acting_user(request)
    ca = access_clinical_episode(user, public_id, action=Action.UPDATE)
    ca.require_write()
    note = actions.check_create_note(
        user,
        ca.episode,
        actions.NoteHeader(
            kind=NoteKind.PROGRESS,
            format=payload.format,
            service=payload.service,
            modality=payload.modality,
            session_start=payload.session_start,
            session_end=payload.session_end,
        ),
    )
    return Status(201, note_out(note))


@router.put(
    "/participants/{public_id}/{note_id}",
    response={200: NoteOut, 409: NoteConflictOut, **error_responses(401, 403, 404, 422)},
    summary="Save your draft",
)
def save_note(
    request: HttpRequest, public_id: str, note_id: str, payload: NoteDraftIn
) -> NoteOut | Status[NoteConflictOut]:
    user = acting_user(request)
    note = _open(request, public_id, note_id, action=Action.UPDATE)
    draft = actions.NoteDraft(
        kind=note.kind,
        format=payload.format,
        service=payload.service,
        modality=payload.modality,
        session_start=payload.session_start,
        session_end=payload.session_end,
        sections=payload.sections,
        risk_level=payload.risk_level or "",
        risk_notes=payload.risk_notes,
        objectives=payload.objectives,
    )
    try:
        saved = actions.check_save_note(user, note, draft, revision=payload.revision)
    except actions.NoteConflict as conflict:
        return Status(
            409,
            NoteConflictOut(
                detail="The note was saved elsewhere since you read it.",
                current=note_out(conflict.current),
            ),
        )
    return note_out(saved)
