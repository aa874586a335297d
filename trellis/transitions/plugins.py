"""What transitions plugs into other apps: the chart's Discharge panel.

Registered by TransitionsConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from trellis.participants import chart
from trellis.privacy.access import Scope
from trellis.transitions import queries


def register() -> None:
    # Clinical content (summaries): front desk never gets the panel.
    chart.register_panel(
        chart.ChartPanel(
            "discharge",
            "transitions/chart_panel.html",
            queries.chart_panel,
            Scope.CLINICAL,
            place="overview",
            order=5,
        )
    )
