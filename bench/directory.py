"""Benchmark for the directory import (docs/finder.md): both 2023 National Directory workbooks
into an empty database, then again (nothing changed), each in its own process so its peak
memory is its own. Targets from issue 14: both workbooks in ≤ 30 s and ≤ 500 MB.

Standalone: builds a throwaway SQLite database under var/bench-directory/, prints a table and
writes bench/results-directory.json. Times are reported, never asserted.

    .venv/bin/python bench/directory.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from harness import ROOT, report, setup_django

BENCH_DIR = ROOT / "var" / "bench-directory"
RESULTS = Path(__file__).resolve().parent / "results-directory.json"
WORKBOOKS = sorted((ROOT / "data" / "samhsa").glob("*.xlsx"))


def _import() -> tuple[float, float]:
    """Run the import in a child process: seconds and the child's peak resident memory (MB)."""
    start = time.perf_counter()
    child = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), "import_directory", *map(str, WORKBOOKS)],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if child.returncode:
        raise SystemExit(child.stderr)
    # ru_maxrss of the children waited for so far, in KiB on Linux: the largest, which is
    # this child's as long as it is the biggest (the second run is smaller than the first).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def main() -> None:
    setup_django(BENCH_DIR)
    from trellis.directory.models import Listing, ListingCode

    results = []
    seconds, peak = _import()
    size = f"{Listing.objects.count():,} listings, {ListingCode.objects.count():,} codes"
    results.append(_row("import both 2023 workbooks (empty database)", size, seconds, peak))
    seconds, _ = _import()
    results.append(_row("import them again (all unchanged)", size, seconds, None))
    report(results, RESULTS)


def _row(operation: str, size: str, seconds: float, peak: float | None) -> dict[str, object]:
    row: dict[str, object] = {
        "operation": operation,
        "size": size,
        "median_ms": round(seconds * 1000),
        "p95_ms": None,
        "queries": "–",
        "samples": 1,
    }
    if peak is not None:
        row["peak_mb"] = round(peak)
        row["operation"] = f"{operation}, peak {round(peak)} MB"
    return row


if __name__ == "__main__":
    main()
