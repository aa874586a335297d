"""The score snapshot of notes from measures, registered by notes/plugins.py (notes may read
measures; measures never imports notes)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from trellis.notes import snapshot

if TYPE_CHECKING:
    from trellis.participants.models import Episode


def latest_scores(episode: Episode, *, as_of: datetime | None = None) -> list[snapshot.ScoreLine]:
    """The latest current (uncorrected) scored total of each instrument in the episode
    (observed by `as_of` when given), in one query, sorted by instrument code (PHQ-9, GAD-7
    and any others given)."""
    from trellis.measures.models import Score

    scores = Score.objects.current().filter(episode=episode, total__isnull=False)
    if as_of is not None:
        scores = scores.filter(observed_at__lte=as_of)
    latest: dict[str, Score] = {}
    for score in scores.order_by("observed_at", "pk").only(
        "instrument_code", "total", "observed_at", "band_label"
    ):
        latest[score.instrument_code] = score
    return [
        snapshot.ScoreLine(code, float(s.total or 0), s.observed_at, s.band_label)
        for code, s in sorted(latest.items())
    ]
