"""What participants plugs into its own chart: the Care team tab.

Registered by ParticipantsConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from trellis.participants import chart
from trellis.participants.scope import Scope


def register() -> None:
    # The Care team tab belongs to participants (which owns care teams); it is clinical
    # content, so front desk never gets the tab (and the page answers them 404).
    chart.register_tab(
        chart.ChartTab("care-team", "Care team", "participants:care-team", Scope.CLINICAL, order=5)
    )
