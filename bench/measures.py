"""Benchmarks for measures: scoring throughput, the Measures tab with 52 weekly
administrations, and the program scores page at 300 active participants.

Standalone: builds a throwaway SQLite database under var/bench-measures/, prints a table
(operation, size, median, p95, queries) and writes bench/results-measures.json. Times are
reported, never asserted.

    .venv/bin/python bench/measures.py [--participants 300] [--iterations 30]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta
from pathlib import Path

from harness import ROOT, ok, report, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-measures"
RESULTS = Path(__file__).resolve().parent / "results-measures.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client
    from django.utils import timezone

    from tests.personas import build_world, make_participant
    from trellis.measures.actions import do_record_past_response
    from trellis.measures.registry import get_instrument
    from trellis.measures.scoring import score
    from trellis.measures.tests.factories import answers_for

    rng = random.Random(7)
    world = build_world()
    phq9, gad7 = get_instrument("PHQ-9"), get_instrument("GAD-7")
    results = []

    # 1. Scoring throughput: pure function, responses per second.
    samples = [answers_for(phq9, rng.randint(0, 24)) for _ in range(2000)]
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for answers in samples:
            score(phq9, answers)
    elapsed = time.perf_counter() - start
    per_second = rounds * len(samples) / elapsed
    results.append(
        {"operation": "score PHQ-9 responses", "size": f"{rounds * len(samples)} responses",
         "median_ms": round(elapsed * 1000 / (rounds * len(samples)), 4), "p95_ms": None,
         "queries": "0", "samples": rounds * len(samples), "per_second": round(per_second)}
    )  # fmt: skip

    # 2. Measures tab: one participant with 52 weekly PHQ-9 and GAD-7 administrations.
    episode = world.participant.episodes.get()
    episode.admitted_on = world.organization.today() - timedelta(weeks=52)
    episode.save(update_fields=["admitted_on"])
    now = timezone.now()
    for week in range(52):
        at = now - timedelta(weeks=51 - week, hours=1)
        for instrument in (phq9, gad7):
            total = max(0, min(instrument.high, 20 - week // 4 + rng.randint(-2, 2)))
            do_record_past_response(
                None, episode, instrument.code, answers_for(instrument, total), submitted_at=at
            )
    client = Client()
    client.force_login(world.clinician)
    tab = f"/participants/{world.participant.public_id}/measures/"
    times, queries = timed(lambda: ok(client.get(tab)), args.iterations)
    results.append(row("Measures tab", "52 weekly administrations × 2 instruments", times, queries))

    # 3. Program scores page: N active participants, 4 weeks of PHQ-9 and GAD-7 each.
    for n in range(args.participants):
        p = make_participant(world.organization, f"B-{n:05d}", "Bench", f"Person{n:05d}",
                             program=world.program, track=world.morning)  # fmt: skip
        ep = p.episodes.get()
        for week in range(4):
            at = now - timedelta(weeks=3 - week, hours=2)
            for instrument in (phq9, gad7):
                total = max(0, min(instrument.high, rng.randint(4, 20)))
                do_record_past_response(
                    None, ep, instrument.code, answers_for(instrument, total), submitted_at=at
                )
    director = Client()
    director.force_login(world.director)
    page = f"/measures/programs/{world.program.public_id}/?sort=PHQ-9"
    times, queries = timed(lambda: ok(director.get(page)), args.iterations)
    results.append(row("program scores page", f"{args.participants + 2} active participants",
                       times, queries))  # fmt: skip

    report(results, RESULTS)


if __name__ == "__main__":
    main()
