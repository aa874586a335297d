"""Audit events cannot be changed or removed: by the model, the queryset, or raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.personas import World
from trellis.audit.models import Action, Event
from trellis.audit.tests.tamper import raw_delete, raw_update
from trellis.audit.trail import record


@pytest.fixture
def event(world: World) -> Event:
    return record(world.clinician, Action.VIEW, participant=world.participant)


def test_saving_an_existing_event_is_refused(event: Event) -> None:
    event.object_id = "changed"
    with pytest.raises(PermissionError, match="append-only"):
        event.save()


def test_deleting_an_event_is_refused(event: Event) -> None:
    with pytest.raises(PermissionError, match="append-only"):
        event.delete()


def test_queryset_update_is_refused(event: Event) -> None:
    with pytest.raises(PermissionError, match="append-only"):
        Event.objects.filter(pk=event.pk).update(object_id="changed")


def test_bulk_update_is_refused(event: Event) -> None:
    event.object_id = "changed"
    with pytest.raises(PermissionError, match="append-only"):
        Event.objects.bulk_update([event], ["object_id"])


def test_queryset_delete_is_refused(event: Event) -> None:
    with pytest.raises(PermissionError, match="append-only"):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError, match="append-only"):
        Event.objects.all().delete()


def test_raw_sql_update_is_refused_by_the_database_trigger(event: Event) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_update(event.pk, object_id="changed")
    event.refresh_from_db()
    assert event.object_id != "changed"


def test_raw_sql_delete_is_refused_by_the_database_trigger(event: Event) -> None:
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has no delete trigger by design: the test runner empties tables with "
            "DELETE (see migration 0002). audit_verify detects deletions instead: "
            "test_verify.py covers that on every database."
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_delete(event.pk)
    assert Event.objects.filter(pk=event.pk).exists()
