from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from trellis.lib.languages import language_choices
from trellis.participants.actions import ContactDetails, ParticipantDetails
from trellis.participants.actions.details import CONTACT_FIELDS
from trellis.participants.models import (
    OPEN_STATUSES,
    EpisodeStatus,
    GuardianKind,
    GuardianRelationship,
)
from trellis.programs.models import Program, Track

DETAIL_FIELDS = [
    "mrn", "given_name", "family_name", "preferred_name", "pronouns", "date_of_birth",
    "email", "phone", "address_line1", "address_line2", "city", "state", "postal_code",
    "emergency_contact_name", "emergency_contact_relationship", "emergency_contact_phone",
    "language",
]  # fmt: skip


def _track_label(track: Track) -> str:
    return f"{track.program.name} — {track.name}"


class DateInput(forms.DateInput):
    input_type = "date"


class ParticipantForm(forms.Form):
    """Register a participant and, optionally, open their first episode."""

    mrn = forms.CharField(
        label="MRN",
        max_length=30,
        required=False,
        help_text="Medical record number. Leave empty to assign the organization's next one.",
    )
    given_name = forms.CharField(label="Legal given name", max_length=100)
    family_name = forms.CharField(label="Legal family name", max_length=100)
    preferred_name = forms.CharField(max_length=100, required=False)
    pronouns = forms.CharField(max_length=40, required=False, help_text="e.g. she/her, they/them")
    date_of_birth = forms.DateField(widget=DateInput)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(max_length=2, required=False, help_text="Two letters, e.g. OR")
    postal_code = forms.CharField(max_length=10, required=False)
    emergency_contact_name = forms.CharField(max_length=150, required=False)
    emergency_contact_relationship = forms.CharField(max_length=60, required=False)
    emergency_contact_phone = forms.CharField(max_length=30, required=False)
    language = forms.ChoiceField(label="Preferred language", choices=language_choices, initial="en")
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text="Leave empty to register without enrolling yet.",
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(), required=False, to_field_name="public_id"
    )
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in EpisodeStatus if s in OPEN_STATUSES],
        initial=EpisodeStatus.PLANNED,
    )
    admitted_on = forms.DateField(label="Admission date", required=False, widget=DateInput)

    def __init__(self, programs: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program_field = self.fields["program"]
        track_field = self.fields["track"]
        if not isinstance(program_field, forms.ModelChoiceField) or not isinstance(
            track_field, forms.ModelChoiceField
        ):
            raise TypeError("program and track are model choice fields")
        program_field.queryset = programs
        track_field.queryset = Track.objects.filter(program__in=programs, is_active=True)
        track_field.label_from_instance = _track_label  # type: ignore[method-assign,assignment]

    def details(self) -> ParticipantDetails:
        text = {
            name: str(self.cleaned_data.get(name) or "")
            for name in DETAIL_FIELDS
            if name != "date_of_birth"
        }
        dob = self.cleaned_data["date_of_birth"]
        if not isinstance(dob, date):
            raise ValidationError({"date_of_birth": "Enter a valid date."})
        return ParticipantDetails(date_of_birth=dob, **text)


class ContactForm(forms.Form):
    """Contact details anyone who keeps the record current may correct."""

    preferred_name = forms.CharField(max_length=100, required=False)
    pronouns = forms.CharField(max_length=40, required=False, help_text="e.g. she/her, they/them")
    language = forms.ChoiceField(label="Preferred language")
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(max_length=2, required=False, help_text="Two letters, e.g. OR")
    postal_code = forms.CharField(max_length=10, required=False)
    emergency_contact_name = forms.CharField(max_length=150, required=False)
    emergency_contact_relationship = forms.CharField(max_length=60, required=False)
    emergency_contact_phone = forms.CharField(max_length=30, required=False)

    def __init__(self, current_language: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = language_choices(current_language)

    def details(self) -> ContactDetails:
        return ContactDetails(**{n: str(self.cleaned_data.get(n) or "") for n in CONTACT_FIELDS})


class IdentityForm(forms.Form):
    """The legal identity: corrected with a reason, by directors and intake."""

    given_name = forms.CharField(label="Legal given name", max_length=100)
    family_name = forms.CharField(label="Legal family name", max_length=100)
    date_of_birth = forms.DateField(widget=DateInput)
    mrn = forms.CharField(
        label="MRN",
        max_length=30,
        required=False,
        help_text="Leave empty to assign the organization's next number.",
    )
    reason = forms.CharField(
        label="Reason for the correction",
        max_length=1000,
        help_text="e.g. legal name change, typo at registration. Kept with the record.",
    )


class InviteForm(forms.Form):
    """Where the portal invitation goes: an email address, a mobile number, or both."""

    email = forms.CharField(
        label="Email", max_length=254, required=False, widget=forms.EmailInput()
    )
    phone = forms.CharField(
        label="Mobile number (text message)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class AcceptInvitationForm(forms.Form):
    """The invitee's username (when they have none yet) and password, typed twice. The
    password validators run in the action, against the person's name and username."""

    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("You sign in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        max_length=4096,
        help_text=gettext_lazy("At least 12 characters. A few unrelated words work well."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, needs_username: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_username:
            del self.fields["username"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext_lazy("The two passwords differ: type it again."))
        return data


class GuardianInviteForm(forms.Form):
    """A guardian's invitation (the chart's Portal account tab, "Guardians")."""

    name = forms.CharField(label="Guardian's name", max_length=150)
    relationship = forms.ChoiceField(
        label="Relationship",
        choices=[("", "Choose…"), *GuardianRelationship.choices],
    )
    email = forms.CharField(
        label="Guardian's email", max_length=254, required=False, widget=forms.EmailInput()
    )
    phone = forms.CharField(
        label="Guardian's mobile number (text message)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label="Guardian's language", choices=[("en", "English"), ("es", "Español")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "guardian")
        super().__init__(*args, **kwargs)


class GuardianPolicyForm(forms.Form):
    """What the program's guardians see (the program's set-up)."""

    kinds = forms.MultipleChoiceField(
        label="Guardians see",
        choices=GuardianKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
