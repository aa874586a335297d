"""What an attacker with database access would do, for tests that prove it is detected."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock

from django.db import connection

from trellis.accounts.models import User
from trellis.audit.models import Action, ChainHead, Event
from trellis.audit.trail import record


def disable_append_only_trigger() -> None:
    """Take the database trigger out of the way (undone by the test's rollback)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while the test's deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")


def raw_update(event_id: int, **columns: str) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_event SET {assignments} WHERE id = %s",  # noqa: S608  # names are ours
            [*columns.values(), event_id],
        )


def raw_delete(event_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [event_id])


def rewrite_chain_from(event_id: int, **columns: str) -> None:
    """Alter one event, then recompute every hash after it and the chain head: a rewrite
    that leaves no broken link behind."""
    raw_update(event_id, **columns)
    events = list(Event.objects.filter(id__gte=event_id).order_by("id"))
    previous = Event.objects.filter(id__lt=event_id).order_by("-id").first()
    prev_hash = previous.hash if previous else events[0].prev_hash
    for event in events:
        event.prev_hash = prev_hash
        new_hash = event.compute_hash()
        raw_update(event.pk, prev_hash=prev_hash, hash=new_hash)
        prev_hash = new_hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev_hash)


def record_at(when: datetime, actor: User | None, action: str = Action.VIEW, **kw: Any) -> Event:
    """Record an event as if it happened at `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return record(actor, action, **kw)
