"""The first session shown after admission is one the person can still go to."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.personas import World, org_today
from trellis.intake.queries import first_session
from trellis.participants.models import Episode
from trellis.scheduling.tests.factory import daily_group, enroll

pytestmark = pytest.mark.django_db


def test_a_group_that_already_started_today_is_not_the_first_session(world: World) -> None:
    today = org_today()
    group = daily_group(world, dtstart=today, at=time(0, 0), name="Early group")
    enroll(group, world.participant, today)
    episode = world.participant.episodes.get()
    Episode.objects.filter(pk=episode.pk).update(admitted_on=today)
    episode.refresh_from_db()
    slot = first_session(episode)
    assert slot is not None
    assert slot.date == today + timedelta(days=1)
