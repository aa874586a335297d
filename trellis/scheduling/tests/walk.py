"""Values for the URL walk (tests/test_url_access.py): real schedule data of the target.

The walk then opens the target's series, yesterday's attendance sheet (with the target
marked present), and the target's calendar feed, as every persona.
"""

from __future__ import annotations

from datetime import time, timedelta

from tests.personas import World
from trellis.participants.models import Participant
from trellis.scheduling import actions
from trellis.scheduling.queries import find_slot
from trellis.scheduling.tests.factory import local_today


def scheduling_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    facilitator = episode.care_team.get(is_primary=True).user
    track = episode.track or episode.program.tracks.first()
    assert track is not None
    yesterday = local_today(world) - timedelta(days=1)
    series = actions.do_create_series(
        world.director,
        track,
        actions.SeriesData(
            name="Walk group",
            start_time=time(9, 0),
            duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            dtstart=yesterday - timedelta(days=14),
            capacity=12,
            room=world.room,
            facilitators=[facilitator],
        ),
    )
    actions.do_add_to_roster(None, episode, series, series.dtstart)
    slot = find_slot(series.public_id, yesterday)
    assert slot is not None
    actions.do_record_attendance(facilitator, slot, episode, actions.Mark("present"))
    feed, token = actions.do_create_feed(None, "participant", participant=target)
    return {
        "series_id": str(series.public_id),
        "occurrence_date": f"{yesterday:%Y-%m-%d}",
        "room_id": str(world.room.public_id),
        "feed_token": token,
        "feed_id": str(feed.public_id),
    }
