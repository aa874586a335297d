"""What intake plugs into other apps: periodic jobs. Registered by IntakeConfig.ready()."""

from __future__ import annotations

from datetime import timedelta

from trellis.intake import tasks
from trellis.lib import periodic


def register() -> None:
    # Hourly is enough: each entry is due once a week in its organization's dates.
    periodic.register(
        "intake.waitlist_checkins", tasks.send_waitlist_checkins, every=timedelta(hours=1)
    )
