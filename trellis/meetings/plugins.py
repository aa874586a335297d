"""What meetings plugs into other apps: the periodic sweeps.

The worklist may not import clinical apps, so the sweeps that turn plans, notes and
attendance into worklist items live here, in the work layer, which may read them and writes
only through the worklist's actions. Registered by MeetingsConfig.ready()
(docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import periodic
from trellis.meetings import sweeps


def register() -> None:
    periodic.register("meetings.materialize", sweeps.materialize_meetings, every=timedelta(hours=6))
    periodic.register("meetings.attendance", sweeps.attendance_alerts, every=timedelta(hours=1))
    periodic.register("meetings.plan_reviews", sweeps.plan_review_tasks, every=timedelta(hours=1))
    periodic.register("meetings.notes", sweeps.note_tasks, every=timedelta(minutes=15))
