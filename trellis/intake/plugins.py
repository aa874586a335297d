"""What intake plugs into other pages and apps: on Today, the count of inquiries waiting
longer than their program's reply time, for the directors and intake coordinators who answer
them; and the weekly "still interested?" message to people on a waitlist (a periodic job).

Registered by IntakeConfig.ready() (docs/architecture.md, "Extension points")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse

from trellis.intake import queries, tasks
from trellis.lib import panels, periodic


def overdue_panel(user: Any) -> dict[str, Any] | None:
    """A count for the top of Today (names nobody), or nothing when no inquiry is overdue."""
    overdue = queries.overdue_inquiry_count(user)
    if not overdue:
        return None
    label = "Inquiry waiting too long" if overdue == 1 else "Inquiries waiting too long"
    return {
        "overdue": overdue,
        "counts": [panels.Count(label, overdue, reverse("intake:board"), urgent=True)],
    }


def register() -> None:
    panels.register(
        "today", panels.PagePanel("intake-overdue", "intake/today_overdue.html", overdue_panel)
    )
    # Hourly is enough: each entry is due once a week in its organization's dates.
    periodic.register(
        "intake.waitlist_checkins", tasks.send_waitlist_checkins, every=timedelta(hours=1)
    )
