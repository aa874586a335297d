"""Latest scores for a note, through a provider registered into this module.

This module does not import `measures`: `notes/providers.py` reads it (notes may read
measures; measures never imports notes), and `notes/plugins.py` registers that provider from
NotesConfig.ready(). With no provider registered a note simply has no scores.

The provider takes the episode and returns the latest score of each instrument. A note shows
the live values while it is a draft and keeps a frozen copy (encrypted) when it is signed. A
provider that fails never goes unnoticed: signing refuses (a signed note must not silently
lack its scores) and a draft says the scores could not be read.
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


# provider(episode) -> the latest scores; provider(episode, as_of=moment) -> the latest
# measured by that moment (a note signed back then, as the demo's history is).
Provider = Callable[..., list[ScoreLine]]

_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


class ScoresUnavailable(Exception):
    """The score provider failed, so the note's scores cannot be shown or frozen."""


def latest_scores(episode: Episode, *, as_of: datetime | None = None) -> list[ScoreLine]:
    """The latest scores from the registered provider (measured by `as_of` when given);
    raises ScoresUnavailable (chained to the provider's error) when it fails."""
    provider = _PROVIDERS.get("scores")
    if provider is None:
        return []
    try:
        return provider(episode) if as_of is None else provider(episode, as_of=as_of)
    except Exception as error:  # any failure of another app's code: surfaced, not swallowed
        raise ScoresUnavailable("The latest scores could not be read.") from error


def scores_for_draft(episode: Episode) -> list[ScoreLine] | None:
    """The live scores a draft shows, or None when the provider failed: the page says so
    and signing refuses until it works. Logged by type and traceback only (no values)."""
    try:
        return latest_scores(episode)
    except ScoresUnavailable:
        logger.exception("note score provider failed")
        return None
