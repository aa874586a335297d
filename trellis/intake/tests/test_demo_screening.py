"""The demo's screenings: one under way, two waiting on a decision, one with a risk alert."""

from __future__ import annotations

import random

import pytest

from tests.personas import World, org_today
from trellis.intake.demo_screening import seed_screening
from trellis.intake.models import InquiryStatus
from trellis.worklist.models import Alert

pytestmark = pytest.mark.django_db


def test_the_demo_screenings_reach_the_states_the_board_shows(world: World) -> None:
    made = seed_screening(world.organization, rng=random.Random(1), today=org_today())
    assert [i.status for i in made] == [
        InquiryStatus.SCREENING,
        InquiryStatus.DECISION,
        InquiryStatus.DECISION,
        InquiryStatus.CLOSED,
    ]
    episodes = [i.episode for i in made]
    assert [e.status for e in episodes if e is not None] == ["planned"] * 3 + ["cancelled"]
    # Only the positive risk screen raised an urgent alert, on the planned episode.
    alerts = list(Alert.objects.filter(participant__in=[i.participant for i in made]))
    assert [a.episode for a in alerts] == [made[2].episode]
    assert alerts[0].priority == "urgent"
