"""A participant's history for the portal's query-count test and bench: weeks of practice
(one assignment a week, logged once), written straight to the tables (an old history the
actions would refuse to date in the past)."""

from __future__ import annotations

from datetime import date, timedelta

from trellis.participants.models import Participant
from trellis.practice.models import Assignment, PracticeEntry
from trellis.practice.tests.helpers import dear_man


def add_practice_history(participant: Participant, weeks: int, today: date) -> None:
    episode = participant.episodes.get()
    skill = dear_man(participant.organization)
    for week in range(1, weeks + 1):
        starts = today - timedelta(weeks=week)
        assignment = Assignment.objects.create(
            participant=participant,
            episode=episode,
            skill=skill,
            title="Practise DEAR MAN",
            frequency="times",
            times_required=3,
            starts_on=starts,
            due_on=starts + timedelta(days=6),
            status="done",
        )
        PracticeEntry.objects.create(
            assignment=assignment,
            participant=participant,
            episode=episode,
            practiced_on=starts + timedelta(days=1),
            rating=7,
        )
