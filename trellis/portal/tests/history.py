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


def add_score_history(
    participant: Participant, weeks: int, today: date, *, codes: tuple[str, ...] = ("PHQ-9",)
) -> None:
    """A check-in a week for `weeks` weeks before `today`, answered through the real actions
    (scores falling from 20 by one point a week, never below 2), then dated back to their
    week (test data: a submission is always observed on the day it is sent)."""
    from datetime import datetime

    from trellis.measures.models import Score
    from trellis.measures.tests.factories import complete_checkin

    zone = participant.organization.tz
    for week in range(weeks, 0, -1):
        on = today - timedelta(weeks=week)
        for code in codes:
            total = max(2, 20 - (weeks - week))
            if code == "GAD-7":
                total = min(total, 21)
            response = complete_checkin(participant, total, code=code, days_ago=(today - on).days)
            Score.objects.filter(response=response).update(
                observed_on=on,
                observed_at=datetime(on.year, on.month, on.day, 12, tzinfo=zone),
            )
