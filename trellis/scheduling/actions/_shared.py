"""Helpers the scheduling actions share: today in the program, materialized occurrences,
override details."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.programs.models import Program
from trellis.scheduling import changes
from trellis.scheduling import conflicts as conflict_checks
from trellis.scheduling.models import (
    Occurrence,
)
from trellis.scheduling.queries import Slot

if TYPE_CHECKING:
    from trellis.accounts.models import User


MAX_TOPICS = 52
HTTPS_ONLY = "Use an https:// link from your video service (other kinds of link are refused)."


def program_today(program: Program) -> date:
    return program.organization.today()


def _override_detail(found: list[conflict_checks.Conflict], reason: str) -> dict[str, Any]:
    if not found:
        return {}
    # Scheduling override reasons are operational ("room 3 is being painted"), kept in the
    # trail so a reviewer sees why a double booking was allowed.
    return {"conflicts": sorted({c.kind for c in found}), "override_reason": reason.strip()[:200]}


def _materialize(slot: Slot) -> Occurrence:
    """The occurrence's row, locked for this transaction (created on first exception)."""
    row, _ = Occurrence.objects.get_or_create(series=slot.series, original_date=slot.original_date)
    locked = Occurrence.objects.select_for_update().get(pk=row.pk)
    slot.row = locked
    return locked


def _occurrence_event(
    actor: User | None, slot: Slot, change: str, detail: dict[str, Any] | None = None
) -> None:
    record(
        actor,
        Action.UPDATE,
        object_type="scheduling.occurrence",
        object_id=slot.key,
        detail={"change": change, **(detail or {})},
    )


def _announce(
    kind: str, program: Program, before: changes.Snapshot, after: changes.Snapshot
) -> None:
    """Email everyone the change affects, once the transaction commits (one message each)."""
    found = changes.notices(before, after)
    if not found:
        return
    data = changes.payload(kind, program.organization.time_zone, found)
    from trellis.scheduling.tasks import send_schedule_change

    transaction.on_commit(lambda: send_schedule_change.enqueue(data))
