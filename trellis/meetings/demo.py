"""Demo team meetings: a weekly Friday meeting per program, last week's held (agenda,
discussion, decisions with their tasks and plan revisions, attendance, signed minutes) and
the next ones scheduled. Called by seed_demo after plans and notes:

    from trellis.meetings.demo import seed_meetings
    seed_meetings(organization, rng=rng, today=today)
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from trellis.lib.choices import Weekday
from trellis.meetings import actions
from trellis.meetings.models import AgendaRule, DecisionKind, Meeting
from trellis.meetings.queries import program_staff
from trellis.participants.models import CareTeamMember
from trellis.plans.models import TreatmentPlan
from trellis.programs.models import Membership, Organization, Role

if TYPE_CHECKING:
    from trellis.accounts.models import User

# What the team says and decides about a person follows why they are on the agenda: the first
# rule of RULE_ORDER that flagged them picks the discussion and the decision (a plan revision
# where the signal is clinical and the person has a plan, a task otherwise).
RULE_ORDER = [
    AgendaRule.URGENT_ALERT,
    AgendaRule.DETERIORATION,
    AgendaRule.NOT_ON_TRACK,
    AgendaRule.BELOW_MINIMUM,
    AgendaRule.UNEXCUSED,
    AgendaRule.REVIEW_DUE,
    AgendaRule.DISCHARGE_PLANNED,
]
DISCUSSED: dict[str, tuple[str, str | None, str]] = {
    # rule: (discussion, plan revision or None, task)
    AgendaRule.URGENT_ALERT: (
        "Positive risk answer this week; the primary clinician called the same day, no plan "
        "or intent, safety plan reviewed.",
        None,
        "Review the safety plan in the next individual session",
    ),
    AgendaRule.DETERIORATION: (
        "Scores worse since admission and groups see the same: more withdrawn, skipping "
        "homework. Sleep worse since the medication change.",
        "Add a behavioural activation objective and review the target date",
        "Coordinate with the prescriber about sleep",
    ),
    AgendaRule.NOT_ON_TRACK: (
        "Not improving as expected by now: engaged in group, but avoids the exposure work in "
        "individual sessions.",
        "Add an objective for the exposure work and review the target date",
        "Agree one exposure step to practise before the next individual session",
    ),
    AgendaRule.BELOW_MINIMUM: (
        "Hours below the minimum last week: a new job start clashes with the day track.",
        None,
        "Offer the evening track as an alternative",
    ),
    AgendaRule.UNEXCUSED: (
        "Missed groups without notice; says the ride to evening group fell through.",
        None,
        "Call to problem-solve transport to evening group",
    ),
    AgendaRule.REVIEW_DUE: (
        "Plan review due this week; goals on track, attendance steady.",
        None,
        "Complete the plan review with the participant before it is due",
    ),
    AgendaRule.DISCHARGE_PLANNED: (
        "Discharge planned next week; agrees to step down to weekly outpatient therapy.",
        None,
        "Send the aftercare referral before discharge",
    ),
}


def seed_meetings(organization: Organization, *, rng: random.Random, today: date) -> int:
    """Returns the number of meetings created (held and upcoming)."""
    made = 0
    for program in organization.programs.filter(is_active=True).select_related("organization"):
        staff = program_staff(program)
        if not staff:
            continue
        directors = [
            m.user
            for m in Membership.objects.active()
            .filter(role=Role.PROGRAM_DIRECTOR, program=program)
            .select_related("user")
        ]
        chair = directors[0] if directors else staff[0]
        series = actions.do_create_series(
            None, program, weekday=Weekday.FRIDAY, start_time=time(9, 0), today=today
        )
        made += series.meetings.count()
        last_friday = today - timedelta(days=(today.weekday() - Weekday.FRIDAY) % 7 or 7)
        held = actions.do_create_meeting_on(series, last_friday)
        made += 1
        _hold(held, chair, staff, rng, today=last_friday)
    return made


def _hold(
    meeting: Meeting, chair: User, staff: list[User], rng: random.Random, *, today: date
) -> None:
    items = actions.do_generate_agenda(None, meeting, today=today)
    rules: dict[int, set[str]] = {}
    episodes = {}
    for item in items:
        if item.rule in DISCUSSED:  # discuss the clinical and attendance signals first
            rules.setdefault(item.episode_id, set()).add(item.rule)
            episodes[item.episode_id] = item.episode
    chosen = rng.sample(sorted(rules), k=min(4, len(rules)))
    primaries = {
        m.episode_id: m.user
        for m in CareTeamMember.objects.active_on(today)
        .filter(episode_id__in=chosen, is_primary=True)
        .select_related("user")
    }
    with_plan = set(
        TreatmentPlan.objects.filter(episode_id__in=chosen).values_list("episode_id", flat=True)
    )
    for episode_id in chosen:
        rule = next(rule for rule in RULE_ORDER if rule in rules[episode_id])
        discussion, revision, task = DISCUSSED[rule]
        owner = primaries.get(episode_id, chair)
        episode = episodes[episode_id]
        actions.do_discuss(chair, meeting, episode, discussion)
        if revision is not None and episode_id in with_plan:
            kind, text, due_on = DecisionKind.PLAN_REVISION, revision, today + timedelta(days=7)
        else:
            kind, text = DecisionKind.TASK, task
            due_on = today + timedelta(days=rng.randint(2, 7))
        actions.do_decide(chair, meeting, episode, kind=kind, text=text, owner=owner, due_on=due_on)
    actions.do_record_attendance(chair, meeting, staff)
    actions.do_sign(chair, meeting)
