"""What practice plugs into other apps. Called once from PracticeConfig.ready()."""

from __future__ import annotations


def register() -> None:
    """Chart tab, plan-progress provider, agenda rule, Today panels: added by each part."""
    # --- practice-assign ---
    from trellis.practice.panels import attendance_panel
    from trellis.scheduling import occurrence_panels

    occurrence_panels.register(
        "practice.assign", "practice/assignments/_attendance.html", attendance_panel
    )
    # --- practice-adherence ---
    from trellis.participants import chart
    from trellis.plans import progress
    from trellis.practice.queries.adherence import practice_progress
    from trellis.privacy.access import Scope
    # Clinical content: front desk never gets the tab (the page answers them 404).
    chart.register_tab(
        chart.ChartTab("practice", "Practice", "practice:chart-tab", Scope.CLINICAL, order=27)
    # "Practice" plan objectives: % of this week's assigned practice done ("2 of 3 this week").
    progress.register_provider("practice", practice_progress)
