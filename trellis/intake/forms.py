"""Input shapes of intake's pages (types, lengths, choices); meaning is the actions' or the
queries' job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms

from trellis.intake.models import (
    CloseReason,
    Condition,
    ConsentDocument,
    ConsentMethod,
    ContactPreference,
    EventKind,
    Inquiry,
    InquirySource,
    LeaveReason,
    Level,
    PreferredSchedule,
)
from trellis.intake.rules import Rule
from trellis.programs.models import ClinicianKind, Program, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User


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


# --- admission, consents and the waitlist ---


class IntakeForm(forms.Form):
    """Labels read as written ("Admission date", not "Admission date:")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class TrackChoiceField(forms.ModelChoiceField[Track]):
    def label_from_instance(self, obj: Track) -> str:
        return f"{obj.name} — {obj.hours_summary or obj.get_delivery_display()}"


class AdmissionForm(IntakeForm):
    track = TrackChoiceField(queryset=Track.objects.none(), to_field_name="public_id")
    admitted_on = forms.DateField(label="Admission date", widget=DATE)
    primary = forms.TypedChoiceField(label="Primary clinician", coerce=int)
    primary_role = forms.ChoiceField(label="Their role", choices=ClinicianKind.choices)
    others = forms.TypedMultipleChoiceField(
        label="Others on the care team",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each joins in their own discipline.",
    )
    mrn = forms.CharField(label="MRN", max_length=30, required=False)
    date_of_birth = forms.DateField(required=False, widget=DATE)
    capacity_override = forms.CharField(
        label="Reason to admit over capacity",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the track is full. Kept in the inquiry's history and audited.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        tracks: list[Track],
        staff: list[tuple[User, str]],
        documents: list[ConsentDocument],
        needs_record: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        track_field = self.fields["track"]
        assert isinstance(track_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        track_field.queryset = Track.objects.filter(pk__in=[t.pk for t in tracks])
        choices = [(u.pk, u.get_full_name() or u.username) for u, _ in staff]
        primary = self.fields["primary"]
        others = self.fields["others"]
        assert isinstance(primary, forms.TypedChoiceField)  # noqa: S101 - declared above
        assert isinstance(others, forms.TypedMultipleChoiceField)  # noqa: S101
        primary.choices = [("", "Choose…"), *choices]
        others.choices = choices
        self.documents = documents
        if needs_record:
            self.fields["mrn"].required = True
            self.fields["date_of_birth"].required = True
        else:
            del self.fields["mrn"]
            del self.fields["date_of_birth"]
        for document in documents:
            methods: list[tuple[str, str]] = [
                (ConsentMethod.TABLET, "Signed on this tablet"),
                (ConsentMethod.PAPER, "Signed on paper"),
            ]
            if document.may_follow:
                methods.append((ConsentMethod.TO_FOLLOW, "To follow (sign later)"))
            if not document.required:
                methods.append(("", "Not now (optional)"))
            key = document.key
            self.fields[f"consent_{key}"] = forms.ChoiceField(
                label=f"How “{document.title}” is signed",
                choices=methods,
                widget=forms.RadioSelect,
                required=document.required,
                initial=ConsentMethod.TABLET if document.required else "",
            )
            self.fields[f"consent_{key}_name"] = forms.CharField(
                label="Your full name", max_length=150, required=False
            )
            self.fields[f"consent_{key}_agree"] = forms.BooleanField(
                label="I have read and agree", required=False
            )
            self.fields[f"consent_{key}_date"] = forms.DateField(
                label="Date on the paper form", required=False, widget=DATE
            )

    def consent_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "document": d,
                "method": self[f"consent_{d.key}"],
                "name": self[f"consent_{d.key}_name"],
                "agree": self[f"consent_{d.key}_agree"],
                "date": self[f"consent_{d.key}_date"],
            }
            for d in self.documents
        ]


class WaitlistForm(IntakeForm):
    track = forms.ModelChoiceField(queryset=Track.objects.none(), to_field_name="public_id")
    step_down = forms.BooleanField(
        label="Stepping down from a higher level of care (goes before others)", required=False
    )
    mrn = forms.CharField(label="MRN", max_length=30, required=False)
    date_of_birth = forms.DateField(required=False, widget=DATE)

    def __init__(self, data: Any = None, *, tracks: list[Track], needs_record: bool) -> None:
        super().__init__(data)
        track_field = self.fields["track"]
        assert isinstance(track_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        track_field.queryset = Track.objects.filter(pk__in=[t.pk for t in tracks])
        if needs_record:
            self.fields["mrn"].required = True
            self.fields["date_of_birth"].required = True
        else:
            del self.fields["mrn"]
            del self.fields["date_of_birth"]


class MoveForm(IntakeForm):
    position = forms.IntegerField(min_value=1, max_value=9999)
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class OfferForm(IntakeForm):
    offered_start = forms.DateField(label="Start date offered", widget=DATE)


class DeclineForm(IntakeForm):
    leave = forms.BooleanField(label="They leave the waitlist", required=False)
    leave_reason = forms.ChoiceField(
        choices=[("", "—"), *LeaveReason.choices], required=False, label="Why they leave"
    )


class LeaveForm(IntakeForm):
    leave_reason = forms.ChoiceField(choices=LeaveReason.choices, label="Why they leave")


class ConsentDocumentForm(IntakeForm):
    title = forms.CharField(max_length=150)
    summary = forms.CharField(
        label="What the person reads", widget=forms.Textarea(attrs={"rows": 5})
    )
    required = forms.BooleanField(required=False, initial=True, label="Needed at admission")
    may_follow = forms.BooleanField(
        required=False, label="Admission may go ahead with it “to follow”"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="In use")


class NewConsentDocumentForm(IntakeForm):
    key = forms.SlugField(
        label="Short name", max_length=40, help_text="Letters, digits and dashes: group-rules."
    )
    title = forms.CharField(max_length=150)
    summary = forms.CharField(
        label="What the person reads", widget=forms.Textarea(attrs={"rows": 5})
    )
    may_follow = forms.BooleanField(
        required=False, label="Admission may go ahead with it “to follow”"
    )


class SignConsentForm(IntakeForm):
    method = forms.ChoiceField(
        choices=[(ConsentMethod.TABLET, "On this tablet"), (ConsentMethod.PAPER, "On paper")],
        widget=forms.RadioSelect,
        initial=ConsentMethod.TABLET,
    )
    typed_name = forms.CharField(label="Your full name", max_length=150, required=False)
    agreed = forms.BooleanField(label="I have read and agree", required=False)
    signed_on = forms.DateField(label="Date on the paper form", required=False, widget=DATE)


class AdmissionSettingsForm(IntakeForm):
    plan_due_days = forms.IntegerField(
        label="Initial treatment plan due within (days of admission)", min_value=1, max_value=60
    )
    baseline_days = forms.IntegerField(
        label="Screening counts as the admission baseline within (days)",
        min_value=0,
        max_value=60,
        help_text="Questionnaires completed at screening this recently are not asked again.",
    )
