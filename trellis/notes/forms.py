"""Note forms: the header (what session, when, how) and the body (sections, risk, objectives).
Times are entered in the program's time zone and stored in UTC."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from trellis.notes.actions import NoteDraft, NoteHeader
from trellis.notes.models import (
    FORMAT_SECTIONS,
    Modality,
    Note,
    NoteFormat,
    NoteKind,
    RiskLevel,
    Service,
)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class HeaderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of note", choices=NoteKind.choices, initial=NoteKind.PROGRESS
    )
    format = forms.ChoiceField(label="Format", choices=NoteFormat.choices)
    service = forms.ChoiceField(label="Service", choices=Service.choices)
    modality = forms.ChoiceField(label="Modality", choices=Modality.choices)
    session_date = forms.DateField(label="Session date", widget=DateInput)
    start_time = forms.TimeField(label="Start time", widget=TimeInput)
    end_time = forms.TimeField(label="End time", widget=TimeInput)

    def __init__(self, tz: ZoneInfo, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    def header(self) -> NoteHeader:
        data = self.cleaned_data
        day: date = data["session_date"]
        return NoteHeader(
            kind=data["kind"],
            format=data["format"],
            service=data["service"],
            modality=data["modality"],
            session_start=_aware(day, data["start_time"], self.tz),
            session_end=_aware(day, data["end_time"], self.tz),
        )


def _aware(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def header_initial(note: Note, tz: ZoneInfo) -> dict[str, Any]:
    start = timezone.localtime(note.session_start, tz)
    end = timezone.localtime(note.session_end, tz)
    return {
        "kind": note.kind,
        "format": note.format,
        "service": note.service,
        "modality": note.modality,
        "session_date": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
    }


def draft_from_post(form: HeaderForm, post: Any) -> NoteDraft:
    """The whole editor: a valid header form plus section texts, risk and objectives."""
    header = form.header()
    sections = {
        key: post.get(f"section-{key}", "")
        for fmt in FORMAT_SECTIONS.values()
        for key, _ in fmt
        if f"section-{key}" in post
    }
    risk_level = post.get("risk_level", "")
    return NoteDraft(
        kind=header.kind,
        format=header.format,
        service=header.service,
        modality=header.modality,
        session_start=header.session_start,
        session_end=header.session_end,
        sections=sections,
        risk_level=risk_level if risk_level in RiskLevel.values else "",
        risk_notes=post.get("risk_notes", ""),
        objectives=[str(k)[:24] for k in post.getlist("objectives")][:50],
    )
