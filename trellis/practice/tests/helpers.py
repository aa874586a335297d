"""Practice test data shared by every part's tests: a small library and a worksheet.

The library is organization set-up, not participant data; it is made here directly so that
the parts' tests do not depend on each other's actions. Participant data (assignments,
entries, diary cards, safety plans) is always made through the actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trellis.practice.models import Skill, SkillModule, WorksheetDefinition
from trellis.practice.models.assignments import Assignment
from trellis.programs.models import Organization

if TYPE_CHECKING:
    from tests.personas import World
    from trellis.participants.models import Participant

SKILL_PRACTICE_FIELDS: list[dict[str, Any]] = [
    {"key": "situation", "label": "What happened", "type": "text", "required": True},
    {"key": "skill", "label": "Skill I used", "type": "skill", "required": True},
    {"key": "how_it_went", "label": "How it went", "type": "scale", "min": 0, "max": 10,
     "required": True},
    {"key": "next_time", "label": "What I would do next time", "type": "text"},
]  # fmt: skip


def dear_man(organization: Organization) -> Skill:
    """DEAR MAN in an Interpersonal effectiveness module (made once per organization)."""
    module, _ = SkillModule.objects.get_or_create(
        organization=organization, name="Interpersonal effectiveness", defaults={"approach": "dbt"}
    )
    skill, _ = Skill.objects.get_or_create(
        module=module,
        name="Asking for what you need",
        defaults={
            "acronym": "DEAR MAN",
            "summary": "Say plainly what happened, how you feel and what you want; stay on it.",
            "steps": [
                *("Describe", "Express", "Assert", "Reinforce"),
                *("Mindful", "Appear", "Negotiate"),
            ],
        },
    )
    return skill


def skill_practice_log(organization: Organization) -> WorksheetDefinition:
    """A current, version-1 skill-practice log for the organization."""
    definition, _ = WorksheetDefinition.objects.get_or_create(
        organization=organization,
        code="skill-practice",
        version=1,
        defaults={"title": "Skill practice log", "fields": SKILL_PRACTICE_FIELDS},
    )
    return definition


def assign_practice(
    world: World, participant: Participant | None = None, **overrides: Any
) -> Assignment:
    """Assign practice through the action, by the participant's clinician, from today: DEAR
    MAN once, due in two days, unless `overrides` (AssignmentData's fields) say otherwise."""
    from datetime import timedelta

    from trellis.practice.actions.assignments import AssignmentData, do_assign

    today = world.organization.today()
    data: dict[str, Any] = {
        "title": "Practise DEAR MAN once",
        "due_on": today + timedelta(days=2),
        "starts_on": today,
        "skill": dear_man(world.organization),
    } | overrides
    episode = (participant or world.participant).episodes.get()
    return do_assign(world.clinician, episode, AssignmentData(**data))
