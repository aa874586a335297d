"""Background sweeps of practice (registered as periodic jobs in plugins.py). Idempotent:
the state is in the database, so running twice or late does no harm."""

from __future__ import annotations

from django.tasks import task

from trellis.practice.actions.assignments import do_sweep_missed


@task
def mark_missed() -> int:
    """Open assignments whose due day has ended in their organization's zone become missed."""
    return do_sweep_missed()
