"""Small helpers every app's views share: htmx requests and an action's ValidationError."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """The request came from htmx (it answers with a fragment rather than a page)."""
    return bool(request.headers.get("HX-Request"))


def posted_revision(request: HttpRequest, *fields: str) -> int:
    """The revision a form was loaded at (optimistic concurrency): the first of `fields`
    (default "revision") that was posted. Missing or not a number gives -1, which matches no
    revision, so the action answers with a conflict rather than the page with a 500."""
    raw = next((request.POST[f] for f in fields or ("revision",) if request.POST.get(f)), "")
    try:
        return int(raw)
    except ValueError:
        return -1


def apply_validation_error(form: BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form that fed it.

    `check_*` actions raise `{field: message}` dicts: a field the form has gets its messages
    under it; any other key (`__all__`, a field the form does not show) and an error without
    fields become non-field errors, so no message is ever lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def add_error_messages(request: HttpRequest, error: ValidationError) -> None:
    """Each message of an action's ValidationError as an error message on the next page
    (for views that redirect after a refused change)."""
    for text in error.messages:
        messages.error(request, text)
