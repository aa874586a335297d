"""Recurrence rules: what is accepted, and expansion per local date across DST."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.scheduling import recurrence
from trellis.scheduling.recurrence import DAY_CODES, RecurrenceError, parse_rule

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_weekly_rule_is_stored_in_canonical_form() -> None:
    rule = parse_rule("RRULE:freq=weekly;byday=WE,MO;interval=2;until=20261231")
    assert rule.as_text() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20261231"
    assert rule.describe() == "Mon, Wed every 2 weeks until 2026-12-31"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("FREQ=DAILY", "Only weekly"),
        ("FREQ=WEEKLY", "which weekdays"),
        ("FREQ=WEEKLY;BYDAY=1MO", "not a weekday code"),
        ("FREQ=WEEKLY;BYDAY=MO;BYMONTH=1", "BYMONTH is not supported"),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=3;UNTIL=20261231", "not both"),
        ("FREQ=WEEKLY;BYDAY=MO;INTERVAL=0", "INTERVAL must be"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261301", "not a real date"),
        ("FREQ=WEEKLY;BYDAY=MO,MO", "twice"),
        ("", "Enter a recurrence"),
        ("nonsense", "NAME=VALUE"),
    ],
)
def test_rules_outside_the_supported_subset_are_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(RecurrenceError, match=says):
        parse_rule(text)


def test_a_6pm_group_stays_at_6pm_across_the_november_2026_change() -> None:
    rule = parse_rule("FREQ=WEEKLY;BYDAY=MO,WE")
    days = [
        d
        for _, d in recurrence.local_dates(
            rule, date(2026, 10, 26), date(2026, 10, 26), date(2026, 11, 4)
        )
    ]
    assert days == [date(2026, 10, 26), date(2026, 10, 28), date(2026, 11, 2), date(2026, 11, 4)]
    starts = [recurrence.aware(d, time(18), CHICAGO) for d in days]
    assert all(s.hour == 18 for s in starts)
    assert [s.utcoffset() for s in starts] == [timedelta(hours=-5)] * 2 + [timedelta(hours=-6)] * 2


def test_count_and_until_end_the_series_and_indexes_rotate_topics() -> None:
    rule = parse_rule("FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    assert recurrence.last_date(rule, date(2026, 9, 1)) == date(2026, 9, 15)
    got = list(recurrence.local_dates(rule, date(2026, 9, 1), date(2026, 9, 8), date(2026, 12, 31)))
    assert got == [(1, date(2026, 9, 8)), (2, date(2026, 9, 15))]
    assert recurrence.last_date(parse_rule("FREQ=WEEKLY;BYDAY=TU"), date(2026, 9, 1)) is None


def test_iso_weeks_parse_and_label() -> None:
    assert recurrence.parse_iso_week("2026-W45") == date(2026, 11, 2)
    assert recurrence.parse_iso_week("2026-W99") is None
    assert recurrence.iso_week_label(date(2026, 11, 2)) == "2026-W45"


days_strategy = st.sets(st.sampled_from(DAY_CODES), min_size=1, max_size=7)


@settings(max_examples=60, deadline=None)
@given(
    days=days_strategy,
    interval=st.integers(min_value=1, max_value=3),
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    hour=st.integers(min_value=6, max_value=21),
    minute=st.sampled_from([0, 15, 30, 45]),
    zone=st.sampled_from([CHICAGO, NEW_YORK, ZoneInfo("America/Los_Angeles")]),
)
def test_every_occurrence_starts_at_the_local_wall_clock_time(
    days: set[str], interval: int, start: date, hour: int, minute: int, zone: ZoneInfo
) -> None:
    rule = parse_rule(f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(days)}")
    window_end = start + timedelta(days=120)
    got = list(recurrence.local_dates(rule, start, start, window_end))
    for _index, day in got:
        moment = recurrence.aware(day, time(hour, minute), zone)
        # Round-tripping through UTC gives back the same wall-clock time on every date,
        # on both sides of every DST change the window crosses.
        back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
        assert (back.date(), back.hour, back.minute) == (day, hour, minute)
        assert DAY_CODES[day.weekday()] in days
    assert [i for i, _ in got] == list(range(len(got)))
    if interval == 1:
        expected = sum(
            1
            for n in range((window_end - start).days + 1)
            if DAY_CODES[(start + timedelta(days=n)).weekday()] in days
        )
        assert len(got) == expected


@settings(max_examples=40, deadline=None)
@given(
    days=days_strategy,
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)),
    count=st.integers(min_value=1, max_value=40),
)
def test_a_window_sees_exactly_the_occurrences_of_the_whole_expansion_inside_it(
    days: set[str], start: date, count: int
) -> None:
    rule = parse_rule(f"FREQ=WEEKLY;BYDAY={','.join(days)};COUNT={count}")
    everything = list(recurrence.local_dates(rule, start, start, date(2030, 1, 1)))
    assert len(everything) == count
    lo, hi = start + timedelta(days=10), start + timedelta(days=40)
    window = list(recurrence.local_dates(rule, start, lo, hi))
    assert window == [(i, d) for i, d in everything if lo <= d <= hi]
