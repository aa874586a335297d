from __future__ import annotations

import random

from django.utils import timezone

from tests.personas import World
from trellis.notes.demo import seed_notes
from trellis.notes.models import Note, NoteStatus
from trellis.plans.demo import seed_plans
from trellis.plans.models import PlanVersion


def test_demo_seeds_signed_plans_and_notes(world: World) -> None:
    rng = random.Random(7)
    today = timezone.localdate()
    plans = seed_plans(world.organization, rng=rng, today=today)
    assert plans == 3  # the three active participants with a primary clinician
    assert PlanVersion.objects.filter(status="signed").count() == 3
    notes = seed_notes(world.organization, rng=rng, today=today)
    assert notes >= 6
    assert not Note.objects.exclude(status=NoteStatus.SIGNED).exists()
    assert not Note.objects.filter(late_entry=True).exists()
    assert seed_plans(world.organization, rng=rng, today=today) == 0  # idempotent
