"""Values for the URL walk (tests/test_url_access.py): a signed plan (version 1), a draft
(version 2) and a signed progress note of the target, written by their primary clinician."""

from __future__ import annotations

from tests.personas import PASSWORD, World
from trellis.notes.tests.factory import signed_note
from trellis.participants.models import Participant
from trellis.plans.actions import check_start_plan
from trellis.plans.tests.factory import signed_plan


def plans_notes_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    author = episode.care_team.get(is_primary=True, end_date=None).user
    signed_plan(author, episode, PASSWORD)
    check_start_plan(author, episode)
    note = signed_note(author, episode, PASSWORD)
    return {"number": "1", "note_id": str(note.public_id)}
