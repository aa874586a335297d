"""Input shapes of the set-up pages: sites, rooms and tracks. Meaning (duplicate names,
hours in order, rooms still in use) is the actions' job."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

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
