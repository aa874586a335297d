"""The periodic sweeps that feed the worklist: idempotent, and closing what has cleared."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.personas import PASSWORD, World
from trellis.lib.periodic import registered
from trellis.meetings import sweeps
from trellis.meetings.models import Meeting
from trellis.notes.actions import do_cosign_note, do_sign_note
from trellis.notes.tests.factory import written_note
from trellis.plans.actions import check_sign_plan, do_request_plan_review, do_start_revision
from trellis.plans.tests.factory import signed_plan
from trellis.worklist.models import Alert, AlertKind, AlertStatus

from .factory import weekly


def test_the_sweeps_are_registered_with_the_clock() -> None:
    names = {job.name for job in registered()}
    assert {
        "meetings.materialize",
        "meetings.attendance",
        "meetings.plan_reviews",
        "meetings.notes",
    } <= names


def test_attendance_alerts_once_per_week(world: World) -> None:
    sweeps.raise_attendance_alerts()
    sweeps.raise_attendance_alerts()
    below = Alert.objects.filter(participant=world.participant, kind=AlertKind.BELOW_MINIMUM_HOURS)
    assert below.count() == 1
    assert below.get().owner == world.clinician
    assert "Below minimum last week" in below.get().detail


def test_plan_review_due_becomes_a_task_and_closes_when_reviewed(world: World) -> None:
    episode = world.participant.episodes.get()
    signed_plan(world.clinician, episode, PASSWORD)
    sweeps.raise_plan_review_tasks()
    assert not Alert.objects.filter(kind=AlertKind.PLAN_REVIEW_DUE).exists()  # 30 days out
    do_request_plan_review(episode, "team meeting")
    sweeps.raise_plan_review_tasks()
    sweeps.raise_plan_review_tasks()
    task = Alert.objects.get(kind=AlertKind.PLAN_REVIEW_DUE)
    assert task.owner == world.clinician
    assert task.status == AlertStatus.OPEN
    # Signing the revised plan moves the review 30 days on: the task closes itself.
    draft = do_start_revision(world.clinician, episode.plan)
    check_sign_plan(
        world.clinician, draft, typed_name=world.clinician.name, password=PASSWORD, revision=1
    )
    sweeps.raise_plan_review_tasks()
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED


def test_notes_awaiting_cosign_and_unsigned_after_a_day(world: World) -> None:
    episode = world.participant.episodes.get()
    late = written_note(world.clinician, episode, start=timezone.now() - timedelta(days=2, hours=1))
    sweeps.raise_note_tasks()
    unsigned = Alert.objects.get(kind=AlertKind.NOTE_UNSIGNED)
    assert unsigned.owner == world.clinician
    assert "Progress note" in unsigned.title
    assert "panic" not in unsigned.title
    recent = written_note(world.clinician, episode)
    do_sign_note(world.clinician, recent, cosigner=world.director)
    sweeps.raise_note_tasks()
    sweeps.raise_note_tasks()
    cosign = Alert.objects.get(kind=AlertKind.NOTE_AWAITING_COSIGN)
    assert cosign.owner == world.director
    assert Alert.objects.filter(kind=AlertKind.NOTE_UNSIGNED).count() == 1
    do_sign_note(world.clinician, late)
    recent.refresh_from_db()
    do_cosign_note(world.director, recent)
    sweeps.raise_note_tasks()
    cosign.refresh_from_db()
    unsigned.refresh_from_db()
    assert cosign.status == unsigned.status == AlertStatus.RESOLVED


def test_meetings_are_materialized_four_weeks_ahead_once(world: World) -> None:
    series = weekly(world)
    assert Meeting.objects.filter(series=series).count() == 4
    assert sweeps.materialize_all() == 0
    dates = list(Meeting.objects.filter(series=series).values_list("date", flat=True))
    assert all(d.weekday() == series.weekday for d in dates)
