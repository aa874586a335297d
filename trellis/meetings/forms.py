from __future__ import annotations

from typing import Any

from django import forms

from trellis.lib.choices import Weekday


class _Choices(forms.Form):
    """A form whose choice fields are filled per request (participants, staff)."""

    def set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        self.fields[name].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class SeriesForm(_Choices):
    program = forms.ChoiceField(label="Program")
    weekday = forms.TypedChoiceField(
        label="Day", choices=Weekday.choices, coerce=int, initial=Weekday.FRIDAY
    )
    start_time = forms.TimeField(
        label="Time (organization's zone)", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(label="Minutes", min_value=15, max_value=240, initial=60)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Present", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = staff  # type: ignore[attr-defined]  # a ChoiceField


class SignForm(forms.Form):
    typed_name = forms.CharField(label="Type your name", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
