"""What measures plugs into other apps: chart tab and header panels, periodic jobs.

Registered by MeasuresConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import periodic
from trellis.measures import queries, tasks
from trellis.participants import chart
from trellis.privacy.access import Scope


def register() -> None:
    chart.register_tab(
        chart.ChartTab("measures", "Measures", "measures:chart-tab", Scope.CLINICAL, order=30)
    )
    chart.register_panel(
        chart.ChartPanel(
            "latest-scores",
            "measures/panel_latest.html",
            queries.latest_scores_panel,
            Scope.CLINICAL,
            place="header",
            order=10,
        )
    )
    # Front desk may know a check-in is due (to hand over the tablet), nothing more.
    chart.register_panel(
        chart.ChartPanel(
            "checkin-due",
            "measures/panel_due.html",
            queries.due_panel,
            Scope.DEMOGRAPHIC,
            place="header",
            order=11,
        )
    )
    periodic.register("measures.schedule", tasks.schedule_checkins, every=timedelta(hours=1))
    periodic.register("measures.missed", tasks.mark_missed, every=timedelta(minutes=30))
    periodic.register("measures.reminders", tasks.send_reminders, every=timedelta(minutes=30))
