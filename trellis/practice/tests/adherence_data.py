"""Assignments and entries for the adherence tests, made with the foundation models.

`actions/assignments.py` (the practice-assign part) is not on this branch yet; once merged,
these helpers should call its assign/record actions instead (docs/practice.md)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from trellis.participants.models import Episode
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
    return Assignment.objects.create(
        participant=episode.participant,
        episode=episode,
        skill=dear_man(episode.program.organization),
        title=title,
        frequency=frequency,
        times_required=times,
        starts_on=starts_on,
        due_on=due_on,
        status=status,
    )


def log(assignment: Assignment, practiced_on: date, rating: int = 6) -> PracticeEntry:
    return PracticeEntry.objects.create(
        assignment=assignment,
        participant=assignment.participant,
        episode=assignment.episode,
        practiced_on=practiced_on,
        rating=rating,
        answers={"situation": "Asked my sister for help"},
        idempotency_key=uuid.uuid4().hex,
    )


def weeks_of_practice(episode: Episode, today: date, weeks: int) -> None:
    """One "3 times this week" assignment per past week, two entries each."""
    monday = today - timedelta(days=today.weekday())
    for n in range(1, weeks + 1):
        start = monday - timedelta(weeks=n)
        assignment = assign(episode, start, start + timedelta(days=6), times=3)
        log(assignment, start)
        log(assignment, start + timedelta(days=2))
