"""The search form (GET): where, how far, and the filter groups' codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.directory import geo
from trellis.directory.queries import MAX_MILES, MIN_MILES
from trellis.finder.filters import FILTER_GROUPS, Option

RADIUS_CHOICES = [(5, "5"), (10, "10"), (25, "25"), (50, "50"), (100, "100")]


class SearchForm(forms.Form):
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    miles = forms.TypedChoiceField(
        label=_("Within (miles)"), choices=RADIUS_CHOICES, coerce=int, initial=25, required=False
    )
    # "Use my location": the browser's position, sent with the search and never stored.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args: Any, options: dict[str, list[Option]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in FILTER_GROUPS:
            self.fields[group.key] = forms.MultipleChoiceField(
                label=group.label,
                required=False,
                choices=[(o.code, o.name) for o in options.get(group.key, [])],
            )

    def clean_zip(self) -> str:
        text = "".join(ch for ch in self.cleaned_data.get("zip", "") if not ch.isspace())
        if not text:
            return ""
        code = text.split("-")[0]
        if not (len(code) == 5 and code.isdigit()):
            raise forms.ValidationError(_("Enter a five-digit ZIP code, such as 02903."))
        if geo.zip_place(code) is None:
            raise forms.ValidationError(
                _("%(zip)s is not a ZIP code we know. Check it, or try a nearby one."),
                params={"zip": code},
            )
        return code

    def clean_miles(self) -> int:
        miles = self.cleaned_data.get("miles") or 25
        if not MIN_MILES <= miles <= MAX_MILES:
            raise forms.ValidationError(_("Choose a distance from the list."))
        return int(miles)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "lat" in self.errors or "lon" in self.errors:
            # Hidden fields: their own messages would show nowhere.
            raise forms.ValidationError(
                _("Your location could not be used. Enter your ZIP code instead.")
            )
        has_point = data.get("lat") is not None and data.get("lon") is not None
        if not data.get("zip") and not has_point and not self.errors:
            raise forms.ValidationError(_("Enter your ZIP code, or use your location."))
        return data

    def point(self) -> tuple[float, float, str]:
        """The search's centre and how to name it."""
        data = self.cleaned_data
        if data.get("zip"):
            place = geo.zip_place(data["zip"])
            if place is None:  # clean_zip checked it
                raise ValueError(data["zip"])
            return place.latitude, place.longitude, f"{place.zip} ({place.city}, {place.state})"
        return data["lat"], data["lon"], str(_("your location"))
