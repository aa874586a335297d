"""Demo data: participants' "I'll be late" / "I can't come" for their next sessions, so the
attendance sheet and the portal show notices (docs/portal.md, Session notices)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import Organization
from trellis.scheduling import actions
from trellis.scheduling.models import RosterMembership
from trellis.scheduling.queries import occurrences_between, series_for_episodes

DEMO_REASONS = ["A doctor's appointment", "My car broke down", "Childcare fell through"]


def seed_session_notices(organization: Organization, *, rng: random.Random, today: date) -> int:
    """A notice from the portal participant (late) and a few others (late or absent) for
    their next session in the coming two days. Returns how many were sent."""
    episodes = list(
        Episode.objects.filter(program__organization=organization, status=EpisodeStatus.ACTIVE)
        .select_related("participant")
        .order_by("pk")
    )
    with_user = [e for e in episodes if e.participant.user_id is not None]
    chosen = with_user + rng.sample(episodes, min(6, len(episodes)))
    end = today + timedelta(days=2)
    now = timezone.now()
    sent = 0
    for episode in dict.fromkeys(chosen):
        slots = occurrences_between(series_for_episodes([episode.pk], today, end), today, end)
        members = RosterMembership.objects.filter(episode=episode)
        upcoming = [
            s
            for s in slots
            if not s.cancelled
            and s.ends_at > now
            and any(m.series_id == s.series.pk and m.active_on(s.date) for m in members)
        ]
        if not upcoming:
            continue
        absent = episode.participant.user_id is None and sent % 3 == 2
        actions.do_send_notice(
            episode.participant.user,
            upcoming[0],
            episode,
            kind="absent" if absent else "late",
            minutes=None if absent else rng.choice([10, 15, 20, 30]),
            reason=rng.choice(DEMO_REASONS) if absent else "",
        )
        sent += 1
    return sent
