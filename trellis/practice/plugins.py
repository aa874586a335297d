"""What practice plugs into other apps. Called once from PracticeConfig.ready()."""

from __future__ import annotations

from datetime import timedelta


def register() -> None:
    """The attendance page's practice panel, the chart's Practice tab, the progress of
    "practice" plan objectives and the periodic missed-practice sweep."""
    from trellis.lib import periodic
    from trellis.participants import chart
    from trellis.plans import progress
    from trellis.practice import tasks
    from trellis.practice.panels import attendance_panel
    from trellis.practice.queries.adherence import practice_progress
    from trellis.privacy.access import Scope
    from trellis.scheduling import occurrence_panels

    # Assign to everyone present, and who practised, on the take-attendance page.
    occurrence_panels.register(
        "practice.assign", "practice/assignments/_attendance.html", attendance_panel
    )
    # Clinical content: front desk never gets the tab (the page answers them 404).
    chart.register_tab(
        chart.ChartTab("practice", "Practice", "practice:chart-tab", Scope.CLINICAL, order=27)
    )
    # "Practice" plan objectives: % of this week's assigned practice done ("2 of 3 this week").
    progress.register_provider("practice", practice_progress)
    # Past-due practice becomes missed once its due day has ended in the organization's zone.
    periodic.register("practice.missed", tasks.mark_missed, every=timedelta(minutes=30))
