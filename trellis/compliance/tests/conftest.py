"""A small, dated trail on top of the personas world, for the report and export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from tests.personas import World
from trellis.audit.models import Action, Event, Outcome, Purpose
from trellis.audit.tests.tamper import record_at


@dataclass
class Trail:
    late_evening_view: Event  # 2024-03-11 22:00 in Chicago, already the 12th in UTC
    director_view: Event
    front_desk_list: Event
    outsider_denied: Event


@pytest.fixture
def trail(world: World) -> Trail:
    return Trail(
        late_evening_view=record_at(
            datetime(2024, 3, 12, 3, 0, tzinfo=UTC),
            world.clinician,
            Action.VIEW,
            participant=world.participant,
            obj=world.participant,
            purpose=Purpose.TREAT,
            role="clinician",
        ),
        director_view=record_at(
            datetime(2024, 3, 12, 15, 0, tzinfo=UTC),
            world.director,
            Action.VIEW,
            participant=world.other_participant,
            obj=world.other_participant,
            purpose=Purpose.TREAT,
            role="program_director",
        ),
        front_desk_list=record_at(
            datetime(2024, 3, 13, 15, 0, tzinfo=UTC),
            world.front_desk,
            Action.LIST,
            object_type="participants.participant",
            purpose=Purpose.HOPERAT,
            role="front_desk",
        ),
        outsider_denied=record_at(
            datetime(2024, 3, 14, 15, 0, tzinfo=UTC),
            world.outsider,
            Action.DENY,
            participant=world.participant,
            object_type="participants.participant",
            object_id=str(world.participant.public_id),
            outcome=Outcome.DENIED,
            purpose=Purpose.TREAT,
        ),
    )
