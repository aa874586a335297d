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
