"""The demo's waitlists and the inquiry ready to admit."""

from __future__ import annotations

import random

import pytest

from tests.personas import World, org_today
from trellis.intake.demo_admission import seed_admission
from trellis.intake.models import Inquiry, InquiryStatus
from trellis.intake.queries import waitlist_rows
from trellis.participants.models import EpisodeStatus

pytestmark = pytest.mark.django_db


def test_the_demo_fills_two_waitlists_with_a_step_down_first(world: World) -> None:
    assert seed_admission(world.organization, rng=random.Random(7), today=org_today()) == 9
    for track, people in ((world.evening, 4), (world.morning, 3)):
        rows = waitlist_rows(track, org_today())
        assert len(rows) == people
        assert rows[0].entry.step_down
        assert [r.position for r in rows] == list(range(1, people + 1))
    assert Inquiry.objects.filter(status=InquiryStatus.DECISION).count() == 1
    left = Inquiry.objects.get(status=InquiryStatus.CLOSED)
    assert left.episode is not None
    assert left.episode.status == EpisodeStatus.CANCELLED
