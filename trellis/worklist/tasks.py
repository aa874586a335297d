"""Background sweeps of the worklist (registered as periodic jobs in apps.py)."""

from __future__ import annotations

from django.tasks import task

from trellis.worklist.actions import do_escalate_overdue_alerts


@task
def escalate_alerts() -> int:
    """Escalate unacknowledged urgent alerts; safe to run twice or late."""
    return do_escalate_overdue_alerts()
