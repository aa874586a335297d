"""Benchmark for the diary card: the clinician's diary page (week + 12-week trend) and the
`diary_week` query for a participant with a year of daily cards, each next to the floor (the
bare query that fetches the same rows).

Standalone: builds a throwaway SQLite database under var/bench-practice-diary/, prints a table
(operation, size, median, p95, queries) and writes bench/results-practice-diary.json. Times
are reported, never asserted.

    .venv/bin/python bench/practice_diary.py [--days 365] [--iterations 30]
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta
from pathlib import Path

from harness import ROOT, ok, report, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-practice-diary"
RESULTS = Path(__file__).resolve().parent / "results-practice-diary.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client

    from tests.personas import build_world, org_today
    from trellis.practice.access import access_diary
    from trellis.practice.demo_diary import card_values
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard
    from trellis.practice.queries.diary import diary_week, week_start_of

    rng = random.Random(7)
    world = build_world()
    episode = world.participant.episodes.get()
    today = org_today()
    DiaryCard.objects.bulk_create(
        DiaryCard(
            participant=world.participant,
            episode=episode,
            card_on=today - timedelta(days=n),
            values=card_values(rng, 2.0),
            note="bench",
            rows=DEFAULT_ROWS,
        )
        for n in range(args.days)
    )
    size = f"{args.days} daily cards"
    results = []
    client = Client()
    client.force_login(world.clinician)
    page = f"/practice/diary/{world.participant.public_id}/"
    times, queries = timed(lambda: ok(client.get(page)), args.iterations)
    results.append(row("diary page (week + trend)", size, times, queries))

    diary = access_diary(world.clinician, world.participant.public_id)
    start = week_start_of(today)
    times, queries = timed(lambda: diary_week(diary, episode, start), args.iterations)
    results.append(row("diary_week query", size, times, queries))

    def floor() -> None:
        list(
            DiaryCard.objects.filter(
                episode=episode, card_on__gte=start, card_on__lte=start + timedelta(days=6)
            )
        )

    times, queries = timed(floor, args.iterations)
    results.append(row("floor: the week's cards", size, times, queries))

    def trend_floor() -> None:
        list(
            DiaryCard.objects.filter(
                episode=episode, card_on__gte=start - timedelta(weeks=11)
            ).only("card_on", "values")
        )

    times, queries = timed(trend_floor, args.iterations)
    results.append(row("floor: 12 weeks of cards", size, times, queries))

    report(results, RESULTS)


if __name__ == "__main__":
    main()
