"""Objective progress from measures and scheduling, registered by plans/plugins.py.

plans may read measures and scheduling; they never import plans, so the consuming app
(plans) registers these into its own registry (plans/progress.py).

- "measure": the latest current (uncorrected) total score of the objective's instrument in
  this episode. One query for every measure objective of the plan.
- "attendance": % of scheduled hours attended over the **last 4 weeks** (this ISO week and
  the three before it, from scheduling's weekly hours ledger), counting only sessions that
  have already ended; admission part-way through is handled by the roster dates. Four weeks,
  not "since admission", because a plan review asks "is it happening now?", and a bounded
  window keeps the query count fixed however long the episode is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from trellis.plans import progress
from trellis.plans.content import Objective

if TYPE_CHECKING:
    from trellis.participants.models import Episode

ATTENDANCE_WEEKS = 4


def measure_progress(
    episode: Episode, objectives: Sequence[Objective]
) -> dict[str, progress.Reading]:
    from trellis.measures.models import Score

    codes = {o.instrument for o in objectives if o.instrument}
    if not codes:
        return {}
    latest: dict[str, Score] = {}
    counts: dict[str, int] = {}
    for score in (
        Score.objects.current()
        .filter(episode=episode, instrument_code__in=codes, total__isnull=False)
        .order_by("observed_at", "pk")
        .only("instrument_code", "total", "observed_on", "observed_at")
    ):
        latest[score.instrument_code] = score
        counts[score.instrument_code] = counts.get(score.instrument_code, 0) + 1
    readings: dict[str, progress.Reading] = {}
    for objective in objectives:
        found = latest.get(objective.instrument)
        if found is None or found.total is None:
            continue
        n = counts[objective.instrument]
        readings[objective.key] = progress.Reading(
            value=float(found.total),
            as_of=found.observed_on,
            detail=f"{objective.instrument}, {n} score{'s' if n != 1 else ''}",
        )
    return readings


def attendance_percent(episode: Episode) -> tuple[float, float, float] | None:
    """(percent, attended hours, scheduled hours) over the last 4 weeks, or None when nothing
    was scheduled yet."""
    from trellis.scheduling import hours, recurrence

    now = timezone.now()
    today = now.astimezone(episode.program.organization.tz).date()
    first = recurrence.iso_week_start(today) - timedelta(weeks=ATTENDANCE_WEEKS - 1)
    attended = scheduled = 0
    # The four weeks in the queries of one (scheduling.hours.weeks_hours).
    for entry in hours.weeks_hours([episode], first, ATTENDANCE_WEEKS, now=now)[episode.pk]:
        attended += entry.attended_minutes
        # Still-to-come sessions are not missed ones: leave them out of the denominator.
        scheduled += entry.scheduled_minutes - entry.remaining_minutes
    if scheduled <= 0:
        return None
    return round(100 * attended / scheduled, 1), attended / 60, scheduled / 60


def attendance_progress(
    episode: Episode, objectives: Sequence[Objective]
) -> dict[str, progress.Reading]:
    found = attendance_percent(episode)
    if found is None:
        return {}
    percent, attended, scheduled = found
    detail = f"last 4 weeks: {attended:.1f} of {scheduled:.1f} scheduled hours"
    as_of = timezone.localdate(timezone=episode.program.organization.tz)
    return {o.key: progress.Reading(percent, as_of, detail) for o in objectives}
