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
    results.extend(_searches())
    report(results, RESULTS)


GROUPS = {
    "care": frozenset({"OIT"}),
    "pay": frozenset({"MD"}),
    "language": frozenset({"SP"}),
}
COUNTS = {
    "care": ["OIT", "OP", "PHDT", "ODT"],
    "pay": ["MD", "MC", "PI", "SF", "SI"],
    "language": ["SP", "AH"],
}
# The floor: the same rows by one SQL statement (the codes are the constants above).
FLOOR_SQL = (
    "SELECT l.id, l.latitude, l.longitude FROM directory_listing l "
    "WHERE l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s "
    "AND EXISTS (SELECT 1 FROM directory_listingcode c WHERE c.listing_id = l.id "
    "AND c.kind IN ('su', 'mh') AND c.code = 'OIT') "
    "AND EXISTS (SELECT 1 FROM directory_listingcode c WHERE c.listing_id = l.id "
    "AND c.kind IN ('su', 'mh') AND c.code = 'MD') "
    "AND EXISTS (SELECT 1 FROM directory_listingcode c WHERE c.listing_id = l.id "
    "AND c.kind IN ('su', 'mh') AND c.code = 'SP')"
)


def _searches() -> list[dict[str, object]]:
    """A search by ZIP + radius + three filters (intensive outpatient, Medicaid, Spanish), with
    and without the per-option counts, next to the floor."""
    out: list[dict[str, object]] = []
    for zip_code, miles in (("02903", 25), ("10001", 25), ("60601", 50)):
        out.extend(_search_rows(zip_code, miles))
    return out


def _search_rows(zip_code: str, miles: int) -> list[dict[str, object]]:
    from django.db import connection
    from harness import row, timed

    from trellis.directory import geo
    from trellis.directory.queries import search_near

    iterations = 50
    place = geo.zip_place(zip_code)
    assert place is not None
    lat, lon = place.latitude, place.longitude
    found = search_near(lat, lon, miles, GROUPS)
    size = f"ZIP {zip_code}, {miles} mi: {found.in_radius} near, {len(found.listings)} match"
    box = geo.bounding_box(lat, lon, miles)

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [box.south, box.north, box.west, box.east])
            cursor.fetchall()

    rows = []
    times, queries = timed(lambda: search_near(lat, lon, miles, GROUPS), iterations)
    rows.append(row("search: ZIP + radius + 3 filters", size, times, queries))
    times, queries = timed(lambda: search_near(lat, lon, miles, GROUPS, COUNTS), iterations)
    rows.append(row("  … with the filter counts", size, times, queries))
    times, queries = timed(floor, iterations)
    rows.append(row("  floor: the same rows, one SQL statement", size, times, queries))
    return rows


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
