"""Every change made in the admin (/admin/) goes into the audit trail: the base classes.

Django's own admin log (`django_admin_log`) is an ordinary, editable table. Every ModelAdmin
in Trellis derives from `AuditedModelAdmin` (or mixes in `AuditedAdminMixin`), which records
an audit event next to each admin log entry: additions, changes (inline rows included, and
passwords set by an administrator) and deletions, in the transaction of the change itself.
`tests/test_admin_audit.py` fails when a registered admin does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record

if TYPE_CHECKING:
    from trellis.accounts.models import User


def _change_summary(message: Any) -> list[dict[str, Any]]:
    """The admin's structured change message, kept to model and field names: the `object`
    strings it also carries are names of people and things, which the trail does not need."""
    if not isinstance(message, list):
        return []
    summary: list[dict[str, Any]] = []
    for entry in message:
        if not isinstance(entry, dict):
            continue
        for kind, change in entry.items():
            kept = {key: change[key] for key in ("name", "fields") if key in change}
            summary.append({kind: kept})
    return summary


def admin_actor(request: HttpRequest) -> User | None:
    """The signed-in user behind an admin request (audit sits below accounts: no import)."""
    return request.user if request.user.is_authenticated else None


class AuditedAdminMixin:
    """Records an audit event wherever the admin writes its own log entry."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]  # the ModelAdmin this is mixed into
        record(
            admin_actor(request),
            Action.CREATE,
            obj=obj,
            purpose=Purpose.HSYSADMIN,
            detail={"via": "admin", "changes": _change_summary(message)},
        )
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]  # as above
        record(
            admin_actor(request),
            Action.UPDATE,
            obj=obj,
            purpose=Purpose.HSYSADMIN,
            detail={"via": "admin", "changes": _change_summary(message)},
        )
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]) -> Any:
        # Called before the rows go, so their ids are still there to record.
        objects = list(queryset)
        entries = super().log_deletions(request, objects)  # type: ignore[misc]  # as above
        for obj in objects:
            record(
                admin_actor(request),
                Action.DELETE,
                obj=obj,
                purpose=Purpose.HSYSADMIN,
                detail={"via": "admin"},
            )
        return entries

    @transaction.atomic
    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The bulk "delete selected" action logs, then deletes, outside the transaction the
        # admin opens for its other writes: one transaction keeps the deletion and its audit
        # events together.
        response: HttpResponse = super().changelist_view(request, extra_context)  # type: ignore[misc]  # as above
        return response


class AuditedModelAdmin[M: models.Model](AuditedAdminMixin, admin.ModelAdmin[M]):
    """The base of every ModelAdmin in Trellis."""
