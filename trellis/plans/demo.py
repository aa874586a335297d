"""Demo plans: every active participant with a primary clinician gets a signed plan with a
goal in their own words, two or three objectives and interventions; so does everyone
discharged recently (`participants.demo.recently_discharged`), whose discharge summary reads
its goals and diagnoses. Called by seed_demo."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from trellis.accounts.models import User
from trellis.participants.demo import recently_discharged
from trellis.participants.models import Episode, EpisodeStatus
from trellis.plans import actions
from trellis.plans import content as c
from trellis.programs.models import Organization

# (problem, diagnosis, goal in the participant's words, instrument)
STORIES = [
    (
        "Panic attacks keep them from work",
        "F41.0",
        "I want to get back to work without panicking",
        "GAD-7",
    ),
    (
        "Low mood and withdrawal",
        "F33.1",
        "I want to feel like myself again and see my friends",
        "PHQ-9",
    ),
    (
        "Constant worry; poor sleep",
        "F41.1",
        "I want to sleep through the night and stop worrying all day",
        "GAD-7",
    ),
    (
        "Nightmares and avoidance after an assault",
        "F43.10",
        "I want to walk to the shop on my own again",
        "PCL-5",
    ),
    ("Drinking daily to cope", "F10.20", "I want to be sober for my kids' birthdays", "PHQ-9"),
    ("Opioid use; recent relapse", "F11.20", "I want to keep my job and stay clean", "PHQ-9"),
]
STRENGTHS = [
    "Motivated; supportive partner",
    "Sense of humour; steady job",
    "Close to a sibling; creative",
    "Insight into triggers; faith community",
    "Loves their dog; walks daily",
]


def demo_content(
    rng: random.Random,
    today: date,
    responsible_id: str,
    name: str,
    stories: list[tuple[str, str, str, str]] | None = None,
) -> c.PlanContent:
    problem_text, code, words, instrument = rng.choice(stories or STORIES)
    problem = c.Problem(description=problem_text, diagnosis=code)
    goal = c.Goal(problem=problem.key, words=words)
    due = today + timedelta(days=rng.choice([30, 45, 60]))
    objectives = [
        c.Objective(
            goal=goal.key,
            description=f"{instrument} below 10",
            kind=c.ObjectiveKind.MEASURE,
            due_on=due,
            instrument=instrument,
            comparator=c.Comparator.LT,
            target=10,
        ),
        c.Objective(
            goal=goal.key,
            description="Attends at least 90% of scheduled groups",
            kind=c.ObjectiveKind.ATTENDANCE,
            due_on=due,
            comparator=c.Comparator.GE,
            target=90,
        ),
    ]
    if rng.random() < 0.5:
        objectives.append(
            c.Objective(
                goal=goal.key,
                description="Uses a coping skill when urges or panic rise",
                kind=c.ObjectiveKind.CUSTOM,
                due_on=due,
                rating=rng.randint(20, 70),
            )
        )
    return c.PlanContent(
        problems=[problem],
        goals=[goal],
        objectives=objectives,
        interventions=[
            c.Intervention(
                modality="CBT/DBT skills group",
                frequency="3 times a week",
                responsible=responsible_id,
                responsible_name=name,
                objectives=[objectives[0].key],
            ),
            c.Intervention(
                modality="Individual therapy",
                frequency="weekly",
                responsible=responsible_id,
                responsible_name=name,
            ),
        ],
        strengths=rng.choice(STRENGTHS),
        discharge_criteria=f"{instrument} below 10 for two weeks; aftercare arranged",
    )


def template_content(program_name: str) -> c.PlanContent:
    """A program's starting plan: the shape every plan shares, written to be made personal."""
    problem = c.Problem(description="Presenting problem from the assessment (make it theirs)")
    goal = c.Goal(problem=problem.key, words="“I want to …” (in the participant's words)")
    objective = c.Objective(
        goal=goal.key,
        description="Reduce symptom severity on the program's main measure",
        kind=c.ObjectiveKind.MEASURE,
        instrument="PHQ-9",
        comparator=c.Comparator.LT,
        target=10,
    )
    attendance = c.Objective(
        goal=goal.key,
        description="Attend the scheduled groups",
        kind=c.ObjectiveKind.ATTENDANCE,
        comparator=c.Comparator.GE,
        target=80,
    )
    return c.PlanContent(
        problems=[problem],
        goals=[goal],
        objectives=[objective, attendance],
        interventions=[
            c.Intervention(
                modality=f"{program_name} skills groups",
                frequency="3 times a week",
                objectives=[objective.key, attendance.key],
            )
        ],
        discharge_criteria="Main measure below 10 for two weeks; aftercare arranged",
    )


def seed_plans(organization: Organization, *, rng: random.Random, today: date) -> int:
    """Give active and recently discharged participants a signed plan (through the actions).
    Returns how many.

    Each program also gets one plan template (its set-up page shows it) if it has none."""
    for program in organization.programs.filter(plan_templates__isnull=True).order_by("name"):
        actions.do_create_plan_template(
            None, program, actions.TemplateData("Standard plan", template_content(program.name))
        )
    episodes = (
        Episode.objects.filter(program__organization=organization, status=EpisodeStatus.ACTIVE)
        .filter(plan__isnull=True)
        .select_related("program", "participant")
        .order_by("pk")
    )
    made = 0
    for episode in episodes:
        primary = (
            episode.care_team.filter(is_primary=True, end_date__isnull=True)
            .select_related("user")
            .first()
        )
        if primary is None:
            continue
        _sign(primary.user, episode, demo_content(rng, today, *_responsible(primary.user)))
        made += 1
    # Then, from the same stream (the active people's plans stay as they were), the people
    # discharged recently: a plan written in their first week, for their program's problems
    # and measured by the check-ins they did (PHQ-9, GAD-7).
    for episode in (
        recently_discharged(organization, today)
        .filter(plan__isnull=True)
        .select_related("program", "participant")
    ):
        primary = episode.care_team.filter(is_primary=True).select_related("user").first()
        if primary is None or episode.admitted_on is None:
            continue
        week_one = episode.admitted_on + timedelta(days=rng.randint(2, 6))
        stories = [s for s in STORIES if (s[1] in SUD_CODES) == _substance_use(episode)]
        stories = [s for s in stories if s[3] in {"PHQ-9", "GAD-7"}]
        content = demo_content(rng, week_one, *_responsible(primary.user), stories=stories)
        signed_at = datetime.combine(week_one, time(16, 0), organization.tz)
        _sign(primary.user, episode, content, now=signed_at)
        made += 1
    return made


SUD_CODES = {"F10.20", "F11.20"}


def _substance_use(episode: Episode) -> bool:
    return "substance" in episode.program.name.lower()


def _responsible(clinician: User) -> tuple[str, str]:
    return str(clinician.public_id), clinician.name


def _sign(
    clinician: User, episode: Episode, document: c.PlanContent, *, now: datetime | None = None
) -> None:
    """Start, write and sign a plan through the actions (`now`: when it was signed)."""
    draft = actions.do_start_plan(clinician, episode)
    draft = actions.do_save_draft(clinician, draft, document, revision=draft.revision)
    actions.do_sign_plan(clinician, draft, now=now)
