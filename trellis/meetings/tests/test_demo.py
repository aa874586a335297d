"""The demo seeder: one held meeting per program with signed minutes, decisions and tasks,
and the next ones upcoming."""

from __future__ import annotations

import random

from tests.personas import PASSWORD, World, org_today
from trellis.meetings.demo import seed_meetings
from trellis.meetings.models import Decision, Meeting
from trellis.meetings.tests.factory import alert
from trellis.plans.tests.factory import signed_plan
from trellis.worklist.models import Alert, AlertKind


def test_seed_meetings(world: World) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    alert(world.participant, AlertKind.RELIABLE_DETERIORATION)
    today = org_today()
    made = seed_meetings(world.organization, rng=random.Random(1), today=today)
    held = Meeting.objects.filter(program=world.program, date__lt=today).get()
    assert held.signed_at is not None
    assert held.items.exists()
    assert Decision.objects.filter(meeting=held).exists()
    assert Alert.objects.filter(kind=AlertKind.MEETING_DECISION).exists()
    assert Meeting.objects.filter(program=world.program, date__gte=today).count() == 4
    assert made == Meeting.objects.count()
