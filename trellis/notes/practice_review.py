""" "Practice reviewed" in progress notes and group notes, from practice (notes is in the
layer above practice and reads it; practice never imports notes).

The same shape as the score snapshot (snapshot.py): a draft shows the live list of what the
person practised (or could not do) since it was last reviewed; signing freezes a copy in the
note (encrypted) and marks that practice reviewed in the same transaction, so it is never
offered again. What the list holds depends on the reader: the care team sees everything with
the participant's words, a facilitator only their own group's assignments without the words
(`practice.access.access_practice_to_review`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from trellis.practice.access import access_practice_to_review
from trellis.practice.actions.assignments import do_mark_reviewed

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.practice.queries.assignments import ReviewItem

Line = dict[str, Any]


def _line(item: ReviewItem) -> Line:
    return asdict(item)


def live(
    user: User, episodes: list[Episode], *, up_to: datetime, series_id: int | None = None
) -> dict[int, list[Line]]:
    """Per episode id, the practice not yet reviewed that `user` may see (audited)."""
    found = access_practice_to_review(user, episodes, up_to=up_to, series_id=series_id)
    return {episode_id: [_line(i) for i in items] for episode_id, items in found.items()}


def freeze(lines: list[Line]) -> str:
    """The frozen copy kept in a signed note (its episode ids left out)."""
    if not lines:
        return ""
    kept = [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in line.items()}
        for line in lines
    ]
    return json.dumps([{k: v for k, v in line.items() if k != "episode_id"} for line in kept])


def frozen(text: str) -> list[Line]:
    """A signed note's frozen copy, its days as dates again."""
    loaded = json.loads(text) if text else []
    if not isinstance(loaded, list):
        return []
    lines: list[Line] = []
    for line in loaded:
        if isinstance(line, dict):
            try:
                line["day"] = date.fromisoformat(str(line.get("day", "")))
            except ValueError:
                line["day"] = None
            lines.append(line)
    return lines


def mark_reviewed(
    actor: User, lines: list[Line], *, reviewed_in: str, now: datetime | None = None
) -> int:
    """Mark the practice of these lines reviewed (inside the caller's signing transaction)."""
    if not lines:
        return 0
    return do_mark_reviewed(
        actor,
        [str(line["public_id"]) for line in lines if line["kind"] == "entry"],
        [str(line["public_id"]) for line in lines if line["kind"] == "could_not"],
        reviewed_in=reviewed_in,
        now=now,
    )
