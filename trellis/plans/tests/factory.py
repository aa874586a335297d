"""Plans built through the real actions, for tests and the URL walk."""

from __future__ import annotations

from datetime import timedelta

from tests.personas import org_today
from trellis.accounts.models import User
from trellis.participants.models import Episode
from trellis.plans import actions
from trellis.plans import content as c
from trellis.plans.models import PlanVersion

GOAL_WORDS = "I want to get back to work without panicking"


def complete_content(responsible: User, *, goal: str = GOAL_WORDS) -> c.PlanContent:
    problem = c.Problem(description="Panic attacks keep them from work", diagnosis="F41.0")
    goal_row = c.Goal(problem=problem.key, words=goal)
    due = org_today() + timedelta(days=45)
    objectives = [
        c.Objective(
            goal=goal_row.key,
            description="GAD-7 below 10",
            kind=c.ObjectiveKind.MEASURE,
            due_on=due,
            instrument="GAD-7",
            comparator=c.Comparator.LT,
            target=10,
        ),
        c.Objective(
            goal=goal_row.key,
            description="Attend at least 90% of groups",
            kind=c.ObjectiveKind.ATTENDANCE,
            due_on=due,
            comparator=c.Comparator.GE,
            target=90,
        ),
        c.Objective(
            goal=goal_row.key,
            description="Uses a grounding skill during panic",
            kind=c.ObjectiveKind.CUSTOM,
            due_on=due,
            rating=40,
            rating_note="uses it sometimes",
        ),
    ]
    return c.PlanContent(
        problems=[problem],
        goals=[goal_row],
        objectives=objectives,
        interventions=[
            c.Intervention(
                modality="CBT skills group",
                frequency="3 times a week",
                responsible=str(responsible.public_id),
                responsible_name=responsible.name,
                objectives=[objectives[0].key],
            )
        ],
        strengths="Motivated; supportive partner",
        discharge_criteria="GAD-7 below 10 for two weeks and back at work part time",
    )


def draft_with(actor: User, episode: Episode, document: c.PlanContent) -> PlanVersion:
    draft = actions.check_start_plan(actor, episode)
    return actions.check_save_draft(actor, draft, document, revision=draft.revision)


def signed_plan(actor: User, episode: Episode, password: str, **kwargs: str) -> PlanVersion:
    draft = draft_with(actor, episode, complete_content(actor, **kwargs))
    return actions.check_sign_plan(
        actor, draft, typed_name=actor.name, password=password, revision=draft.revision
    )
