"""An action's ValidationError reaches the person: under the field, on top of the form, or as
a message after a redirect; htmx requests are told apart from page loads."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from trellis.lib.views import (
    add_error_messages,
    apply_validation_error,
    is_htmx,
    posted_revision,
)


class ClosureForm(forms.Form):
    date = forms.DateField()
    reason = forms.CharField()


def bound_form() -> ClosureForm:
    form = ClosureForm({"date": "2026-12-24", "reason": "Holiday"})
    assert form.is_valid()
    return form


def test_a_field_the_form_has_gets_its_messages_under_it() -> None:
    form = bound_form()
    apply_validation_error(form, ValidationError({"date": "The program is closed then."}))
    assert form.errors == {"date": ["The program is closed then."]}


def test_other_keys_become_errors_on_top_of_the_form() -> None:
    form = bound_form()
    apply_validation_error(
        form,
        ValidationError({"__all__": "Only directors may.", "track": "Not your track."}),
    )
    assert form.non_field_errors() == ["Only directors may.", "Not your track."]


def test_an_error_without_fields_is_shown_on_top_of_the_form() -> None:
    form = bound_form()
    apply_validation_error(form, ValidationError(["First.", "Second."]))
    assert form.non_field_errors() == ["First.", "Second."]


def test_every_message_of_a_refusal_becomes_an_error_message() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]  # FallbackStorage needs a session
    storage = FallbackStorage(request)
    request._messages = storage  # type: ignore[attr-defined]  # what MessageMiddleware sets
    add_error_messages(request, ValidationError({"a": ["One.", "Two."], "__all__": "Three."}))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "One."),
        ("error", "Two."),
        ("error", "Three."),
    ]


def test_htmx_requests_are_told_apart_from_page_loads() -> None:
    factory = RequestFactory()
    assert is_htmx(factory.get("/", headers={"HX-Request": "true"}))
    assert not is_htmx(factory.get("/"))


def test_the_posted_revision_is_a_number_or_a_conflict() -> None:
    factory = RequestFactory()
    assert posted_revision(factory.post("/", {"revision": "7"})) == 7
    assert posted_revision(factory.post("/", {"revision": "seven"})) == -1
    assert posted_revision(factory.post("/", {})) == -1
    taking_over = factory.post("/", {"take_over": "9", "revision": "7"})
    assert posted_revision(taking_over, "take_over", "revision") == 9
    assert posted_revision(factory.post("/", {"revision": "7"}), "take_over", "revision") == 7
