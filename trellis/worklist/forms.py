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
