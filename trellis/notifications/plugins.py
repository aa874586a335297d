"""What notifications plug into: the clock. Called once from NotificationsConfig.ready()."""

from __future__ import annotations

from datetime import timedelta

DELIVER_EVERY = timedelta(minutes=2)


def register() -> None:
    from trellis.lib import periodic
    from trellis.notifications.tasks import deliver_notifications

    # The outbox is swept every two minutes: a reply's notification waits at most that long.
    periodic.register("notifications.deliver", deliver_notifications, every=DELIVER_EVERY)
