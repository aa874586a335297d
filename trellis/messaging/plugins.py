"""What messaging plugs into other apps. Called once from MessagingConfig.ready()."""

from __future__ import annotations


def register() -> None:
    """The chart's Messages tab (clinical content: the front desk never gets it)."""
    from trellis.participants import chart
    from trellis.privacy.access import Scope

    chart.register_tab(
        chart.ChartTab("messages", "Messages", "messaging:chart-tab", Scope.CLINICAL, order=28)
    )
