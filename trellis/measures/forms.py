"""Input of check-in pages: answers from a posted form, and the tablet hand-back form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from trellis.lib.ids import parse_public_id
from trellis.measures.scoring import Instrument

KEY_FIELD = "submission_key"


def answers_from_post(instrument: Instrument, data: QueryDict) -> dict[str, str]:
    """Answers for the instrument's items only; other fields are ignored, not stored."""
    return {
        item.link_id: str(data.get(item.link_id))
        for item in instrument.items
        if data.get(item.link_id)
    }


def submission_key(data: QueryDict) -> str | None:
    """The form's one-time key (a UUID): two posts of one form store one response."""
    key = parse_public_id(data.get(KEY_FIELD))
    return str(key) if key else None


def form_items(
    instrument: Instrument, answers: dict[str, str], errors: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "number": n + 1,
            "chosen": answers.get(item.link_id, ""),
            "error": errors.get(item.link_id, ""),
        }
        for n, item in enumerate(instrument.items)
    ]


class HandBackForm(forms.Form):
    password = forms.CharField(
        label="Staff password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class StartCheckinForm(forms.Form):
    instrument = forms.ChoiceField(label="Instrument")

    def __init__(self, codes: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = [(c, c) for c in codes]
