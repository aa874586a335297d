"""Benchmark for the participant's portal home (/me/) with a year of data: a daily group for
52 weeks, 52 weeks of practice (an assignment a week, logged), a year of daily diary cards, a
signed safety plan and an open check-in; next to the floor (the bare reads of the same cards'
rows, without the access spine, the audit records and the page).

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

    from tests.personas import build_world, org_today
    from trellis.measures.models import Administration
    from trellis.measures.tests.factories import open_checkin
    from trellis.portal.tests.history import add_practice_history
    from trellis.practice.actions.diary import do_configure_diary
    from trellis.practice.demo_diary import card_values
    from trellis.practice.models import Assignment
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard
    from trellis.practice.tests.walk_safety import safety_walk_values
    from trellis.scheduling.queries import occurrences_between, series_for_episodes
    from trellis.scheduling.tests.factory import daily_group, enroll

    rng = random.Random(7)
    world = build_world()
    participant = world.participant
    episode = participant.episodes.get()
    today = org_today()
    start = today - timedelta(weeks=args.weeks)
    series = daily_group(world, dtstart=start, name="DBT skills")
    enroll(series, participant, start)
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
