"""Reads for adherence: load assignments and entry days as plain facts (a fixed number of
queries whatever the history), then let `trellis.practice.adherence` do the arithmetic.

Callers have already opened the participant through the access spine (the chart tab calls
`privacy.access.access_participant`; plans and meetings run for episodes they already read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery

from trellis.lib.clock import local_today
from trellis.practice import adherence as rules
from trellis.practice.models import Assignment, PracticeEntry
from trellis.practice.models.assignments import OPEN_ASSIGNMENT_STATUSES

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.privacy.access import ParticipantAccess

IDLE_DAYS = 7  # the agenda rule: no practice logged in 7 days while assigned
CHART_WEEKS = 12
RECENT_ENTRIES = 10


def facts_for(
    episode_ids: Iterable[int], *, first: date | None = None, last: date | None = None
) -> list[rules.AssignmentFacts]:
    """Every assignment of the episodes (overlapping [first, last] when given), with the days
    practised. Two queries."""
    ids = list(episode_ids)
    assignments = Assignment.objects.filter(episode_id__in=ids)
    if last is not None:
        assignments = assignments.filter(starts_on__lte=last)
    if first is not None:
        assignments = assignments.filter(due_on__gte=first)
    rows = list(
        assignments.values(
            "pk",
            "episode_id",
            "skill_id",
            "frequency",
            "times_required",
            "starts_on",
            "due_on",
            "status",
        )
    )
    days: dict[int, list[date]] = {}
    entries = PracticeEntry.objects.filter(episode_id__in=ids)
    if first is not None or last is not None:
        entries = entries.filter(assignment__in=assignments)
    for assignment_id, practiced_on in entries.values_list("assignment_id", "practiced_on"):
        days.setdefault(assignment_id, []).append(practiced_on)
    return [
        rules.AssignmentFacts(
            key=row["pk"],
            frequency=row["frequency"],
            times_required=row["times_required"],
            starts_on=row["starts_on"],
            due_on=row["due_on"],
            status=row["status"],
            practiced_on=tuple(days.get(row["pk"], ())),
            skill_key=row["skill_id"],
            group_key=row["episode_id"],
        )
        for row in rows
    ]


# --- plan objectives ("practice" provider) ----------------------------------------------


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def this_week(episode: Episode, today: date | None = None) -> rules.Adherence:
    """Adherence of the practice assigned for this ISO week (the organization's date)."""
    today = today or local_today(episode.program.organization.tz)
    first, last = week_of(today)
    return rules.adherence(facts_for([episode.pk], first=first, last=last))


def practice_progress(episode: Episode, objectives: Sequence[Any]) -> dict[str, Any]:
    """plans' "practice" provider: % of this week's assigned practice done, "2 of 3 this
    week". Nothing (no reading) when nothing is assigned this week."""
    from trellis.plans import progress

    today = local_today(episode.program.organization.tz)
    week = this_week(episode, today)
    if week.percent is None:
        return {}
    detail = f"{week.label} this week"
    return {o.key: progress.Reading(week.percent, today, detail) for o in objectives}


# --- the meetings agenda rule -----------------------------------------------------------


def idle_episodes(episode_ids: Iterable[int], today: date) -> dict[int, date | None]:
    """Episodes with an open assignment that has been running for the last IDLE_DAYS days
    and no entry logged in those days: episode id → last practice day (or None).
    One query whatever the number of episodes."""
    since = today - timedelta(days=IDLE_DAYS - 1)
    last_entry = (
        PracticeEntry.objects.filter(episode_id=OuterRef("episode_id"), practiced_on__lte=today)
        .order_by("-practiced_on")
        .values("practiced_on")[:1]
    )
    rows = (
        Assignment.objects.filter(
            episode_id__in=list(episode_ids),
            status__in=OPEN_ASSIGNMENT_STATUSES,
            starts_on__lte=since,
            due_on__gte=today,
        )
        .annotate(last=Subquery(last_entry))
        .values_list("episode_id", "last")
    )
    return {e: last for e, last in rows if last is None or last < since}


# --- the chart's Practice tab ------------------------------------------------------------


@dataclass
class WeekBar:
    monday: date
    adherence: rules.Adherence
    x: int = 0
    y: int = 0
    height: int = 0


@dataclass
class AdherenceChart:
    width: int
    height: int
    plot_bottom: int
    bars: list[WeekBar] = field(default_factory=list)
    bar_width: int = 0


def weekly_chart(
    facts: Sequence[rules.AssignmentFacts], today: date, weeks: int = CHART_WEEKS
) -> AdherenceChart:
    """Bars of adherence per ISO week (assignments by the week they are due), oldest first.
    Weeks without assignments are gaps, never 0 %."""
    width, height, top, bottom = 600, 160, 10, 130
    chart = AdherenceChart(width, height, bottom)
    first_monday = week_of(today)[0] - timedelta(weeks=weeks - 1)
    slot = width // weeks
    chart.bar_width = slot - 8
    for n in range(weeks):
        monday = first_monday + timedelta(weeks=n)
        sunday = monday + timedelta(days=6)
        due = [f for f in facts if monday <= f.due_on <= sunday]
        week = rules.adherence(due)
        bar = WeekBar(monday, week, x=n * slot + 4)
        if week.percent is not None:
            bar.height = max(1, round((bottom - top) * week.percent / 100))
            bar.y = bottom - bar.height
        chart.bars.append(bar)
    return chart


def practice_tab(access: ParticipantAccess) -> dict[str, Any]:
    """The Practice tab's context for the episodes the user sees clinically. A fixed number
    of queries whatever the history (tests/test_adherence_tab.py)."""
    episodes = [e for e in access.episodes if access.is_clinical_for(e)]
    if not episodes:
        return {"practice_episodes": []}
    ids = [e.pk for e in episodes]
    today = local_today(episodes[0].program.organization.tz)
    facts = facts_for(ids)
    started = [f for f in facts if f.starts_on <= today]
    open_assignments = list(
        Assignment.objects.filter(episode_id__in=ids, status__in=OPEN_ASSIGNMENT_STATUSES)
        .select_related("skill", "worksheet")
        .order_by("due_on", "pk")
    )
    recent = list(
        PracticeEntry.objects.filter(episode_id__in=ids)
        .select_related("assignment")
        .order_by("-practiced_on", "-submitted_at")[:RECENT_ENTRIES]
    )
    skills: dict[Any, str] = dict(
        Assignment.objects.filter(episode_id__in=ids, skill__isnull=False)
        .values_list("skill_id", "skill__name")
        .distinct()
    )
    by_skill = rules.rollup(started, lambda f: f.skill_key)
    done_by_id = {f.key: rules.done(f) for f in facts}
    required_by_id = {f.key: rules.required(f) for f in facts}
    all_days = [d for f in facts for d in f.practiced_on]
    return {
        "practice_episodes": episodes,
        "practice_today": today,
        "overall": rules.adherence(started),
        "streak": rules.streak(all_days, today),
        "last_practice": rules.last_practice(all_days, today),
        "per_skill": sorted(
            ((skills.get(k, "Worksheets"), v) for k, v in by_skill.items()),
            key=lambda pair: str(pair[0]),
        ),
        "open_assignments": [
            (a, done_by_id.get(a.pk, 0), required_by_id.get(a.pk, 1)) for a in open_assignments
        ],
        "recent_entries": recent,
        "chart": weekly_chart(facts, today),
    }


# --- a program's people (bench, per-person rollup) ------------------------------------


def program_adherence(episode_ids: Sequence[int], today: date) -> dict[Any, rules.Adherence]:
    """Per episode adherence of every started assignment. Two queries for any program size."""
    started = [f for f in facts_for(episode_ids) if f.starts_on <= today]
    return rules.rollup(started, lambda f: f.group_key)


def adherence_summary(access: ParticipantAccess) -> dict[str, Any] | None:
    """Adherence of the episodes the user sees clinically (the API): overall, this week,
    per skill, streak. None when there is no such episode. Three queries."""
    episodes = [e for e in access.episodes if access.is_clinical_for(e)]
    if not episodes:
        return None
    ids = [e.pk for e in episodes]
    today = local_today(episodes[0].program.organization.tz)
    facts = facts_for(ids)
    started = [f for f in facts if f.starts_on <= today]
    first, last = week_of(today)
    skills: dict[Any, str] = dict(
        Assignment.objects.filter(episode_id__in=ids, skill__isnull=False)
        .values_list("skill_id", "skill__name")
        .distinct()
    )
    days = [d for f in facts for d in f.practiced_on]
    return {
        "today": today,
        "overall": rules.adherence(started),
        "this_week": rules.adherence(rules.overlapping(facts, first, last)),
        "per_skill": {
            skills.get(k, "Worksheets"): v
            for k, v in rules.rollup(started, lambda f: f.skill_key).items()
        },
        "streak": rules.streak(days, today),
        "last_practice": rules.last_practice(days, today),
    }
