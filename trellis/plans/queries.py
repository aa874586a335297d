"""Reads of plans: the Plan tab, comparisons, reviews due (for the worklist and meetings)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from trellis.plans import content as plan_content
from trellis.plans.models import PlanTemplate, PlanVersion, TreatmentPlan, VersionStatus
from trellis.plans.progress import Progress, progress_for

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.programs.models import Program


@dataclass
class ObjectiveRow:
    objective: plan_content.Objective
    progress: Progress | None


@dataclass
class GoalBlock:
    goal: plan_content.Goal
    objectives: list[ObjectiveRow]


@dataclass
class ProblemBlock:
    number: int
    problem: plan_content.Problem
    diagnosis_label: str
    goals: list[GoalBlock]


@dataclass
class PlanDocument:
    """A version's content arranged for reading: problems → goals → objectives."""

    version: PlanVersion
    content: plan_content.PlanContent
    problems: list[ProblemBlock] = field(default_factory=list)


def arrange(version: PlanVersion, progress: dict[str, Progress] | None = None) -> PlanDocument:
    from trellis.plans import diagnoses

    document = plan_content.load(version.content)
    blocks = []
    for number, problem in enumerate(document.problems, start=1):
        found = diagnoses.find(problem.diagnosis) if problem.diagnosis else None
        goals = [
            GoalBlock(
                goal,
                [
                    ObjectiveRow(o, (progress or {}).get(o.key))
                    for o in document.objectives_of(goal.key)
                ],
            )
            for goal in document.goals_of(problem.key)
        ]
        blocks.append(ProblemBlock(number, problem, found.label if found else "", goals))
    return PlanDocument(version, document, blocks)


@dataclass
class PlanTab:
    plan: TreatmentPlan | None
    versions: list[PlanVersion]
    current: PlanDocument | None  # the latest signed version, with live progress
    draft: PlanVersion | None
    templates: list[PlanTemplate]
    review_is_due: bool = False  # by the program's date today


def plan_tab(episode: Episode) -> PlanTab:
    """Everything the Plan tab shows, in a fixed number of queries (plus one provider call
    per objective kind)."""
    plan = TreatmentPlan.objects.filter(episode=episode).first()
    templates = list(PlanTemplate.objects.filter(program_id=episode.program_id, is_active=True))
    if plan is None:
        return PlanTab(None, [], None, None, templates)
    versions = list(plan.versions.select_related("signed_by", "updated_by").order_by("-number"))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    signed = next((v for v in versions if v.status == VersionStatus.SIGNED), None)
    current = None
    if signed is not None:
        document = plan_content.load(signed.content)
        current = arrange(signed, progress_for(episode, document.objectives))
    due = plan.review_is_due(episode.program.organization.today())
    return PlanTab(plan, versions, current, draft, templates, review_is_due=due)


def versions_of(episode: Episode) -> list[PlanVersion]:
    """Every version of the episode's plan, newest first (the episode opened through
    access_clinical_episode)."""
    return list(
        PlanVersion.objects.filter(plan__episode=episode)
        .select_related("plan", "template", "updated_by")
        .order_by("-number")
    )


def draft_of(episode: Episode) -> PlanVersion | None:
    """The draft of the episode's plan, if one is open."""
    return (
        PlanVersion.objects.filter(plan__episode=episode, status=VersionStatus.DRAFT)
        .select_related("plan", "template", "updated_by")
        .first()
    )


def version_numbered(episode: Episode, number: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__episode=episode, number=number).first()


def latest_signed(episode: Episode) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(plan__episode=episode, status=VersionStatus.SIGNED)
        .order_by("-number")
        .first()
    )


def latest_signed_versions(episode_ids: list[int]) -> dict[int, PlanVersion]:
    """Each episode's latest signed plan version, in one query (for a page of attendees)."""
    if not episode_ids:
        return {}
    found: dict[int, PlanVersion] = {}
    for version in (
        PlanVersion.objects.filter(plan__episode_id__in=episode_ids, status=VersionStatus.SIGNED)
        .select_related("plan")
        .order_by("plan__episode_id", "-number")
    ):
        found.setdefault(version.plan.episode_id, version)
    return found


@dataclass(frozen=True)
class DiffLine:
    section: str
    change: str  # "same", "added", "removed"
    text: str


def compare(older: PlanVersion, newer: PlanVersion) -> list[DiffLine]:
    """Line-by-line differences of two versions, in reading order."""
    a = plan_content.as_lines(plan_content.load(older.content))
    b = plan_content.as_lines(plan_content.load(newer.content))
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines.extend(DiffLine(s, "same", t) for s, t in a[a1:a2])
            continue
        lines.extend(DiffLine(s, "removed", t) for s, t in a[a1:a2])
        lines.extend(DiffLine(s, "added", t) for s, t in b[b1:b2])
    return lines


def reviews_due(
    episodes: QuerySet[Episode], *, on: date, within_days: int = 0
) -> QuerySet[TreatmentPlan]:
    """Plans of these episodes whose review is due by `on + within_days` (`on`: the program's
    date; for the worklist and the team-meeting agenda)."""
    today = on
    return TreatmentPlan.objects.filter(
        episode__in=episodes, review_due_on__lte=today + timedelta(days=within_days)
    ).select_related("episode__participant")


def program_templates(program: Program) -> list[PlanTemplate]:
    """A program's plan templates for its set-up page: in use first, by name. One query."""
    return list(PlanTemplate.objects.filter(program=program).order_by("-is_active", "name"))


# --- the participant's own progress page (portal) -------------------------------------


@dataclass(frozen=True)
class OwnGoal:
    """A goal of the participant's signed plan as their progress page shows it: their words
    and how many of its measured steps (objectives with a target and data: a score, the
    hours attended, the practice done) have reached their target. Objectives a clinician
    rates by hand are counted as steps but not judged here: their rating and its note are
    the team's, reviewed with the participant."""

    words: str
    steps: int
    measured: int
    reached: int
    due_on: date | None

    @property
    def status(self) -> str:
        """ "reached" (every step measured and at its target), "open" (no step measured to
        judge by), else "working"."""
        if self.steps and self.reached == self.steps:
            return "reached"
        return "working" if self.measured else "open"

    @property
    def by_team(self) -> int:
        """Steps not judged from data (rated by the team, or no data yet)."""
        return self.steps - self.measured


@dataclass
class OwnPlan:
    version: PlanVersion
    goals: list[OwnGoal]


def own_plan_goals(episode: Episode | None) -> OwnPlan | None:
    """The goals of the episode's latest signed plan with their status, for the participant
    who opened their own record (privacy.access.access_participant, audited): the same plan
    they read at /me/plan/. One query for the plan and one per kind of measured objective
    (the progress providers), whatever the history. None when no plan is signed."""
    version = latest_signed(episode) if episode is not None else None
    if version is None or episode is None:
        return None
    document = plan_content.load(version.content)
    progress = progress_for(episode, document.objectives)
    goals = []
    for goal in document.goals:
        if not goal.words.strip():
            continue
        objectives = document.objectives_of(goal.key)
        judged = [
            progress[o.key]
            for o in objectives
            if o.key in progress and progress[o.key].met is not None
        ]
        dates = [o.due_on for o in objectives if o.due_on is not None]
        goals.append(
            OwnGoal(
                words=goal.words,
                steps=len(objectives),
                measured=len(judged),
                reached=sum(1 for p in judged if p.met),
                due_on=max(dates) if dates else None,
            )
        )
    return OwnPlan(version, goals)
