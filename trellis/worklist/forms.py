from __future__ import annotations

from typing import Any

from django import forms

from trellis.worklist.models import Priority


class FollowUpForm(forms.Form):
    risk_assessment_done = forms.BooleanField(label="Risk assessment done", required=False)
    safety_plan_reviewed = forms.BooleanField(label="Safety plan reviewed", required=False)
    referred_higher_level = forms.BooleanField(
        label="Referred to a higher level of care", required=False
    )
    note = forms.CharField(
        label="Follow-up note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(forms.Form):
    owner = forms.ChoiceField(label="New owner")

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]  # ChoiceField


class CompleteForm(forms.Form):
    note = forms.CharField(
        label="What was done (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TaskForm(forms.Form):
    participant = forms.ChoiceField(label="Participant")
    title = forms.CharField(label="Task", max_length=200)
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, initial="normal")

    def __init__(self, *args: Any, episodes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = episodes  # type: ignore[attr-defined]  # ChoiceField


LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class OnCallShiftForm(forms.Form):
    """A new on-call shift. Times are read in the program's zone: validate the form inside
    `timezone.override(program.tz)` (the view does)."""

    user = forms.ChoiceField(label="Who is on call")
    starts_at = forms.DateTimeField(
        label="Starts",
        input_formats=[LOCAL_DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
    )
    ends_at = forms.DateTimeField(
        label="Ends",
        input_formats=[LOCAL_DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
    )
    alongside = forms.BooleanField(
        label="On call alongside anyone already on call then (both receive urgent alerts)",
        required=False,
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a person"), *people]  # type: ignore[attr-defined]  # ChoiceField
