"""Expected start dates: capacity, planned discharges and the track's admission days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.intake.forecast import expected_starts, next_admission_day

MONDAY = date(2026, 3, 2)


def test_free_seats_start_on_the_next_admission_day() -> None:
    # Two seats free, three waiting; the third waits for the discharge on Thursday.
    starts = expected_starts(
        capacity=4,
        occupied=[None, MONDAY + timedelta(days=3)],
        waiting=3,
        weekdays={0, 2},  # Mondays and Wednesdays
        today=MONDAY + timedelta(days=1),  # a Tuesday
    )
    wednesday, next_monday = MONDAY + timedelta(days=2), MONDAY + timedelta(days=7)
    assert starts == [wednesday, wednesday, next_monday]


def test_a_seat_nobody_plans_to_free_has_no_expected_start() -> None:
    starts = expected_starts(capacity=1, occupied=[None], waiting=2, weekdays=set(), today=MONDAY)
    assert starts == [None, None]


def test_an_overfull_track_refills_the_overflow_first() -> None:
    friday = MONDAY + timedelta(days=4)
    starts = expected_starts(
        capacity=1, occupied=[friday, friday + timedelta(days=7)], waiting=1,
        weekdays=set(), today=MONDAY,
    )  # fmt: skip
    assert starts == [friday + timedelta(days=8)]


def test_a_track_without_set_days_admits_any_day() -> None:
    assert next_admission_day(MONDAY, set()) == MONDAY
    assert next_admission_day(MONDAY, {4}) == MONDAY + timedelta(days=4)


days = st.dates(min_value=MONDAY - timedelta(days=10), max_value=MONDAY + timedelta(days=120))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    capacity=st.integers(min_value=1, max_value=15),
    occupied=st.lists(st.one_of(st.none(), days), max_size=12),
    waiting=st.integers(min_value=0, max_value=12),
    weekdays=st.sets(st.integers(min_value=0, max_value=6)),
    extra=days,
    which=st.integers(min_value=0, max_value=40),
)
def test_adding_a_planned_discharge_never_delays_an_expected_start(
    capacity: int,
    occupied: list[date | None],
    waiting: int,
    weekdays: set[int],
    extra: date,
    which: int,
) -> None:
    """Planning a discharge for someone with none (or a new person's seat freeing) can only
    bring starts earlier; no one's known date becomes unknown or later."""
    before = expected_starts(
        capacity=capacity, occupied=occupied, waiting=waiting, weekdays=weekdays, today=MONDAY
    )
    undated = [i for i, day in enumerate(occupied) if day is None]
    if undated:
        planned = list(occupied)
        planned[undated[which % len(undated)]] = extra
    else:
        return
    after = expected_starts(
        capacity=capacity, occupied=planned, waiting=waiting, weekdays=weekdays, today=MONDAY
    )
    for old, new in zip(before, after, strict=True):
        if old is not None:
            assert new is not None
            assert new <= old
    assert all(start is None or start >= MONDAY for start in after)
