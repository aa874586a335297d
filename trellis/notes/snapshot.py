"""Latest scores for a note, through a provider the measures app registers.

`notes` does not import `measures` (it may be absent or half-built); measures registers from
its AppConfig.ready():

    from trellis.notes import snapshot
    snapshot.register_provider("scores", latest_scores_for_note)

The provider takes the episode and returns the latest score of each instrument. A note shows
the live values while it is a draft and keeps a frozen copy (encrypted) when it is signed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trellis.participants.models import Episode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreLine:
    instrument: str  # e.g. "PHQ-9"
    value: float
    measured_at: datetime
    band: str = ""  # e.g. "moderate"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["measured_at"] = self.measured_at.isoformat()
        return data


Provider = Callable[["Episode"], list[ScoreLine]]

_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def latest_scores(episode: Episode) -> list[ScoreLine]:
    provider = _PROVIDERS.get("scores")
    if provider is None:
        return []
    try:
        return provider(episode)
    except Exception:
        # A failing provider must not stop a note from being written or signed.
        logger.exception("note score provider failed")
        return []
