"""What the worklist plugs into other pages and the clock: the urgent alerts on Today and the
escalation sweep.

Registered by WorklistConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import panels, periodic
from trellis.worklist import queries, tasks


def register() -> None:
    # Urgent alerts sit at the top of Today (order 0): an item-9 alert must not be missed.
    panels.register(
        "today",
        panels.PagePanel(
            "urgent-alerts", "worklist/today_alerts.html", queries.today_alerts, order=0
        ),
    )
    periodic.register("worklist.escalate", tasks.escalate_alerts, every=timedelta(minutes=5))
