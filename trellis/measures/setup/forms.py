"""Input shapes of the check-in set-up pages; meaning (duplicates, kinds) is the actions'."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.lib.choices import Weekday
from trellis.measures.actions import REASON_LENGTH, OverrideMode
from trellis.measures.models import ScheduleKind

WEEKDAY_CHOICES = [("", "—"), *Weekday.choices]


def _weekday() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Weekday",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Weekly check-ins only.",
    )


class ScheduleForm(forms.Form):
    instrument_code = forms.ChoiceField(label="Instrument")
    kind = forms.ChoiceField(label="When", choices=ScheduleKind.choices)
    weekday = _weekday()
    offset_days = forms.IntegerField(
        label="Days after discharge",
        min_value=0,
        required=False,
        help_text="Follow-up check-ins only (30, 90).",
    )
    window_days = forms.IntegerField(
        label="Open for (days)",
        min_value=1,
        initial=3,
        help_text="How long the check-in stays open before it counts as missed.",
    )

    def __init__(self, *args: Any, codes: list[str], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument_code"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]  # ChoiceField
        if editing:  # instrument and kind stay: the check-ins already made belong to them
            self.fields["instrument_code"].disabled = True
            self.fields["kind"].disabled = True


class OverrideForm(forms.Form):
    mode = forms.ChoiceField(
        label="For this episode", choices=OverrideMode.CHOICES, widget=forms.RadioSelect
    )
    weekday = _weekday()
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the care team; kept with the change.",
        error_messages={"required": "Say why, for the team and the record."},
    )

    def __init__(self, *args: Any, weekly: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not weekly:  # only a weekly check-in has a day to move
            self.fields["mode"].choices = [  # type: ignore[attr-defined]  # ChoiceField
                c for c in OverrideMode.CHOICES if c[0] != OverrideMode.WEEKDAY
            ]
            del self.fields["weekday"]


LARGEST_DEFINITION = 1_000_000  # bytes: an instrument file is a few kilobytes


class InstrumentUploadForm(forms.Form):
    definition = forms.FileField(
        label="Instrument file (JSON)",
        help_text="A FHIR R4B Questionnaire with Trellis's scoring section (docs/measures.md).",
    )
