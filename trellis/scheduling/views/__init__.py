"""Schedule pages, by sub-domain, mirroring `scheduling/actions/`.

- `week`: the program week, a room's week, my week.
- `series`: a series' page, new and edit.
- `rosters`: adding a participant to a series' roster.
- `occurrences`: one session's exceptions (cancel, restore, reschedule, substitute, topic),
  the program's closures.
- `attendance`: the take-attendance sheet (marks, undo, walk-ins, complete), the program's
  attendance dashboard.

Calendar feeds and a participant's own schedule are in `scheduling/personal.py`. Each page:
access first (scheduling.access on top of privacy's grants), then the form, then the action.
"""
