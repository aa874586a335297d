"""The missed-practice sweep as a periodic job: on each organization's own date, idempotent,
safe to run late, and registered with the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import time_machine

from tests.personas import World, build_world, org_today
from trellis.audit.models import Event
from trellis.lib import periodic
from trellis.practice import tasks
from trellis.practice.actions.assignments import AssignmentData, do_assign, do_sweep_missed
from trellis.practice.models.assignments import Assignment, AssignmentStatus
from trellis.practice.tests.helpers import dear_man


def _due_on(world: World, day: date) -> Assignment:
    """An assignment due on `day`, made on that day (the organization's clock)."""
    with time_machine.travel(datetime.combine(day, time(9, 0), world.organization.tz)):
        return do_assign(
            world.clinician,
            world.participant.episodes.get(),
            AssignmentData(
                title="Practise DEAR MAN once",
                starts_on=day,
                due_on=day,
                skill=dear_man(world.organization),
            ),
        )


def _sweep_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return do_sweep_missed()


def test_not_missed_until_the_day_ends_in_the_organizations_zone(world: World) -> None:
    due = org_today() + timedelta(days=3)
    assignment = _due_on(world, due)
    # 10 pm in Chicago on the due day: UTC's date is already the next day.
    evening = datetime.combine(due, time(22, 0), world.organization.tz)
    assert evening.astimezone(UTC).date() == due + timedelta(days=1)
    assert _sweep_at(evening) == 0
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    # Half past midnight in Chicago: the due day has ended.
    after = datetime.combine(due + timedelta(days=1), time(0, 30), world.organization.tz)
    assert _sweep_at(after) == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.MISSED


def test_running_twice_or_late_changes_nothing(world: World) -> None:
    due = org_today() + timedelta(days=3)
    assignment = _due_on(world, due)
    after = datetime.combine(due + timedelta(days=1), time(1, 0), world.organization.tz)
    assert _sweep_at(after) == 1
    assignment.refresh_from_db()
    first = (assignment.status, assignment.status_changed_at)
    events = Event.objects.filter(actor_label="practice.sweep").count()
    assert _sweep_at(after) == 0
    assert _sweep_at(after + timedelta(days=9)) == 0  # late, after a long outage
    assignment.refresh_from_db()
    assert (assignment.status, assignment.status_changed_at) == first
    assert Event.objects.filter(actor_label="practice.sweep").count() == events == 1


def test_each_organization_on_its_own_date(db: None) -> None:
    tokyo = build_world(time_zone="Asia/Tokyo")
    due = org_today() + timedelta(days=3)
    assignment = _due_on(tokyo, due)
    # Noon UTC on the due day is 9 pm in Tokyo (not yet missed) ...
    assert _sweep_at(datetime.combine(due, time(12, 0), UTC)) == 0
    # ... and 3 pm UTC is past midnight there, while Chicago's and UTC's date is still `due`.
    assert _sweep_at(datetime.combine(due, time(15, 30), UTC)) == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.MISSED


def test_the_job_is_registered_and_runs(world: World) -> None:
    job = next(j for j in periodic.registered() if j.name == "practice.missed")
    assert job.task is tasks.mark_missed
    assert job.every <= timedelta(hours=1)
    due = org_today() + timedelta(days=3)
    assignment = _due_on(world, due)
    after = datetime.combine(due + timedelta(days=2), time(8, 0), world.organization.tz)
    with time_machine.travel(after, tick=False):
        result = tasks.mark_missed.enqueue()  # tests run tasks immediately
    assert result.return_value == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.MISSED
