from datetime import timedelta

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "trellis.meetings"
    label = "meetings"

    def ready(self) -> None:
        # The worklist may not import clinical apps, so the sweeps that turn plans, notes
        # and attendance into worklist items live here, in the work layer, which may read
        # them and writes only through the worklist's actions.
        from trellis.lib.periodic import register
        from trellis.meetings import sweeps

        register("meetings.materialize", sweeps.materialize_meetings, every=timedelta(hours=6))
        register("meetings.attendance", sweeps.attendance_alerts, every=timedelta(hours=1))
        register("meetings.plan_reviews", sweeps.plan_review_tasks, every=timedelta(hours=1))
        register("meetings.notes", sweeps.note_tasks, every=timedelta(minutes=15))
