"""Input shapes for intake's pages: types, lengths and choices (meaning is the action's or
the query's job)."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.programs.models import Program


class DateInput(forms.DateInput):
    input_type = "date"


class FunnelForm(forms.Form):
    """Which program and which days the funnel reports on (inquiries received then)."""

    program = forms.ChoiceField(label="Program")
    start = forms.DateField(label="Inquiries received from", required=False, widget=DateInput())
    end = forms.DateField(label="to", required=False, widget=DateInput())

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs = {str(p.public_id): p for p in programs}
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = [(key, p.name) for key, p in self.programs.items()]
        if len(programs) == 1:
            self.fields["program"].widget = forms.HiddenInput()
