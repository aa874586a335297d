"""Background sweeps of intake (registered as periodic jobs in plugins.py). Idempotent: the
state is in the database, so running twice or late does no harm."""

from __future__ import annotations

from django.tasks import task

from trellis.intake.actions import do_send_waitlist_checkins


@task
def send_waitlist_checkins() -> int:
    return do_send_waitlist_checkins()
