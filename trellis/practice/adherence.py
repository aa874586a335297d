"""Adherence arithmetic: pure functions over plain data (no database), so that the rules are
easy to read and Hypothesis can drive them (tests/test_adherence_properties.py).

Rules (docs/practice.md):

- **required**: `times_required` entries, or for a daily assignment one per day of
  [starts_on, due_on].
- **done**: the distinct days with an entry inside [starts_on, due_on] (several entries on
  one day count once; entries outside the window do not count), capped at required.
- **on time**: done reaches required within the window.
- **excused** assignments are left out of every count: they neither help nor hurt.
- **percent**: 100 × Σ done / Σ required over the assignments counted, or None when there
  are none (no data is not 0 %).
- **streak**: consecutive days with any practice ending today; if nothing is logged yet
  today, the run ending yesterday still counts (the day is not over).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAILY = "daily"
EXCUSED = "excused"


@dataclass(frozen=True)
class AssignmentFacts:
    """What adherence needs to know about one assignment and its entries."""

    key: int
    frequency: str  # "once" | "times" | "daily"
    times_required: int
    starts_on: date
    due_on: date
    status: str
    practiced_on: tuple[date, ...] = ()
    skill_key: int | None = None
    group_key: Hashable = None  # e.g. the episode, for per-person rollups


def required(facts: AssignmentFacts) -> int:
    if facts.frequency == DAILY:
        return max(1, (facts.due_on - facts.starts_on).days + 1)
    return max(1, facts.times_required)


def done(facts: AssignmentFacts) -> int:
    days = {d for d in facts.practiced_on if facts.starts_on <= d <= facts.due_on}
    return min(len(days), required(facts))


def on_time(facts: AssignmentFacts) -> bool:
    return done(facts) >= required(facts)


@dataclass(frozen=True)
class Adherence:
    assigned: int  # assignments counted (excused ones left out)
    required: int
    done: int
    on_time: int  # assignments completed within their window
    excused: int = 0

    @property
    def percent(self) -> float | None:
        if self.required == 0:
            return None
        return round(100 * self.done / self.required, 1)

    @property
    def label(self) -> str:
        return f"{self.done} of {self.required}"


EMPTY = Adherence(0, 0, 0, 0)


def adherence(assignments: Iterable[AssignmentFacts]) -> Adherence:
    assigned = req = got = timely = excused = 0
    for facts in assignments:
        if facts.status == EXCUSED:
            excused += 1
            continue
        assigned += 1
        r = required(facts)
        d = done(facts)
        req += r
        got += d
        timely += d >= r
    return Adherence(assigned, req, got, timely, excused)


def rollup(
    assignments: Iterable[AssignmentFacts], key: Callable[[AssignmentFacts], Hashable]
) -> dict[Hashable, Adherence]:
    """Adherence per key (per person: `lambda a: a.group_key`; per skill: `a.skill_key`)."""
    groups: dict[Hashable, list[AssignmentFacts]] = {}
    for facts in assignments:
        groups.setdefault(key(facts), []).append(facts)
    return {k: adherence(v) for k, v in groups.items()}


def overlapping(
    assignments: Iterable[AssignmentFacts], first: date, last: date
) -> list[AssignmentFacts]:
    """The assignments whose window overlaps [first, last]."""
    return [a for a in assignments if a.starts_on <= last and a.due_on >= first]


def streak(practiced_on: Iterable[date], today: date) -> int:
    days = {d for d in practiced_on if d <= today}
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n


def last_practice(practiced_on: Iterable[date], today: date) -> date | None:
    past = [d for d in practiced_on if d <= today]
    return max(past) if past else None


def week_streak(assignments: Iterable[AssignmentFacts], today: date) -> int:
    """Weeks in a row, by the ISO week each assignment is due, whose assigned practice was
    all done (excused assignments left out). It ends with this week when this week's is done
    already, else with last week (the week is not over). A week with nothing due neither
    counts nor breaks the run; a week with something due and not all of it done ends it."""
    due: dict[date, list[AssignmentFacts]] = {}
    for facts in assignments:
        if facts.status != EXCUSED:
            due.setdefault(facts.due_on - timedelta(days=facts.due_on.weekday()), []).append(facts)
    monday = today - timedelta(days=today.weekday())
    this_week = adherence(due.get(monday, ()))
    if not (this_week.assigned and this_week.done >= this_week.required):
        monday -= timedelta(weeks=1)
    earliest = min(due, default=monday)
    n = 0
    while monday >= earliest:
        week = adherence(due.get(monday, ()))
        if week.assigned:
            if week.done < week.required:
                break
            n += 1
        monday -= timedelta(weeks=1)
    return n
