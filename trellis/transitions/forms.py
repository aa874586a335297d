"""Input shapes for the discharge and summary pages (types and lengths; meaning is the
actions' job)."""

from __future__ import annotations

from django import forms

from trellis.participants.models import DischargeReason
from trellis.transitions.models import StepDownLevel


class DischargeForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason for discharge",
        choices=[("", "Choose…"), *DischargeReason.choices],
    )
    discharged_on = forms.DateField(
        label="Discharge date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SummaryForm(forms.Form):
    narrative = forms.CharField(
        label="Narrative: course of treatment, response, condition at discharge",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    step_down_level = forms.ChoiceField(
        label="Care after the program",
        required=False,
        choices=[("", "Choose…"), *StepDownLevel.choices],
    )
    provider = forms.CharField(
        label="Provider (name, address, phone)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    alumni_group = forms.CharField(
        label="Alumni group (optional)", required=False, max_length=20_000
    )
    crisis_steps = forms.CharField(
        label="What to do in a crisis",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes_for_participant = forms.CharField(
        label="A note to the participant (plain words; they will read it)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    with_whom = forms.CharField(label="With whom, and where", required=False, max_length=1000)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
