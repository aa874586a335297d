"""Benchmark of team meetings: generating the agenda of a large program.

Standalone: builds a throwaway SQLite database under var/bench-meetings/, seeds the demo
organization with 12 weeks of history (attendance, check-ins and their alerts, plans,
notes), then times `agenda_for` (the rules: the read) and the page of a meeting whose agenda
was generated, for the program with the most open episodes. Prints a table (operation,
size, median, p95, queries) and writes bench/results-meetings.json. Times are reported,
never asserted.

    .venv/bin/python bench/meetings.py [--participants 1100] [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from harness import ROOT, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-meetings"
RESULTS = Path(__file__).resolve().parent / "results-meetings.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1100)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.db.models import Count, Q
    from django.test import Client
    from django.utils import timezone

    from trellis.demo.seed import load_demo
    from trellis.meetings.actions import do_create_meeting_on, do_create_series, do_generate_agenda
    from trellis.meetings.queries import agenda_for
    from trellis.programs.models import Membership, Program, Role

    started = time.perf_counter()
    load_demo(participants=args.participants, weeks=args.weeks)
    seeded_s = time.perf_counter() - started
    program = (
        Program.objects.annotate(
            open_episodes=Count("episodes", filter=Q(episodes__status__in=["active", "on_hold"]))
        )
        .select_related("organization")
        .order_by("-open_episodes")
        .first()
    )
    assert program is not None
    size = f"{program.open_episodes} open episodes"  # type: ignore[attr-defined]
    results = []

    times, queries = timed(lambda: agenda_for(program), args.iterations)
    items = agenda_for(program)
    results.append(row("agenda_for (the rules)", size, times, queries))
    results[-1]["items"] = len(items)
    results[-1]["participants_on_agenda"] = len({e.episode.pk for e in items})

    today = timezone.now().astimezone(program.organization.tz).date()
    series = do_create_series(
        None, program, weekday=today.weekday(), start_time=datetime.min.time()
    )
    meeting = do_create_meeting_on(series, today)
    times, queries = timed(lambda: do_generate_agenda(None, meeting), max(5, args.iterations // 3))
    results.append(row("generate agenda (write, re-run)", size, times, queries))

    director = (
        Membership.objects.filter(role=Role.PROGRAM_DIRECTOR)
        .filter(Q(program=program) | Q(program__isnull=True))
        .select_related("user")
        .first()
    )
    if director is not None:
        client = Client()
        client.force_login(director.user)
        page = f"/meetings/{meeting.public_id}/"

        def get() -> None:
            response = client.get(page)
            assert response.status_code == 200, response.status_code

        times, queries = timed(get, max(5, args.iterations // 3))
        results.append(row("meeting page (director)", size, times, queries))

    print(f"seeded {args.participants} participants, {args.weeks} weeks in {seeded_s:.0f} s")
    print(f"{'operation':<34} {'size':<22} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        print(f"{r['operation']:<34} {r['size']:<22} {r['median_ms']:>10} {r['p95_ms']:>9} "
              f"{r['queries']:>8}")  # fmt: skip
    first = results[0]
    print(f"agenda: {first['items']} items about {first['participants_on_agenda']} people")
    RESULTS.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
