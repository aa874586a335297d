"""Benchmarks for admission: the admission flow (one POST of the admission page: record,
track, care team, roster, consents, baseline, plan task, in one transaction) for a decided
inquiry, on a track with two group series; and a track's waitlist page with 40 people.

Standalone: builds a throwaway SQLite database under var/bench-intake-admission/, prints a
table (operation, size, median, p95, queries) and writes bench/results-intake-admission.json.
Times are reported, never asserted; the waitlist page's constant query count is asserted by
trellis/intake/tests/test_waitlist.py.

    .venv/bin/python bench/intake_admission.py [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from harness import ROOT, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-intake-admission"
RESULTS = Path(__file__).resolve().parent / "results-intake-admission.json"


def build(iterations: int) -> dict[str, Any]:
    from datetime import time as clock

    from tests.personas import build_world
    from trellis.intake.actions import check_add_to_waitlist, do_seed_consent_documents
    from trellis.intake.tests.helpers import decided_inquiry, evening_group
    from trellis.measures.actions.schedules import do_create_default_schedules
    from trellis.programs.models import Track
    from trellis.scheduling import actions as sactions
    from trellis.scheduling.models import SessionSeries

    world = build_world()
    Track.objects.filter(pk__in=[world.evening.pk, world.morning.pk]).update(capacity=500)
    first = evening_group(world)
    SessionSeries.objects.filter(pk=first.pk).update(capacity=500)  # 30 admissions fit
    sactions.do_create_series(
        world.director,
        world.evening,
        sactions.SeriesData(
            name="Skills", start_time=clock(19, 0), duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=TU,TH", dtstart=first.dtstart, capacity=500,
            room=world.room, facilitators=[world.clinician],
        ),
    )  # fmt: skip
    do_create_default_schedules(None, world.program)
    do_seed_consent_documents(None, world.program)
    decided = [decided_inquiry(world, f"B{i}") for i in range(iterations + 1)]
    for i in range(40):
        check_add_to_waitlist(
            world.intake, decided_inquiry(world, f"W{i}"), world.morning, step_down=i % 7 == 0
        )
    return {"world": world, "decided": decided}


def measure(built: dict[str, Any], iterations: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.personas import org_today

    world = built["world"]
    client = Client()
    client.force_login(world.intake)
    data = {
        "track": str(world.evening.public_id),
        "admitted_on": org_today().isoformat(),
        "primary": str(world.clinician.pk),
        "primary_role": "therapist",
        "others": [str(world.director.pk)],
        "consent_treatment": "tablet",
        "consent_treatment_name": "Bench Person",
        "consent_treatment_agree": "on",
        "consent_telehealth": "to_follow",
    }
    times, queries = [], []
    for index, inquiry in enumerate(built["decided"]):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(f"/intake/{inquiry.public_id}/admit/", data)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.content[:400]
        if index:  # the first is the warm-up
            times.append(elapsed)
            queries.append(len(captured))

    def waitlist() -> None:
        assert client.get(f"/intake/waitlist/{world.morning.public_id}/").status_code == 200

    page_times, page_queries = timed(waitlist, iterations)
    return [
        _row("admission (POST, one transaction)", "2 series, 2 consents, 2 check-ins",
             times, queries),
        _row("track waitlist page", "40 waiting", page_times, page_queries),
    ]  # fmt: skip


def _row(name: str, size: str, times: list[float], queries: list[int]) -> dict[str, Any]:
    return {
        "operation": name,
        "size": size,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)
    started = time.perf_counter()
    built = build(args.iterations)
    print(f"built in {time.perf_counter() - started:.0f} s")
    rows = measure(built, args.iterations)
    width = max(len(r["operation"]) for r in rows)
    size_width = max(len(r["size"]) for r in rows)
    print(f"{'operation':<{width}}  {'size':<{size_width}}  median ms   p95 ms  queries")
    for r in rows:
        print(
            f"{r['operation']:<{width}}  {r['size']:<{size_width}}  {r['median_ms']:>9}"
            f"  {r['p95_ms']:>7}  {r['queries']:>7}"
        )
    RESULTS.write_text(
        json.dumps({"iterations": args.iterations, "results": rows}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
