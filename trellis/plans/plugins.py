"""What plans plugs into other apps, and the providers it fills its own registry with.

Registered by PlansConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import periodic
from trellis.participants import chart
from trellis.plans import progress, providers, sweeps
from trellis.privacy.access import Scope


def register() -> None:
    # Clinical content: front desk never gets the tab (and the pages answer them 404).
    chart.register_tab(chart.ChartTab("plan", "Plan", "plans:tab", Scope.CLINICAL, order=25))
    # Objective progress from measures and scheduling: plans reads them, never the reverse.
    progress.register_provider("measure", providers.measure_progress)
    progress.register_provider("attendance", providers.attendance_progress)
    # Reliable deterioration and not-on-track alerts make the plan's review due now.
    periodic.register(
        "plans.review_triggers", sweeps.request_reviews_from_alerts, every=timedelta(minutes=15)
    )
