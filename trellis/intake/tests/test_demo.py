"""The demo's intake board: a dozen open inquiries a coordinator can work on Monday morning."""

from __future__ import annotations

import random
import re

import pytest

from tests.personas import World, org_today
from trellis.intake.demo import seed_board
from trellis.intake.models import InquirySource, InquiryStatus
from trellis.intake.queries import intake_board, possible_duplicates

pytestmark = pytest.mark.django_db


def test_the_demo_board_is_live_synthetic_and_seeded_once(world: World) -> None:
    made = seed_board(world.organization, rng=random.Random(7), today=org_today())
    assert len(made) == 12
    assert all(i.status in (InquiryStatus.NEW, InquiryStatus.CONTACTED) for i in made)
    assert {i.source for i in made} >= {InquirySource.WEB, InquirySource.REFERRAL}
    assert any("discharge planning" in i.referrer_organization for i in made)
    for inquiry in made:
        assert not inquiry.phone or re.fullmatch(r"555[- ]01\d\d", inquiry.phone)
        assert not inquiry.email or inquiry.email.endswith("@example.test")
    board = intake_board(world.director)
    contacted = [c for col in board.columns for c in col.cards if c.inquiry.next_action]
    assert sum(c.action_overdue for c in contacted) == 1
    assert board.overdue >= 1  # the web inquiry from four days ago waits too long
    assert any(possible_duplicates(world.director, i) for i in made)
    assert seed_board(world.organization, rng=random.Random(7), today=org_today()) == []
