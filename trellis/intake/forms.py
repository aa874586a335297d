"""Input shapes of intake's admission and waitlist pages (types, lengths, choices); what
the input means (capacity, dates in order, consents complete) is the actions' job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from trellis.intake.models import ConsentDocument, ConsentMethod, LeaveReason
from trellis.programs.models import ClinicianKind, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"})


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
