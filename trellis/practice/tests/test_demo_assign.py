"""The demo's practice (practice/demo_assign.py): twelve weeks of batches from past group
sessions with entries by habit, consistent with the record, and alive for the portal
participant. The demo is seeded once for the module (on a fixed day) and rolled back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from pytest_django import DjangoDbBlocker

from trellis.audit.models import Event
from trellis.demo.cast import PORTAL_USERNAME
from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    PracticeEntry,
)

TODAY = date(2026, 3, 5)  # a Thursday


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO()
        )
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_batches_from_past_sessions_with_every_status() -> None:
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert statuses[AssignmentStatus.DONE] > 20
    assert statuses[AssignmentStatus.MISSED] > 10
    assert sum(statuses[s] for s in OPEN_ASSIGNMENT_STATUSES) > 0
    assert not Assignment.objects.filter(Q(occurrence__isnull=True) | Q(batch__isnull=True))
    assert not Assignment.objects.filter(starts_on__lt=TODAY - timedelta(weeks=12)).exists()
    assert not Assignment.objects.filter(starts_on__lt=F("episode__admitted_on")).exists()
    # The sweep ran on the demo's day: nothing open is past due.
    assert not Assignment.objects.filter(
        status__in=OPEN_ASSIGNMENT_STATUSES, due_on__lt=TODAY
    ).exists()
    # Through the actions: every assignment and entry has its audit event.
    assert Event.objects.filter(object_type="practice.assignment").count() >= (
        Assignment.objects.count()
    )


def test_adherence_is_realistic_some_faithful_some_not() -> None:
    per_person = Assignment.objects.values("episode").annotate(
        done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        missed=Count("pk", filter=Q(status=AssignmentStatus.MISSED)),
    )
    faithful = [p for p in per_person if p["done"] >= 2 and p["missed"] == 0]
    lapsed = [p for p in per_person if p["missed"] >= 2 and p["done"] == 0]
    assert faithful
    assert lapsed


def test_entries_fall_inside_their_assignment_and_never_after_the_demos_day() -> None:
    entries = PracticeEntry.objects.all()
    assert entries.count() > 50
    assert not entries.filter(practiced_on__lt=F("assignment__starts_on")).exists()
    assert not entries.filter(practiced_on__gt=TODAY).exists()
    assert not entries.filter(episode__admitted_on__gt=F("practiced_on")).exists()
    assert entries.filter(late_entered=True).exists()
    assert entries.filter(late_entered=False).exists()


def test_the_portal_participant_has_open_practice_and_history() -> None:
    own = Assignment.objects.filter(participant__user__username=PORTAL_USERNAME)
    assert own.filter(status__in=OPEN_ASSIGNMENT_STATUSES, due_on__gte=TODAY).exists()
    assert own.filter(status=AssignmentStatus.DONE).exists()
    assert PracticeEntry.objects.filter(
        participant__user__username=PORTAL_USERNAME, entered_by__username=PORTAL_USERNAME
    ).exists()
