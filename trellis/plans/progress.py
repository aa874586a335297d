"""Objective progress computed from data, through providers other apps register.

This module does not import `measures`, `scheduling` or `practice` (they may not be
installed, and some are being built). `plans/providers.py` reads them and `plans/plugins.py`
registers those providers from PlansConfig.ready():

    from trellis.plans import progress
    progress.register_provider("measure", latest_scores_for_objectives)

A provider takes the episode and the objectives of its kind (all at once, so it can answer
in a fixed number of queries) and returns a Reading per objective key it knows something
about. Plans compares the reading with the objective's target; a provider only reports data.

| provider     | objectives            | reading.value                                        |
|--------------|-----------------------|------------------------------------------------------|
| "measure"    | kind measure_target   | latest total score of `objective.instrument`         |
| "attendance" | kind attendance_target| % of scheduled hours attended, last 4 weeks          |
| "practice"   | kind practice_target  | % of this week's assigned practice done (practice)   |

Custom objectives are rated by the clinician in the plan itself (0–100, with a note).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from trellis.plans.content import Comparator, Objective, ObjectiveKind

if TYPE_CHECKING:
    from trellis.participants.models import Episode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    value: float | None
    as_of: date | datetime | None = None
    detail: str = ""  # e.g. "GAD-7, 3 administrations"; no free clinical text


Provider = Callable[["Episode", Sequence[Objective]], dict[str, Reading]]

PROVIDER_FOR_KIND = {
    ObjectiveKind.MEASURE: "measure",
    ObjectiveKind.ATTENDANCE: "attendance",
    ObjectiveKind.PRACTICE: "practice",
}

_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


@dataclass(frozen=True)
class Progress:
    value: float | None
    as_of: date | datetime | None
    met: bool | None  # None: no data yet, or no target to compare with
    source: str  # "measure", "attendance", "practice", "clinician", or "" (no provider)
    detail: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


def meets(value: float, comparator: Comparator | None, target: float | None) -> bool | None:
    if comparator is None or target is None:
        return None
    return {
        Comparator.LT: value < target,
        Comparator.LE: value <= target,
        Comparator.GE: value >= target,
        Comparator.GT: value > target,
    }[comparator]


def progress_for(episode: Episode, objectives: Sequence[Objective]) -> dict[str, Progress]:
    """Progress of every objective, by key. One provider call per kind present."""
    result: dict[str, Progress] = {}
    for objective in objectives:
        if objective.kind == ObjectiveKind.CUSTOM:
            value = None if objective.rating is None else float(objective.rating)
            result[objective.key] = Progress(value, None, None, "clinician", objective.rating_note)
    for kind, name in PROVIDER_FOR_KIND.items():
        wanted = [o for o in objectives if o.kind == kind]
        if not wanted:
            continue
        provider = _PROVIDERS.get(name)
        readings: dict[str, Reading] = {}
        if provider is not None:
            try:
                readings = provider(episode, wanted)
            except Exception:
                # A failing provider must not take the plan page down with it: the plan is
                # still readable without live progress. Logged by type only (no values).
                logger.exception("plan progress provider %s failed", name)
                readings = {}
        for objective in wanted:
            reading = readings.get(objective.key)
            if reading is None or reading.value is None:
                result[objective.key] = Progress(None, None, None, name if provider else "")
            else:
                result[objective.key] = Progress(
                    reading.value,
                    reading.as_of,
                    meets(reading.value, objective.comparator, objective.target),
                    name,
                    reading.detail,
                )
    return result
