"""The notification sweep (registered as a periodic job in plugins.py)."""

from __future__ import annotations

from django.tasks import task

from trellis.notifications.actions import do_deliver_due


@task
def deliver_notifications() -> int:
    """Send the notifications that are due; safe to run twice or late."""
    return do_deliver_due()
