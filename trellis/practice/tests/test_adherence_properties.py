"""Adherence and streak arithmetic (trellis/practice/adherence.py), driven by Hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.practice import adherence as rules

START = date(2026, 3, 2)


@st.composite
def assignments(draw: st.DrawFn, key: int = 0) -> rules.AssignmentFacts:
    frequency = draw(st.sampled_from(["once", "times", "daily"]))
    starts_on = START + timedelta(days=draw(st.integers(0, 20)))
    due_on = starts_on + timedelta(days=draw(st.integers(0, 13)))
    days = draw(st.lists(st.integers(-5, 25), max_size=20))
    return rules.AssignmentFacts(
        key=key,
        frequency=frequency,
        times_required=draw(st.integers(1, 7)) if frequency == "times" else 1,
        starts_on=starts_on,
        due_on=due_on,
        status=draw(st.sampled_from(["assigned", "in_progress", "done", "missed", "excused"])),
        practiced_on=tuple(starts_on + timedelta(days=d) for d in days),
        skill_key=draw(st.sampled_from([1, 2, None])),
        group_key=draw(st.sampled_from(["a", "b"])),
    )


many = st.lists(assignments(), max_size=12)


@settings(max_examples=200, deadline=None)  # a shared, busy test machine
@given(many)
def test_adherence_is_between_0_and_100_percent(items: list[rules.AssignmentFacts]) -> None:
    result = rules.adherence(items)
    if result.percent is None:
        assert result.required == 0
    else:
        assert 0 <= result.percent <= 100
    assert 0 <= result.done <= result.required
    assert 0 <= result.on_time <= result.assigned


@settings(max_examples=200, deadline=None)  # a shared, busy test machine
@given(assignments(), st.integers(-3, 35))
def test_adherence_never_falls_when_practice_is_added(
    facts: rules.AssignmentFacts, offset: int
) -> None:
    more = rules.AssignmentFacts(
        **{**facts.__dict__, "practiced_on": (*facts.practiced_on, START + timedelta(offset))}
    )
    before, after = rules.adherence([facts]), rules.adherence([more])
    assert after.done >= before.done
    assert after.on_time >= before.on_time
    if before.percent is not None and after.percent is not None:
        assert after.percent >= before.percent


@settings(max_examples=200, deadline=None)  # a shared, busy test machine
@given(many)
def test_rollups_add_up_to_the_whole(items: list[rules.AssignmentFacts]) -> None:
    whole = rules.adherence(items)
    for key in (lambda a: a.group_key, lambda a: a.skill_key):
        parts = rules.rollup(items, key).values()
        assert sum(p.done for p in parts) == whole.done
        assert sum(p.required for p in parts) == whole.required
        assert sum(p.assigned for p in parts) == whole.assigned


@settings(max_examples=200, deadline=None)  # a shared, busy test machine
@given(st.sets(st.integers(0, 30)), st.integers(0, 30))
def test_streak_counts_consecutive_days_back_from_today(days: set[int], today_n: int) -> None:
    today = START + timedelta(days=today_n)
    practiced = [START + timedelta(days=d) for d in days]
    n = rules.streak(practiced, today)
    end = today if today in practiced else today - timedelta(days=1)
    assert all(end - timedelta(days=i) in practiced for i in range(n))
    assert end - timedelta(days=n) not in practiced
    assert n <= len([d for d in practiced if d <= today])


def facts(**kw: object) -> rules.AssignmentFacts:
    base: dict[str, object] = {
        "key": 1,
        "frequency": "times",
        "times_required": 3,
        "starts_on": START,
        "due_on": START + timedelta(days=6),
        "status": "assigned",
    }
    return rules.AssignmentFacts(**(base | kw))  # type: ignore[arg-type]


def test_entries_count_once_per_day_and_only_inside_the_window() -> None:
    d = START + timedelta(days=1)
    got = facts(practiced_on=(d, d, START - timedelta(days=1), START + timedelta(days=7)))
    assert (rules.required(got), rules.done(got), rules.on_time(got)) == (3, 1, False)


def test_daily_requires_one_entry_per_day_and_extra_practice_is_capped() -> None:
    daily = facts(frequency="daily", times_required=1)
    assert rules.required(daily) == 7
    once = facts(frequency="once", times_required=1, practiced_on=(START, START + timedelta(1)))
    assert (rules.done(once), rules.on_time(once)) == (1, True)


def test_excused_is_left_out_and_no_assignments_is_no_data() -> None:
    assert rules.adherence([]).percent is None
    result = rules.adherence([facts(status="excused"), facts(practiced_on=(START, START))])
    assert (result.assigned, result.excused, result.label, result.percent) == (1, 1, "1 of 3", 33.3)


def test_streak_allows_today_not_logged_yet() -> None:
    days = [START, START + timedelta(1), START + timedelta(2)]
    assert rules.streak(days, START + timedelta(2)) == 3
    assert rules.streak(days, START + timedelta(3)) == 3  # today still open
    assert rules.streak(days, START + timedelta(4)) == 0
