"""Periodic background jobs: a registry, and the clock that enqueues them when due.

Django's task framework runs tasks but has no schedule. Apps register idempotent sweeps
("send tomorrow's reminders that were not sent yet", "escalate overdue alerts") here from
their plugins.py (docs/architecture.md); `manage.py run_clock` enqueues each one every `every`, and
`manage.py db_worker` runs them. Sweeps must be safe to run twice or late: the clock
promises "at least once, roughly on time", and a worker restart loses nothing because the
state lives in the database, not in the task.

    from trellis.lib.periodic import register
    register("scheduling.reminders", send_due_reminders, every=timedelta(minutes=15))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from trellis.lib.models import PeriodicJob


class Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Enqueueable
    every: timedelta


_JOBS: dict[str, Periodic] = {}


def register(name: str, task: Enqueueable, *, every: timedelta) -> None:
    _JOBS[name] = Periodic(name, task, every)


def unregister(name: str) -> None:
    _JOBS.pop(name, None)


def registered() -> list[Periodic]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; returns the names enqueued.

    The row lock makes two clocks (say, on two machines) enqueue a job once per interval.
    """
    now = now or timezone.now()
    enqueued: list[str] = []
    for job in registered():
        with transaction.atomic():
            row, _ = PeriodicJob.objects.select_for_update().get_or_create(name=job.name)
            if row.last_enqueued_at is not None and now - row.last_enqueued_at < job.every:
                continue
            job.task.enqueue()
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
            enqueued.append(job.name)
    return enqueued
