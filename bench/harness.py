"""What the benchmark scripts share: a throwaway database, timing with query counts, rows.

Times are reported, never asserted; each script prints its own table and writes its JSON.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(bench_dir: Path) -> None:
    """Point Django at a fresh SQLite file under `bench_dir`, set it up and migrate."""
    shutil.rmtree(bench_dir, ignore_errors=True)
    bench_dir.mkdir(parents=True)
    os.environ["TRELLIS_SQLITE_PATH"] = str(bench_dir / "bench.sqlite3")
    os.environ["TRELLIS_DEMO"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn: Any, iterations: int) -> tuple[list[float], list[int]]:
    """Milliseconds and query counts of `iterations` calls, after one warm-up call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm up
    times, queries = [], []
    for _ in range(iterations):
        # The debug query log is a bounded deque: clear it so long pages count right.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
    return times, queries


def row(operation: str, size: str, times: list[float], queries: list[int]) -> dict[str, Any]:
    ordered = sorted(times)
    counts = sorted(set(queries))
    return {
        "operation": operation,
        "size": size,
        "median_ms": round(statistics.median(ordered), 2),
        # Nearest-rank p95: never below the median, even for a handful of samples.
        "p95_ms": round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 2),
        "queries": str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}",
        "samples": len(times),
    }


def ok(response: Any) -> None:
    """Benches time pages that answer, never error pages."""
    assert response.status_code == 200, response.status_code


def report(results: list[dict[str, Any]], path: Path) -> None:
    """Print the table (operation, size, median, p95, queries; columns as wide as their
    widest cell) and write the rows to `path` as JSON with the time they were made."""
    op = max(len("operation"), *(len(r["operation"]) for r in results))
    size = max(len("size"), *(len(r["size"]) for r in results))
    print(f"{'operation':<{op}} {'size':<{size}} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        p95 = "" if r["p95_ms"] is None else f"{r['p95_ms']:.2f}"
        extra = f"  ({r['per_second']:,} responses/s)" if "per_second" in r else ""
        print(f"{r['operation']:<{op}} {r['size']:<{size}} {r['median_ms']:>10} {p95:>9} "
              f"{r['queries']:>8}{extra}")  # fmt: skip
    path.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {path.relative_to(ROOT)}")
