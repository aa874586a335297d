"""Values for the URL walk (tests/test_url_access.py): an on-call shift of the target's program."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.personas import World
from trellis.participants.models import Participant
from trellis.worklist.actions import do_set_on_call


def on_call_walk_values(world: World, target: Participant) -> dict[str, str]:
    program = target.episodes.get().program
    starts = timezone.now() + timedelta(hours=1)
    shift = do_set_on_call(
        None, program, world.director, starts_at=starts, ends_at=starts + timedelta(hours=8)
    )
    return {"shift_id": str(shift.public_id)}
