"""Input shapes of the episode-changes page (types and lengths; meaning is the actions')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.participants.models import EpisodeStatus
from trellis.programs.models import Program, Track


class DateInput(forms.DateInput):
    input_type = "date"


class HoldForm(forms.Form):
    starts_on = forms.DateField(label="On hold from", widget=DateInput)
    expected_return_on = forms.DateField(
        label="Expected back on (optional)", required=False, widget=DateInput
    )
    reason = forms.CharField(
        label="Reason", max_length=500, help_text="e.g. inpatient stay, family emergency, travel"
    )


class ResumeForm(forms.Form):
    resumes_on = forms.DateField(label="Back from", widget=DateInput)
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)


class TrackForm(forms.Form):
    track = forms.ModelChoiceField(
        label="New track", queryset=Track.objects.none(), to_field_name="public_id"
    )
    effective_on = forms.DateField(label="From", widget=DateInput)
    override_reason = forms.CharField(
        label="Reason to take a full track anyway (only if it is full)",
        max_length=500,
        required=False,
    )

    def __init__(self, tracks: Any, labels: dict[int, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["track"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # declared above
        field.queryset = tracks
        field.label_from_instance = lambda t: labels.get(t.pk, t.name)  # type: ignore[method-assign,assignment]  # a label per instance


class StepForm(forms.Form):
    program = forms.ModelChoiceField(
        label="Move to program", queryset=Program.objects.none(), to_field_name="public_id"
    )
    step_status = forms.ChoiceField(
        label="The new episode is",
        choices=[
            (EpisodeStatus.ACTIVE.value, "Active from the date of the move"),
            (EpisodeStatus.PLANNED.value, "Planned (admission still to come)"),
        ],
    )
    step_track = forms.ModelChoiceField(
        label="Track in the new program (optional)",
        queryset=Track.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    step_on = forms.DateField(label="Date of the move", widget=DateInput)

    def __init__(self, programs: list[Program], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program_field = self.fields["program"]
        track_field = self.fields["step_track"]
        assert isinstance(program_field, forms.ModelChoiceField)  # noqa: S101  # declared
        assert isinstance(track_field, forms.ModelChoiceField)  # noqa: S101  # declared
        program_field.queryset = Program.objects.filter(pk__in=[p.pk for p in programs])
        track_field.queryset = Track.objects.filter(
            program__in=[p.pk for p in programs], is_active=True
        ).select_related("program")
        track_field.label_from_instance = lambda t: f"{t.program.name} — {t.name}"  # type: ignore[method-assign,assignment]  # a label per instance


class TrackRequestForm(forms.Form):
    """A participant asks to move to another track (the portal; wording for them)."""

    track = forms.ModelChoiceField(
        label=_("Which track would suit you better?"),
        queryset=Track.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the track you would like to move to."),
            "invalid_choice": _("Choose one of the other tracks of your program listed here."),
        },
    )
    starting_from = forms.DateField(
        label=_("From when could you start? (optional)"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter a date, or leave it empty for as soon as possible.")},
    )
    reason = forms.CharField(
        label=_("Why? (optional; only your team sees this)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    def __init__(self, tracks: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["track"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # declared above
        field.queryset = tracks
        field.label_from_instance = _track_label  # type: ignore[method-assign,assignment]  # a label per instance


def _track_label(track: Track) -> str:
    when = track.hours_summary or track.schedule_summary
    how = track.get_delivery_display()
    return " · ".join(part for part in (str(track.name), when, str(how)) if part)
