"""What scheduling plugs into other apps: chart tab and header panel, Today panel, periodic
reminders, so the participants app and the Today page never import scheduling.

Registered by SchedulingConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import panels, periodic
from trellis.participants import chart
from trellis.privacy.access import Scope
from trellis.scheduling import panels as scheduling_panels
from trellis.scheduling.tasks import send_due_reminders

REMINDER_SWEEP_EVERY = timedelta(minutes=15)


def register() -> None:
    # The schedule tab is demographic: front desk manage the schedule and see attendance.
    chart.register_tab(
        chart.ChartTab(
            "schedule", "Schedule", "scheduling:chart-schedule", Scope.DEMOGRAPHIC, order=20
        )
    )
    # Hours against the level-of-care minimum are clinical (they read as engagement and
    # feed clinical review), so the header panel needs clinical scope.
    chart.register_panel(
        chart.ChartPanel(
            "hours",
            "scheduling/chart_hours.html",
            scheduling_panels.chart_hours,
            Scope.CLINICAL,
            place="header",
            order=10,
        )
    )
    panels.register(
        "today",
        panels.PagePanel(
            "todays-sessions",
            "scheduling/today_sessions.html",
            scheduling_panels.todays_sessions,
            order=10,
        ),
    )
    # After the alerts: yesterday's unmarked session must not push an urgent alert down.
    panels.register(
        "today",
        panels.PagePanel(
            "unmarked-sessions",
            "scheduling/today_unmarked.html",
            scheduling_panels.unmarked_sessions,
            order=15,
        ),
    )
    periodic.register("scheduling.reminders", send_due_reminders, every=REMINDER_SWEEP_EVERY)
