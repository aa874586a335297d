from __future__ import annotations

import random

from tests.personas import World, org_today
from trellis.notes.demo import seed_notes
from trellis.notes.models import Note, NoteStatus
from trellis.plans.demo import seed_plans
from trellis.plans.models import PlanVersion


def test_demo_seeds_signed_plans_and_notes(world: World) -> None:
    rng = random.Random(7)
    today = org_today()
    plans = seed_plans(world.organization, rng=rng, today=today)
    assert plans == 3  # the three active participants with a primary clinician
    assert PlanVersion.objects.filter(status="signed").count() == 3
    notes = seed_notes(world.organization, rng=rng, today=today)
    assert notes >= 6
    assert not Note.objects.exclude(status=NoteStatus.SIGNED).exists()
    assert not Note.objects.filter(late_entry=True).exists()
    assert seed_plans(world.organization, rng=rng, today=today) == 0  # idempotent


def test_demo_seeds_signed_group_notes_for_past_groups_with_attendance(world: World) -> None:
    from datetime import timedelta

    from trellis.notes.demo import seed_group_notes
    from trellis.notes.models import GroupNote, GroupNoteEntry
    from trellis.notes.tests.group_factory import group_session, local_today

    today = local_today(world)
    for days_ago in range(1, 7):
        group_session(
            world,
            [world.participant],
            day=today - timedelta(days=days_ago),
            name=f"Group {days_ago}",
        )
    made = seed_group_notes(world.organization, rng=random.Random(3), today=today)
    assert made >= 1
    assert GroupNote.objects.count() == made
    assert set(GroupNote.objects.values_list("status", "late_entry")) == {("signed", False)}
    assert not GroupNoteEntry.objects.filter(locked=False).exists()
    seed_group_notes(world.organization, rng=random.Random(4), today=today)
    assert GroupNote.objects.count() >= made  # never a second note for one occurrence
