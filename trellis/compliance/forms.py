"""Filters of the audit report and export (a GET form: every value comes from the address)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from trellis.audit.models import Action, Outcome
from trellis.compliance.queries import DEFAULT_SORT, SORT_FIELDS, AuditFilters

# Far-off dates would overflow once converted from local time to UTC (year 1 or 9999):
# keep them to a range that converts safely and still covers any real trail.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
DATE_RANGE_MESSAGE = f"Enter a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, e.g. 2026-03-31."},
        validators=[
            MinValueValidator(EARLIEST, DATE_RANGE_MESSAGE),
            MaxValueValidator(LATEST, DATE_RANGE_MESSAGE),
        ],
    )


class AuditFilterForm(forms.Form):
    date_from = _date_field("From")
    date_to = _date_field("To")
    user = forms.CharField(
        label="User",
        required=False,
        max_length=150,
        help_text="Sign-in name: choose from the list or type it",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "list": "audit-users"}
        ),
    )
    mrn = forms.CharField(
        label="Participant MRN",
        required=False,
        max_length=30,
        help_text="Medical record number, in any case",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *Outcome.choices]
    )
    # Sort comes from column links rather than from a person typing: an unknown value falls
    # back to the default instead of failing the page.
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        sort: str = self.cleaned_data.get("sort") or ""
        return sort if sort.removeprefix("-") in SORT_FIELDS else DEFAULT_SORT

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> AuditFilters:
        """The validated filters; call after is_valid() returned True."""
        data = self.cleaned_data
        return AuditFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            username=data["user"],
            mrn=data["mrn"],
            action=data["action"],
            outcome=data["outcome"],
            sort=data["sort"],
        )
