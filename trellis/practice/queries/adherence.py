"""Reads for adherence: load assignments and entry days as plain facts (a fixed number of
queries whatever the history), then let `trellis.practice.adherence` do the arithmetic.

Callers have already opened the participant through the access spine (the chart tab calls
`privacy.access.access_participant`; plans and meetings run for episodes they already read).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
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


_FACT_FIELDS = (
    "pk",
    "episode_id",
    "skill_id",
    "frequency",
    "times_required",
    "starts_on",
    "due_on",
    "status",
)


def _facts(
    rows: Iterable[dict[str, Any]], days: dict[int, list[date]]
) -> list[rules.AssignmentFacts]:
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
    rows = list(assignments.values(*_FACT_FIELDS))
    days: dict[int, list[date]] = {}
    entries = PracticeEntry.objects.filter(episode_id__in=ids).order_by()
    if first is not None or last is not None:
        entries = entries.filter(assignment__in=assignments)
    for assignment_id, practiced_on in entries.values_list("assignment_id", "practiced_on"):
        days.setdefault(assignment_id, []).append(practiced_on)
    return _facts(rows, days)


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
    due_by_week: dict[date, list[rules.AssignmentFacts]] = {}
    for f in facts:
        if f.due_on >= first_monday:
            due_by_week.setdefault(week_of(f.due_on)[0], []).append(f)
    for n in range(weeks):
        monday = first_monday + timedelta(weeks=n)
        week = rules.adherence(due_by_week.get(monday, ()))
        bar = WeekBar(monday, week, x=n * slot + 4)
        if week.percent is not None:
            bar.height = max(1, round((bottom - top) * week.percent / 100))
            bar.y = bottom - bar.height
        chart.bars.append(bar)
    return chart


@dataclass(frozen=True)
class OpenAssignment:
    """What the tab shows of an open assignment (no encrypted field is read)."""

    public_id: Any
    title: str
    skill_name: str | None
    worksheet_title: str | None
    due_on: date


@dataclass(frozen=True)
class RecentEntry:
    """What the tab shows of an entry: never the participant's written answers."""

    practiced_on: date
    late_entered: bool
    assignment_title: str
    rating: int | None


def practice_tab(access: ParticipantAccess) -> dict[str, Any]:
    """The Practice tab's context for the episodes the user sees clinically. Two queries
    (assignments with their skill and worksheet names; entries as plain values) whatever the
    history (tests/test_adherence_tab.py); everything else is arithmetic on those rows."""
    episodes = [e for e in access.episodes if access.is_clinical_for(e)]
    if not episodes:
        return {"practice_episodes": []}
    ids = [e.pk for e in episodes]
    today = local_today(episodes[0].program.organization.tz)
    rows = list(
        Assignment.objects.filter(episode_id__in=ids)
        .order_by()
        .values(*_FACT_FIELDS, "public_id", "title", "skill__name", "worksheet__title")
    )
    entries = list(
        PracticeEntry.objects.filter(episode_id__in=ids)
        .order_by()
        .values_list("assignment_id", "practiced_on", "submitted_at", "late_entered", "rating")
    )
    days: dict[int, list[date]] = {}
    for entry in entries:
        days.setdefault(entry[0], []).append(entry[1])
    facts = _facts(rows, days)
    started = [f for f in facts if f.starts_on <= today]
    by_id = {row["pk"]: row for row in rows}
    skills: dict[Any, str] = {
        row["skill_id"]: row["skill__name"] for row in rows if row["skill_id"] is not None
    }
    open_rows = sorted(
        (row for row in rows if row["status"] in OPEN_ASSIGNMENT_STATUSES),
        key=lambda row: (row["due_on"], row["pk"]),
    )
    facts_by_id = {f.key: f for f in facts}
    recent = heapq.nsmallest(
        RECENT_ENTRIES, entries, key=lambda e: (-e[1].toordinal(), -e[2].timestamp())
    )
    by_skill = rules.rollup(started, lambda f: f.skill_key)
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
            (
                OpenAssignment(
                    row["public_id"],
                    row["title"],
                    row["skill__name"],
                    row["worksheet__title"],
                    row["due_on"],
                ),
                rules.done(facts_by_id[row["pk"]]),
                rules.required(facts_by_id[row["pk"]]),
            )
            for row in open_rows
        ],
        "recent_entries": [
            RecentEntry(practiced_on, late, by_id[assignment_id]["title"], rating)
            for assignment_id, practiced_on, _submitted, late, rating in recent
        ],
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


# --- the participant's own progress page (portal) -------------------------------------

OWN_WEEKS = 8  # the weeks the progress page lists, this one included


@dataclass(frozen=True)
class OwnWeek:
    monday: date
    adherence: rules.Adherence


@dataclass
class OwnPractice:
    """What the participant's progress page says of their practice: days in a row, weeks in
    a row with the week's practice all done, the last day practised and the recent weeks."""

    any_assigned: bool
    day_streak: int
    week_streak: int
    last_practice: date | None
    weeks: list[OwnWeek]


def own_practice(access: ParticipantAccess, today: date) -> OwnPractice:
    """The participant's own practice over their episodes, after they opened their record
    (privacy.access.access_participant, audited). Two queries whatever the history (dates
    and counts only: no answer the participant wrote is read)."""
    if not access.is_own_record:
        raise PermissionDenied("A participant's own progress is theirs alone.")
    facts = facts_for([e.pk for e in access.episodes])
    days = [d for f in facts for d in f.practiced_on]
    this_monday = week_of(today)[0]
    due_by_week: dict[date, list[rules.AssignmentFacts]] = {}
    for f in facts:
        due_by_week.setdefault(week_of(f.due_on)[0], []).append(f)
    weeks = [
        OwnWeek(monday, rules.adherence(due_by_week.get(monday, ())))
        for monday in (this_monday - timedelta(weeks=n) for n in range(OWN_WEEKS))
    ]
    return OwnPractice(
        any_assigned=bool(facts),
        day_streak=rules.streak(days, today),
        week_streak=rules.week_streak(facts, today),
        last_practice=rules.last_practice(days, today),
        weeks=weeks,
    )
