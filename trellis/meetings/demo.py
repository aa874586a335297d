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

DISCUSSIONS = [
    "Team agrees the scores match what groups see: more withdrawn, skipping homework.",
    "Reports a new job start; attendance dropped because of the schedule.",
    "Sleep worse since the medication change; prescriber to review.",
    "Engaged in group, but avoids the exposure work in individual sessions.",
]
TASKS = [
    "Call to problem-solve transport to evening group",
    "Coordinate with the prescriber about sleep",
    "Review the safety plan in the next individual session",
    "Offer the morning track as an alternative",
]
REVISION = "Add an objective for the exposure work and review the target date"


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
    flagged = {
        item.episode_id: item
        for item in items
        if item.rule != AgendaRule.UNSIGNED_PLAN  # discuss the clinical signals first
    }
    chosen = rng.sample(sorted(flagged), k=min(4, len(flagged)))
    primaries = {
        m.episode_id: m.user
        for m in CareTeamMember.objects.active_on(today)
        .filter(episode_id__in=chosen, is_primary=True)
        .select_related("user")
    }
    with_plan = set(
        TreatmentPlan.objects.filter(episode_id__in=chosen).values_list("episode_id", flat=True)
    )
    revised = False
    for n, episode_id in enumerate(chosen):
        episode = flagged[episode_id].episode
        owner = primaries.get(episode_id, chair)
        actions.do_discuss(chair, meeting, episode, DISCUSSIONS[n % len(DISCUSSIONS)])
        if episode_id in with_plan and not revised:
            actions.do_decide(
                chair,
                meeting,
                episode,
                kind=DecisionKind.PLAN_REVISION,
                text=REVISION,
                owner=owner,
                due_on=today + timedelta(days=7),
            )
            revised = True
        else:
            actions.do_decide(
                chair,
                meeting,
                episode,
                kind=DecisionKind.TASK,
                text=TASKS[n % len(TASKS)],
                owner=owner,
                due_on=today + timedelta(days=rng.randint(2, 7)),
            )
    actions.do_record_attendance(chair, meeting, staff)
    actions.do_sign(chair, meeting)
