"""The audit report and its CSV export, for compliance officers.

Both are recorded in the trail themselves: who reviewed the trail, with which filters, is part
of the accounting a compliance review asks for.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Event, Purpose
from trellis.audit.trail import record
from trellis.compliance.forms import AuditFilterForm
from trellis.compliance.queries import (
    SORT_FIELDS,
    AuditFilters,
    audit_events,
    staff_choices,
    viewer_of,
)
from trellis.privacy.access import SELF
from trellis.privacy.decorators import staff_required
from trellis.programs.models import ClinicianKind, Role

PAGE_SIZE = 50

COLUMN_LABELS: dict[str, str] = {
    "time": "Time",
    "actor": "User",
    "role": "Role",
    "action": "Action",
    "participant": "Participant",
    "object_type": "Object type",
    "object_id": "Object id",
    "outcome": "Outcome",
    "purpose": "Purpose",
    "client_addr": "Client address",
}

CSV_HEADER = [
    "id", "occurred_at_utc", "actor_id", "actor_label", "actor_name", "role", "action",
    "participant_id", "participant_mrn", "participant_name", "object_type", "object_id",
    "outcome", "purpose", "client_addr", "detail", "prev_hash", "hash",
]  # fmt: skip

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); usernames, object ids and details can be chosen by whoever caused the event.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@never_cache
@staff_required(Role.COMPLIANCE_OFFICER)
def audit_report(request: AuthedRequest) -> HttpResponse:
    viewer = viewer_of(request.user)
    form = AuditFilterForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "zone": viewer.zone.key,
        "staff": staff_choices(viewer),
    }
    if not form.is_valid():
        with timezone.override(viewer.zone):
            return render(request, "compliance/audit_report.html", context, status=400)
    filters = form.filters()
    paginator = Paginator(audit_events(viewer, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Read the page before recording this view, so the new event does not list itself.
    events = list(page.object_list)
    record(
        request.user,
        Action.LIST,
        object_type="audit.event",
        purpose=Purpose.COMPL,
        role=Role.COMPLIANCE_OFFICER,
        detail={**filters.as_detail(), "page": page.number, "results": paginator.count},
    )
    context |= {
        "page": page,
        "rows": [_Row(event) for event in events],
        "columns": _columns(request.GET, filters.sort),
        "filtered": _is_filtered(filters),
        "query": _query_without(request.GET, "page"),
    }
    with timezone.override(viewer.zone):
        return render(request, "compliance/audit_report.html", context)


@never_cache
@staff_required(Role.COMPLIANCE_OFFICER)
def audit_export_csv(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    viewer = viewer_of(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        problems = "\n".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in form.errors.items()
        )
        return HttpResponse(
            f"The export was not made. Fix these filters:\n{problems}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    # Recorded before the first row leaves: a download cut short was still a disclosure.
    record(
        request.user,
        Action.EXPORT,
        object_type="audit.event",
        purpose=Purpose.COMPL,
        role=Role.COMPLIANCE_OFFICER,
        detail={**filters.as_detail(), "format": "csv"},
    )
    events = audit_events(viewer, filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    today = timezone.localdate(timezone=viewer.zone).isoformat()
    response["Content-Disposition"] = f'attachment; filename="trellis-audit-{today}.csv"'
    return response


# Every role an event records, in words: the staff roles, plus the grounds an access function
# records when no staff role opened the object (worklist.access, notes.access, privacy.access).
ROLE_LABELS: dict[str, str] = {
    **dict(Role.choices),
    **dict(ClinicianKind.choices),
    SELF: "Participant (own record)",
    "alert_recipient": "Alert recipient",
    "supervisor": "Clinical supervisor",
}
NO_ROLE = "—"  # system work, sign-ins, settings: nobody acted in a role


def role_label(code: str) -> str:
    """The words for a recorded role; a code without a label still reads as words."""
    if not code:
        return NO_ROLE
    return ROLE_LABELS.get(code, code.replace("_", " ").capitalize())


class _Row:
    """One event as the report shows it."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.role = role_label(event.role)
        self.detail = (
            json.dumps(event.detail, sort_keys=True, ensure_ascii=False) if event.detail else ""
        )


def _columns(params: QueryDict, sort: str) -> list[dict[str, str]]:
    """Header cells: the link that sorts by the column (reversing it if it is the current
    sort) and the aria-sort value of the current one."""
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key in SORT_FIELDS:
        query = params.copy()
        query.pop("page", None)
        if key == current:
            query["sort"] = key if descending else f"-{key}"
            aria_sort = "descending" if descending else "ascending"
        else:
            query["sort"] = key
            aria_sort = ""
        columns.append(
            {
                "key": key,
                "label": COLUMN_LABELS[key],
                "query": query.urlencode(),
                "aria_sort": aria_sort,
            }
        )
    return columns


def _query_without(params: QueryDict, name: str) -> str:
    query = params.copy()
    query.pop(name, None)
    return query.urlencode()


def _is_filtered(filters: AuditFilters) -> bool:
    detail = filters.as_detail()
    detail.pop("sort")
    return any(detail.values())


class _Echo:
    """A file-like object that hands back what is written: csv.writer then yields lines."""

    def write(self, value: str) -> str:
        return value


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def _csv_row(event: Event) -> list[str]:
    participant = event.participant
    actor = event.actor
    cells: list[object] = [
        event.pk,
        event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event.actor_id,
        event.actor_label,
        actor.name if actor else "",
        event.role,
        event.action,
        event.participant_id,
        participant.mrn if participant else "",
        participant.legal_name if participant else "",
        event.object_type,
        event.object_id,
        event.outcome,
        event.purpose,
        event.client_addr,
        json.dumps(event.detail, sort_keys=True, ensure_ascii=False),
        event.prev_hash,
        event.hash,
    ]
    return [_safe(cell) for cell in cells]


def _csv_lines(events: Iterable[Event]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events:
        yield writer.writerow(_csv_row(event))
