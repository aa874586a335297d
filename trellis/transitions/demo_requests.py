"""Demo data: the portal participant has asked to move to another track, so the therapist's
My work has the task and the episode-changes page shows the request (docs/portal.md,
"Session actions"). Made through the action, as the participant would from /me/schedule/track/."""

from __future__ import annotations

from datetime import date, timedelta

from trellis.participants.models import Episode
from trellis.programs.models import Organization, Track
from trellis.transitions.changes.requests import (
    REQUESTING_STATUSES,
    check_request_track_change,
    latest_request,
)

DEMO_REASON = "I start a new job on Monday and can only come after 5 pm."


def seed_track_requests(organization: Organization, *, today: date) -> int:
    """One request from each participant with a portal account whose program has another
    active track. Returns how many were sent (none on a second run)."""
    episodes = (
        Episode.objects.filter(
            program__organization=organization,
            status__in=REQUESTING_STATUSES,
            participant__user__isnull=False,
        )
        .select_related("participant__user", "program__organization", "track")
        .order_by("pk")
    )
    sent = 0
    for episode in episodes:
        other = (
            Track.objects.filter(program=episode.program, is_active=True)
            .exclude(pk=episode.track_id or 0)
            .order_by("name")
            .first()
        )
        user = episode.participant.user
        if other is None or user is None or latest_request(episode) is not None:
            continue
        # The action checks the day against the organization's real date, which a demo
        # dated relative to another day (`today`) may be ahead of.
        start = max(today, organization.today())
        monday = start + timedelta(days=7 - start.weekday())
        check_request_track_change(user, episode, other, starting_from=monday, reason=DEMO_REASON)
        sent += 1
    return sent
