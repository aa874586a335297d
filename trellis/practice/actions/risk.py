"""One way for practice to raise risk: an urgent worklist alert, exactly as a PHQ-9 item 9
answer does (docs/practice.md, "Risk").

Every rule of every part (a diary-card urge at or above its threshold, a self-harm action,
the safety plan's "I am not safe" button) calls `raise_practice_risk` inside the transaction
that stores the participant's entry: the entry and its alert are written together or not at
all, so an alert is never lost to a crash or a worker restart, and nothing waits for a
sweep. The dedupe key makes a double submit raise one alert.
"""

from __future__ import annotations

from django.db import transaction

from trellis.participants.models import Episode
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import Alert, AlertKind, Priority

FOLLOW_UP = (
    "Reach the participant today: assess risk, review the safety plan with them, and record "
    "the follow-up (or a referral to a higher level of care)."
)


def raise_practice_risk(
    episode: Episode,
    *,
    title: str,
    source: str,
    dedupe_key: str,
    detail: str = FOLLOW_UP,
) -> Alert:
    """Raise (once per `dedupe_key`) an urgent practice-risk alert for the episode's primary
    clinician and whoever is on call for the program now.

    `title` names the rule, not the participant's words ("Diary card: self-harm urge 4 of 5"):
    alert titles are shown in lists and notifications. `source` is "practice.<thing>:<public
    id>"; `dedupe_key` starts with "practice:risk:".
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("raise practice risk inside the transaction that stores the entry")
    return do_raise_alert(
        None,
        participant=episode.participant,
        episode=episode,
        kind=AlertKind.PRACTICE_RISK,
        priority=Priority.URGENT,
        title=title,
        detail=detail,
        source=source,
        dedupe_key=dedupe_key,
        notify_on_call=True,
    )
