"""A note's "more than a year before the admission" check reads the episode's start on the
organization's calendar (issue 9, item 7.4), not UTC's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.personas import World
from trellis.notes import actions
from trellis.notes.tests.factory import header
from trellis.participants.models import Episode

CHICAGO = ZoneInfo("America/Chicago")


def test_an_episode_opened_on_a_chicago_evening_begins_that_day(world: World) -> None:
    episode = world.participant.episodes.get()
    # 21:00 in Chicago on 1 March is already 2 March in UTC.
    Episode.objects.filter(pk=episode.pk).update(
        admitted_on=None, created_at=datetime(2026, 3, 1, 21, 0, tzinfo=CHICAGO)
    )
    episode.refresh_from_db()
    # Exactly 366 days before 1 March 2026, in the evening: still within the year allowed.
    start = datetime(2025, 2, 28, 20, 0, tzinfo=CHICAGO)
    note = actions.check_create_note(world.clinician, episode, header(start=start))
    assert note.session_start == start
