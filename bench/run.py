"""Benchmarks for the pages staff open all day: `make bench` (see docs/demo.md).

Seeds a throwaway database with the demo generator (2000 participants by default), signs in as
the demo program director with Django's test client, and times the participant list, search
(full page and htmx fragment) and the chart. Prints a table (operation, data size, median,
p95, queries) and writes bench/results.json. Times are reported, never asserted.

    .venv/bin/python bench/run.py [--participants N] [--iterations N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass
class Result:
    operation: str
    size: str
    median_ms: float
    p95_ms: float
    queries: str  # "9", or "9–11" when requests differ
    samples: int
    floor_of: str = ""  # for a floor: the operation it is the floor of
    ratio: float | None = None  # operation median / floor median
    extra: dict[str, Any] = field(default_factory=dict)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--iterations", type=int, default=50, help="timed requests per operation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL URL (e.g. postgres://user@host:5432/trellis): the benchmark creates "
        "and drops a test_<name> database next to it; default: a throwaway SQLite file",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> Path | None:
    """Point Django at a throwaway database before it starts; returns the SQLite path."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "trellis.settings"
    os.environ["TRELLIS_DEMO"] = "1"
    # The test client calls itself "testserver".
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"
    sqlite_path: Path | None = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        sqlite_path = BENCH_DIR / "bench.sqlite3"
        remove_sqlite(sqlite_path)
        os.environ["TRELLIS_SQLITE_PATH"] = str(sqlite_path)
    import django

    django.setup()
    return sqlite_path


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def query_range(counts: list[int]) -> str:
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    sqlite_path = configure(args)

    from django.core.management import call_command
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        # Never touch the named database: benchmark in a test_<name> copy, dropped at the end.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        call_command("seed_demo", participants=args.participants, seed=args.seed)
        seed_seconds = time.perf_counter() - started
        results = run_benchmarks(args.iterations)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        elif sqlite_path is not None and not args.keep:
            connection.close()
            remove_sqlite(sqlite_path)
    report(args, results, seed_seconds)
    return 0


def run_benchmarks(iterations: int) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.accounts.models import User
    from trellis.demo.cast import SURNAMES
    from trellis.participants.models import Participant
    from trellis.participants.queries import (
        ParticipantFilters,
        current_episode_of,
        participant_list,
    )

    director = User.objects.get(username="director")
    client = Client()
    client.force_login(director)
    visible = Participant.objects.visible_to(director)
    total = Participant.objects.count()
    seen = visible.count()
    htmx = {"HX-Request": "true", "HX-Target": "results"}

    def get(url: str, headers: dict[str, str] | None = None) -> Callable[[], None]:
        def request() -> None:
            response = client.get(url, headers=headers or {})
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}: benchmark stopped")

        return request

    def timed(
        operation: str, size: str, calls: Sequence[Callable[[], None]], *, count_queries: bool
    ) -> Result:
        for call in calls[:3]:
            call()  # warm caches, connections and templates
        times = []
        for i in range(iterations):
            call = calls[i % len(calls)]
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        counts = []
        if count_queries:
            for call in calls[: min(len(calls), 10)]:
                with CaptureQueriesContext(connection) as captured:
                    call()
                counts.append(len(captured))
        print(f"  {operation}: done", file=sys.stderr)
        return Result(
            operation=operation,
            size=size,
            median_ms=round(statistics.median(times), 2),
            p95_ms=round(p95(times), 2),
            queries=query_range(counts) if counts else "",
            samples=len(times),
        )

    results: list[Result] = []
    size = f"{total} participants ({seen} visible)"

    list_page = timed("participant list", size, [get("/participants/")], count_queries=True)
    results.append(list_page)
    last_page = (seen + 24) // 25
    results.append(
        timed(
            f"participant list, last page ({last_page})",
            size,
            [get(f"/participants/?page={last_page}")],
            count_queries=True,
        )
    )

    surnames = [s for s in SURNAMES if visible.filter(family_name=s).exists()]
    matches = [visible.search(s).count() for s in surnames]
    search_size = f"{len(surnames)} surnames, {statistics.mean(matches):.0f} matches each"
    results.append(
        timed(
            "search by surname",
            search_size,
            [get(f"/participants/?q={s}") for s in surnames],
            count_queries=True,
        )
    )
    results.append(
        timed(
            "search by surname, htmx fragment",
            search_size,
            [get(f"/participants/?q={s}", htmx) for s in surnames],
            count_queries=True,
        )
    )

    step = max(1, seen // max(iterations, 1))
    chart_ids = list(visible.order_by("pk").values_list("public_id", flat=True)[::step])
    results.append(
        timed(
            "participant chart",
            f"{len(chart_ids)} different participants",
            [get(f"/participants/{public_id}/") for public_id in chart_ids],
            count_queries=True,
        )
    )

    # Floors: the same answer without the page around it.
    def orm_list() -> None:
        page = list(participant_list(director, ParticipantFilters())[:25])
        for person in page:
            current_episode_of(person)

    orm = timed("floor: list query through the ORM", size, [orm_list], count_queries=True)
    orm.floor_of = list_page.operation
    results.append(orm)

    with CaptureQueriesContext(connection) as captured:
        get("/participants/")()
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "audit_" not in q["sql"]
    ]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    raw = timed(
        "floor: the list page's SELECTs as raw SQL",
        f"{len(reads)} statements",
        [replay],
        count_queries=False,
    )
    raw.queries = str(len(reads))
    raw.floor_of = list_page.operation
    results.append(raw)

    by_name = {r.operation: r for r in results}
    for result in results:
        if result.floor_of and result.median_ms > 0:
            result.ratio = round(by_name[result.floor_of].median_ms / result.median_ms, 1)
    return results


def report(args: argparse.Namespace, results: list[Result], seed_seconds: float) -> None:
    import django
    from django.db import connection

    header = ("operation", "data size", "median ms", "p95 ms", "queries", "page ÷ floor")
    rows = [
        (
            r.operation,
            r.size,
            f"{r.median_ms:.2f}",
            f"{r.p95_ms:.2f}",
            r.queries,
            f"{r.ratio}×" if r.ratio is not None else "",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    numeric = {2, 3, 4, 5}
    print()
    print(
        f"Trellis bench: {connection.vendor}, {args.participants} participants, "
        f"{args.iterations} requests per operation; seeding took {seed_seconds:.1f} s"
    )
    for number, row in enumerate([header, *rows]):
        cells = [
            cell.rjust(width) if i in numeric and number else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))
    payload = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "participants": args.participants,
        "iterations": args.iterations,
        "seed": args.seed,
        "seed_seconds": round(seed_seconds, 2),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "commit": git_commit(),
        "results": [asdict(r) for r in results],
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nWrote {shown}")


def git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        done = subprocess.run(  # noqa: S603  # fixed arguments, no user input
            [git, "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
