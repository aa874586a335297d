"""Input shapes of intake's pages (types, lengths, choices); meaning is the actions' or the
queries' job."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.intake.models import Condition, Level
from trellis.intake.rules import Rule
from trellis.programs.models import Program


class StartScreeningForm(forms.Form):
    """The record's identifiers, asked only when the inquiry has no record yet."""

    mrn = forms.CharField(
        label="Medical record number",
        max_length=30,
        required=False,
        help_text="Leave empty to use the organization's next number, where it assigns them.",
    )
    date_of_birth = forms.DateField(
        label="Date of birth", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )  # fmt: skip


class DecisionForm(forms.Form):
    choice = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept the recommendation"), ("override", "Override it")],
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label="Level of care (when overriding)", choices=[("", "—"), *Level.choices],
        required=False,
    )  # fmt: skip
    track = forms.ChoiceField(label="Track (intensive outpatient)", required=False)
    rationale = forms.CharField(
        label="Rationale (required when overriding)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    destination = forms.CharField(
        label="Referred to (for a level elsewhere)", required=False, max_length=200,
        help_text="A provider or program, in words. Choosing from the finder's directory "
        "comes with the finder.",
    )  # fmt: skip

    def __init__(self, tracks: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["track"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = [("", "As recommended"), *tracks]


class RuleForm(forms.Form):
    condition = forms.ChoiceField(label="When", choices=[("", "—"), *Condition.choices],
                                  required=False)  # fmt: skip
    instrument = forms.CharField(label="Instrument", max_length=40, required=False)
    threshold = forms.IntegerField(label="At least", min_value=0, max_value=100, required=False)
    level = forms.ChoiceField(label="Propose", choices=[("", "—"), *Level.choices], required=False)
    reason = forms.CharField(label="Reason in words", max_length=200, required=False)
    delete = forms.BooleanField(label="Remove", required=False)

    def rule(self) -> Rule | None:
        data = self.cleaned_data
        if data.get("delete") or not data.get("condition"):
            return None
        return Rule(
            condition=data["condition"],
            level=data.get("level") or "",
            instrument=(data.get("instrument") or "").strip(),
            threshold=data.get("threshold"),
            reason=data.get("reason") or "",
        )


RuleFormSet = forms.formset_factory(RuleForm, extra=1, max_num=30)


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
