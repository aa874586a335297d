"""Benchmark for the participant's portal home (/me/) and My progress (/me/progress/) with a
year of data: a daily group for 52 weeks with the participant marked at every past session,
52 weeks of practice (an assignment a week, logged), a year of daily diary cards, a PHQ-9 and
a GAD-7 every week, a signed plan, a signed safety plan and an open check-in; each next to its
floor (the bare reads of the same rows, without the access spine, the audit records, the
arithmetic and the page).

Standalone: builds a throwaway SQLite database under var/bench-portal/, prints a table
(operation, size, median, p95, queries) and writes bench/results-portal.json. Times are
reported, never asserted.

    .venv/bin/python bench/portal.py [--weeks 52] [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import ROOT, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-portal"
RESULTS = Path(__file__).resolve().parent / "results-portal.json"


def ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client

    from tests.personas import PASSWORD, build_world, org_today
    from trellis.measures.models import Administration, Score
    from trellis.measures.tests.factories import open_checkin
    from trellis.plans.queries import latest_signed
    from trellis.plans.tests.factory import signed_plan
    from trellis.portal.tests.history import add_practice_history, add_score_history
    from trellis.practice.actions.diary import do_configure_diary
    from trellis.practice.demo_diary import card_values
    from trellis.practice.models import Assignment, PracticeEntry
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard
    from trellis.practice.tests.walk_safety import safety_walk_values
    from trellis.scheduling.actions import Mark, check_record_attendance
    from trellis.scheduling.models import Attendance
    from trellis.scheduling.queries import occurrences_between, series_for_episodes
    from trellis.scheduling.tests.factory import admitted_since, daily_group, enroll, slot

    rng = random.Random(7)
    world = build_world()
    participant = world.participant
    episode = participant.episodes.get()
    today = org_today()
    start = today - timedelta(weeks=args.weeks)
    admitted_since(participant, start)
    episode.refresh_from_db()
    series = daily_group(world, dtstart=start, name="DBT skills")
    enroll(series, participant, start)
    for n in range(1, args.weeks * 7):
        mark = Mark("absent_excused") if n % 9 == 0 else Mark("present")
        check_record_attendance(
            world.clinician, slot(series, today - timedelta(days=n)), episode, mark
        )
    add_score_history(participant, args.weeks, today, codes=("PHQ-9", "GAD-7"))
    signed_plan(world.clinician, episode, PASSWORD)
    add_practice_history(participant, args.weeks, today)
    do_configure_diary(None, episode.program)
    DiaryCard.objects.bulk_create(
        DiaryCard(
            participant=participant,
            episode=episode,
            card_on=today - timedelta(days=n),
            values=card_values(rng, 2.0),
            note="bench",
            rows=DEFAULT_ROWS,
        )
        for n in range(1, args.weeks * 7)
    )
    safety_walk_values(world, participant)
    open_checkin(participant, "PHQ-9")

    size = f"{args.weeks} weeks of data"
    results = []
    client = Client()
    client.force_login(world.participant_user)
    times, queries = timed(lambda: ok(client.get("/me/")), args.iterations)
    results.append(row("portal home /me/", size, times, queries))

    def floor() -> None:
        end = today + timedelta(days=14)
        occurrences_between(series_for_episodes([episode.pk], today, end), today, end)
        list(Administration.objects.open_now().filter(participant=participant))
        list(Assignment.objects.filter(episode=episode, due_on__gte=today - timedelta(days=7)))
        list(DiaryCard.objects.filter(episode=episode, card_on=today).values("card_on"))

    times, queries = timed(floor, args.iterations)
    results.append(row("floor: the cards' rows", size, times, queries))

    times, queries = timed(lambda: ok(client.get("/me/progress/")), args.iterations)
    results.append(row("my progress /me/progress/", size, times, queries))

    def progress_floor() -> None:
        monday = today - timedelta(days=today.weekday())
        list(
            Score.objects.filter(episode=episode, instrument_code__in=("PHQ-9", "GAD-7"))
            .order_by("observed_at")
            .values_list("instrument_code", "observed_on", "total")
        )
        list(
            Attendance.objects.filter(
                episode=episode, session_date__gte=monday - timedelta(weeks=5)
            ).values_list("session_date", "minutes_attended")
        )
        list(Assignment.objects.filter(episode=episode).values("pk", "due_on", "times_required"))
        list(
            PracticeEntry.objects.filter(episode=episode).values_list(
                "assignment_id", "practiced_on"
            )
        )
        latest_signed(episode)

    times, queries = timed(progress_floor, args.iterations)
    results.append(row("floor: progress rows", size, times, queries))

    print(f"{'operation':<28} {'size':<20} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        print(f"{r['operation']:<28} {r['size']:<20} {r['median_ms']:>10} {r['p95_ms']:>9} "
              f"{r['queries']:>8}")  # fmt: skip
    RESULTS.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
