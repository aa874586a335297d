"""Expected start dates for a track's waitlist: a pure function of capacity, the planned
discharges of the people in the track, and the days the track admits on.

Seats: `capacity` minus the people holding one now (active and on hold). Each planned
discharge frees a seat the day after it. The person at position n takes the n-th seat to
free (seats free now first, then discharges in date order), and starts on the first
admission day on or after that date, never before `today`. More people than seats (an
override admitted someone over capacity) means the first discharges refill the overflow.
Someone whose seat depends on a discharge nobody has planned has no expected date (None):
the page says "not known yet" rather than guessing.

Adding a planned discharge can only add a seat to the sorted list of seat dates, so no
expected start moves later (the Hypothesis property in tests/test_waitlist_forecast.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta


def next_admission_day(day: date, weekdays: Collection[int]) -> date:
    """`day` itself, or the first later date on one of `weekdays` (Monday 0); any day when
    the track has no set days."""
    if not weekdays:
        return day
    for ahead in range(7):
        candidate = day + timedelta(days=ahead)
        if candidate.weekday() in weekdays:
            return candidate
    return day  # weekdays held no valid number (0–6): admit on the day itself


def expected_starts(
    *,
    capacity: int,
    occupied: Sequence[date | None],
    waiting: int,
    weekdays: Collection[int],
    today: date,
) -> list[date | None]:
    """The expected start of each of the `waiting` people, in waitlist order.

    `occupied`: one item per person holding a seat, their planned discharge date or None."""
    free_now = capacity - len(occupied)
    freed = sorted(day + timedelta(days=1) for day in occupied if day is not None)
    if free_now >= 0:
        seats: list[date] = [today] * free_now + freed
    else:
        seats = freed[-free_now:]
    starts: list[date | None] = []
    for position in range(waiting):
        if position < len(seats):
            starts.append(next_admission_day(max(seats[position], today), weekdays))
        else:
            starts.append(None)
    return starts
