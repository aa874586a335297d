"""Team meetings built through the real actions, for tests and the URL walk."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from tests.personas import World
from trellis.meetings import actions
from trellis.meetings.models import Meeting, MeetingSeries
from trellis.participants.models import Participant
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import Alert, AlertKind, Priority


def weekly(world: World) -> MeetingSeries:
    today = timezone.now().astimezone(world.organization.tz).date()
    return actions.do_create_series(
        world.director, world.program, weekday=today.weekday(), start_time=time(9, 0)
    )


def todays_meeting(world: World) -> Meeting:
    """This week's meeting of the mental-health IOP, held today."""
    series = weekly(world)
    today = timezone.now().astimezone(world.organization.tz).date()
    return actions.do_create_meeting_on(series, today)


def alert(participant: Participant, kind: str, priority: str = Priority.HIGH) -> Alert:
    episode = participant.episodes.get()
    return do_raise_alert(
        None,
        participant=participant,
        episode=episode,
        kind=kind,
        priority=priority,
        title=f"PHQ-9: {AlertKind(kind).label.lower()}",
        source=f"test:{kind}",
        dedupe_key=f"test:{kind}:{episode.public_id}",
    )


def meeting_walk_values(world: World, target: Participant) -> dict[str, str]:
    """Values for tests/test_url_access.py: a meeting of the target's program whose agenda,
    discussion and decisions are about the target."""
    episode = target.episodes.get()
    series = actions.do_create_series(None, episode.program, weekday=0, start_time=time(9, 0))
    today = timezone.now().astimezone(world.organization.tz).date()
    meeting = actions.do_create_meeting_on(series, today)
    actions.do_generate_agenda(None, meeting)
    actions.do_add_item(world.director, meeting, episode, f"Discuss {target.family_name}")
    return {"meeting_id": str(meeting.public_id)}
