"""Notes built through the real actions, for tests, the URL walk and the demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from trellis.accounts.models import User
from trellis.notes import actions
from trellis.notes.models import Modality, Note, NoteFormat, NoteKind, RiskLevel, Service
from trellis.participants.models import Episode

SOAP_TEXT = {
    "subjective": "Reports two panic attacks this week, both on the bus.",
    "objective": "Calm, engaged, good eye contact.",
    "assessment": "Using grounding with partial success.",
    "plan": "Continue exposure hierarchy; practise grounding daily.",
}


def default_start(tz: str = "America/Chicago") -> datetime:
    """Two hours ago, on whole minutes (the forms take HH:MM), never crossing local midnight
    (the note form has one date for start and end)."""
    local = timezone.localtime(timezone.now(), ZoneInfo(tz)) - timedelta(hours=2)
    if local.hour == 23:
        local -= timedelta(hours=1)
    return local.replace(second=0, microsecond=0)


def header(
    *, kind: str = NoteKind.PROGRESS, start: datetime | None = None, minutes: int = 50
) -> actions.NoteHeader:
    start = start or default_start()
    return actions.NoteHeader(
        kind=kind,
        format=NoteFormat.SOAP,
        service=Service.INDIVIDUAL_THERAPY,
        modality=Modality.IN_PERSON,
        session_start=start,
        session_end=start + timedelta(minutes=minutes),
    )


def written_note(
    author: User,
    episode: Episode,
    *,
    kind: str = NoteKind.PROGRESS,
    start: datetime | None = None,
    text: dict[str, str] | None = None,
) -> Note:
    note = actions.check_create_note(author, episode, header(kind=kind, start=start))
    draft = actions.NoteDraft(
        **vars(header(kind=kind, start=note.session_start)),
        sections=text or SOAP_TEXT,
        risk_level=RiskLevel.NONE,
    )
    return actions.check_save_note(author, note, draft, revision=note.revision)


def signed_note(author: User, episode: Episode, password: str, **kwargs: object) -> Note:
    note = written_note(author, episode, **kwargs)  # type: ignore[arg-type]  # test helper
    return actions.check_sign_note(
        author, note, typed_name=author.name, password=password, revision=note.revision
    )
