"""Values for the URL walk (tests/test_url_access.py): a signed plan (version 1), a draft
(version 2) and a signed progress note of the target, written by their primary clinician;
a plan template of the target's program."""

from __future__ import annotations

from tests.personas import PASSWORD, World
from trellis.notes.tests.factory import signed_note
from trellis.participants.models import Participant
from trellis.plans.actions import TemplateData, check_start_plan, do_create_plan_template
from trellis.plans.content import PlanContent
from trellis.plans.tests.factory import signed_plan


def plans_notes_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    author = episode.care_team.get(is_primary=True, end_date=None).user
    signed_plan(author, episode, PASSWORD)
    check_start_plan(author, episode)
    note = signed_note(author, episode, PASSWORD)
    template = do_create_plan_template(
        None, episode.program, TemplateData("Walk template", PlanContent())
    )
    return {
        "number": "1",
        "note_id": str(note.public_id),
        "template_id": str(template.public_id),
    }


def group_notes_walk_values(world: World, target: Participant) -> dict[str, str]:
    """A signed group note of a group the target attended (facilitated by their primary
    clinician), for the group-note pages: the whole note and the target's entry."""
    from trellis.notes.tests.group_factory import group_session, signed_group_note

    episode = target.episodes.get()
    facilitator = episode.care_team.get(is_primary=True, end_date=None).user
    slot = group_session(
        world, [target], facilitator=facilitator, track=episode.track, name="Walk group note"
    )
    note = signed_group_note(facilitator, slot)
    entry = note.entries.get(episode=episode)
    return {"group_note_id": str(note.public_id), "entry_id": str(entry.public_id)}
