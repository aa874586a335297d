"""The clock enqueues each periodic job once per interval, across ticks and processes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from trellis.lib import periodic
from trellis.lib.models import PeriodicJob

RUNS: list[str] = []


@task
def sweep() -> None:
    RUNS.append("swept")


@pytest.fixture
def registered_sweep() -> Iterator[None]:
    RUNS.clear()
    periodic.register("test.sweep", sweep, every=timedelta(minutes=15))
    yield
    periodic.unregister("test.sweep")


@pytest.mark.django_db
@pytest.mark.usefixtures("registered_sweep")
def test_a_job_runs_once_per_interval() -> None:
    start = timezone.now()
    assert "test.sweep" in periodic.enqueue_due(start)
    assert "test.sweep" not in periodic.enqueue_due(start + timedelta(minutes=5))
    assert "test.sweep" in periodic.enqueue_due(start + timedelta(minutes=16))
    assert RUNS == ["swept", "swept"]
    assert PeriodicJob.objects.get(name="test.sweep").last_enqueued_at == start + timedelta(
        minutes=16
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("registered_sweep")
def test_run_clock_once_enqueues_due_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("run_clock", "--once")
    assert "enqueued test.sweep" in capsys.readouterr().out
    assert RUNS == ["swept"]
