"""Assignments and entries for the adherence tests, made through the real actions
(`do_assign`, `do_record_entry`, `do_excuse`), dated with their `today`: an assignment is
made on its first day and an entry is written on the day it describes."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from trellis.participants.models import Episode
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_excuse,
    do_record_entry,
)
from trellis.practice.models import Assignment, PracticeEntry
from trellis.practice.models.assignments import AssignmentStatus, Frequency
from trellis.practice.tests.helpers import dear_man


def assign(
    episode: Episode,
    starts_on: date,
    due_on: date,
    *,
    times: int = 1,
    frequency: str = Frequency.TIMES,
    status: str = AssignmentStatus.ASSIGNED,
    title: str = "Practise DEAR MAN and log it",
) -> Assignment:
    """`status` is ASSIGNED or EXCUSED (the others follow from entries and the sweep)."""
    data = AssignmentData(
        title=title,
        starts_on=starts_on,
        due_on=due_on,
        skill=dear_man(episode.program.organization),
        frequency=frequency,
        times_required=times,
    )
    assignment = do_assign(None, episode, data, today=starts_on)
    if status == AssignmentStatus.EXCUSED:
        return do_excuse(None, assignment)
    if status != AssignmentStatus.ASSIGNED:
        raise ValueError(f"assign() makes assigned or excused practice, not {status}")
    return assignment


def log(assignment: Assignment, practiced_on: date, rating: int = 6) -> PracticeEntry:
    data = EntryData(
        practiced_on=practiced_on,
        idempotency_key=uuid.uuid4().hex,
        rating=rating,
        what_happened="Asked my sister for help",
    )
    return do_record_entry(None, assignment, data, today=practiced_on)


def weeks_of_practice(episode: Episode, today: date, weeks: int) -> None:
    """One "3 times this week" assignment per past week, two entries each."""
    monday = today - timedelta(days=today.weekday())
    for n in range(1, weeks + 1):
        start = monday - timedelta(weeks=n)
        assignment = assign(episode, start, start + timedelta(days=6), times=3)
        log(assignment, start)
        log(assignment, start + timedelta(days=2))
