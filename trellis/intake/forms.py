"""Input shapes of intake's pages (types, lengths, choices); meaning is the actions' or the
queries' job."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from trellis.intake.models import (
    CloseReason,
    Condition,
    ContactPreference,
    EventKind,
    Inquiry,
    InquirySource,
    Level,
    PreferredSchedule,
)
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


DATE = forms.DateInput(attrs={"type": "date"})


class InquiryForm(forms.ModelForm[Inquiry]):
    """A phone call, a walk-in or a referral, typed by staff."""

    program = forms.ChoiceField(label="Program")

    class Meta:
        model = Inquiry
        fields = [
            "source", "given_name", "family_name", "preferred_name", "date_of_birth", "phone",
            "email", "contact_preference", "consent_to_contact", "language", "reason",
            "preferred_schedule", "schedule_notes", "payment", "payer_name",
            "referrer_organization", "referrer_name", "referrer_contact",
        ]  # fmt: skip
        labels = {
            "source": "How did they reach us?",
            "given_name": "First name (or the name they go by)",
            "family_name": "Last name",
            "preferred_name": "Name they prefer",
            "date_of_birth": "Date of birth (if they gave it)",
            "consent_to_contact": "They agreed to be called, texted or emailed back",
            "contact_preference": "Best way to reach them",
            "reason": "What they are asking for help with, in their words",
            "preferred_schedule": "When they could attend",
            "schedule_notes": "Schedule notes",
            "payment": "How care would be paid for",
            "payer_name": "Insurance or payer name",
            "referrer_organization": "Referring organization",
            "referrer_name": "Referrer's name",
            "referrer_contact": "Referrer's phone or email",
        }
        widgets = {"date_of_birth": DATE, "reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, programs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["program"]).choices = programs
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            (value, label) for value, label in InquirySource.choices if value != InquirySource.WEB
        ]


class PublicInquiryForm(forms.Form):
    """The program's web form: short, plain words, no sign-in. `website` is a honeypot: a
    field people never see (hidden from screens and screen readers) that spam robots fill."""

    given_name = forms.CharField(label="Your first name", max_length=100)
    family_name = forms.CharField(label="Your last name", max_length=100, required=False)
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_preference = forms.ChoiceField(
        label="How should we reach you?",
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
    )
    preferred_schedule = forms.ChoiceField(
        label="When could you come to groups?",
        choices=PreferredSchedule.choices,
        initial=PreferredSchedule.ANY,
    )
    reason = forms.CharField(
        label="What would you like help with? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent_to_contact = forms.BooleanField(
        label="I agree that the program may call, text or email me about this request.",
        error_messages={"required": "We can only reply if you agree to be contacted."},
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["family_name"].widget.attrs["autocomplete"] = "family-name"


class LogForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[
            (EventKind.CALL, "Call"),
            (EventKind.NOTE, "Note"),
            (EventKind.MESSAGE, "Message sent"),
        ],
    )
    text = forms.CharField(
        label="What was said or done", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    owner = forms.ChoiceField(label="Owner", required=False)
    next_action = forms.CharField(label="Next action", max_length=200, required=False)
    next_action_due = forms.DateField(label="Due", required=False, widget=DATE)

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Nobody yet"), *owners]


class CloseForm(forms.Form):
    close_reason = forms.ChoiceField(
        label="Why is it closed?",
        choices=[("", "Choose a reason"), *[c for c in CloseReason.choices if c[0] != "duplicate"]],
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)


class ReferForm(forms.Form):
    destination = forms.CharField(
        label="Referred to (provider or service)",
        max_length=300,
        help_text="Free text for now: picking a listing from the provider directory comes "
        "with the finder.",
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)


class SettingsForm(forms.Form):
    reply_within_days = forms.IntegerField(
        label="Reply within (business days)", min_value=1, max_value=10
    )
    notify_email = forms.EmailField(
        label="Email when a web inquiry arrives (a shared mailbox, optional)", required=False
    )
