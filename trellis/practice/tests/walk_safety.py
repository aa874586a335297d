"""Values for the URL walk (tests/test_url_access.py): a signed safety plan of the target and
a draft version after it, written through the actions."""

from __future__ import annotations

from tests.personas import PASSWORD, World
from trellis.participants.models import Participant
from trellis.practice.actions.safety import (
    do_save_safety_plan,
    do_sign_safety_plan,
    do_start_safety_plan_version,
)


def safety_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    author = world.director
    plan = do_start_safety_plan_version(author, episode)
    plan = do_save_safety_plan(author, plan, {"warning_signs": f"{target.family_name} walk"})
    do_sign_safety_plan(author, plan, typed_name=author.name, password=PASSWORD)
    return {"plan_id": str(plan.public_id)}
