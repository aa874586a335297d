"""Input shapes of the set-up pages: sites, rooms and tracks. Meaning (duplicate names,
hours in order, rooms still in use) is the actions' job."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from trellis.accounts.models import User
from trellis.lib.choices import Weekday
from trellis.programs.models import Delivery, Organization


class SiteForm(forms.Form):
    name = forms.CharField(max_length=200)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address (line 2)", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(
        max_length=2, required=False, help_text="Two letters, e.g. IL", label="State"
    )
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)


class NewSiteForm(SiteForm):
    """A new site, in one of the organizations the user administers (hidden when one)."""

    organization = forms.ChoiceField(choices=())

    def __init__(self, organizations: list[Organization], data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.organizations = {str(o.public_id): o for o in organizations}
        field = self.fields["organization"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(key, o.name) for key, o in self.organizations.items()]
        if len(organizations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = next(iter(self.organizations))


class RoomForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="As people say it: Room 2, Group room A")
    capacity = forms.IntegerField(
        min_value=1, max_value=500, help_text="Most people the room seats for a group"
    )


class TrackForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. Day, Evening, Weekend, After-school")
    delivery = forms.ChoiceField(choices=Delivery.choices)
    capacity = forms.IntegerField(
        min_value=1, max_value=500, help_text="Most people enrolled in the track at once"
    )
    day_starts_at = forms.TimeField(
        label="Day starts",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="The program's local time",
    )
    day_ends_at = forms.TimeField(
        label="Day ends",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label="Open for enrolment",
        required=False,
        initial=True,
        help_text="A closed track keeps its people and history but takes no new enrolments",
    )


class CredentialForm(forms.Form):
    kind = forms.CharField(
        label="Credential", max_length=20, help_text="Abbreviation: LCSW, LPC, LMFT, MD, CADC…"
    )
    licence_number = forms.CharField(label="Licence number", max_length=40, required=False)
    state = forms.CharField(max_length=2, required=False, help_text="Two letters, e.g. IL")
    expires_on = forms.DateField(
        label="Expires on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SupervisorForm(forms.Form):
    is_trainee = forms.BooleanField(
        label="Trainee or associate-level: notes need a supervisor's co-signature",
        required=False,
    )
    supervisor = forms.ChoiceField(label="Supervisor", required=False, choices=())

    def __init__(
        self,
        candidates: list[User],
        data: QueryDict | None = None,
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.candidates = {str(u.public_id): u for u in candidates}
        field = self.fields["supervisor"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "No supervisor")] + [
                (key, u.name) for key, u in self.candidates.items()
            ]

    def chosen(self) -> User | None:
        return self.candidates.get(self.cleaned_data.get("supervisor") or "")
