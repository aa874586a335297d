"""What notes plugs into other apps, and the providers it fills its own registry with.

Registered by NotesConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from trellis.lib import panels
from trellis.notes import providers, queries, snapshot
from trellis.notes.group.actions import do_follow_attendance
from trellis.participants import chart
from trellis.privacy.access import Scope
from trellis.scheduling import attendance_hooks


def register() -> None:
    # Clinical content: front desk never gets the tab (and the pages answer them 404).
    chart.register_tab(chart.ChartTab("notes", "Notes", "notes:tab", Scope.CLINICAL, order=26))
    # The score snapshot from measures: notes reads measures, never the reverse.
    snapshot.register_provider("scores", providers.latest_scores)
    # Co-signatures a supervisor owes and the user's own unsigned notes, after the sessions.
    panels.register(
        "today",
        panels.PagePanel("notes-to-sign", "notes/today_notes.html", queries.today_notes, order=20),
    )
    # Attendance marked after a group note was started reaches its draft (same transaction).
    attendance_hooks.register("notes.group", do_follow_attendance)
