"""What the benchmark scripts share: a throwaway database, timing with query counts, rows.

Times are reported, never asserted; each script prints its own table and writes its JSON.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import sys
import time
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
