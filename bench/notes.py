"""Benchmarks for notes: the group-note page with 12 attendees, and a chart's Notes tab with
a year of notes (a weekly progress note and three group notes a week).

Standalone: builds a throwaway SQLite database under var/bench-notes/, prints a table
(operation, size, median, p95, queries) and writes bench/results-notes.json. Times are
reported, never asserted; that queries do not grow with attendees or history is asserted by
trellis/notes/tests (test_group_notes.py, test_query_counts.py).

    .venv/bin/python bench/notes.py [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from typing import Any

from harness import ROOT, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-notes"
RESULTS = Path(__file__).resolve().parent / "results-notes.json"


def build() -> dict[str, Any]:
    from django.utils import timezone

    from tests.personas import PASSWORD, build_world
    from trellis.notes.group import actions as ga
    from trellis.notes.models import GroupNote
    from trellis.notes.tests.factory import signed_note
    from trellis.notes.tests.group_factory import group_session, members, write_all
    from trellis.plans.tests.factory import signed_plan
    from trellis.scheduling import actions as sactions
    from trellis.scheduling.queries import find_slot

    world = build_world()
    # The group-note page: 12 attendees, all with a signed plan (objectives to choose from).
    people = [world.participant, *members(world, 11, clinician=world.clinician)]
    for person in people:
        signed_plan(world.clinician, person.episodes.get(), PASSWORD)
    big = group_session(world, people, name="Twelve")
    big_note = ga.check_start_group_note(world.clinician, big)
    write_all(world.clinician, big_note, big)

    # A year of notes for Patricia: weekly progress notes, group notes three times a week.
    episode = world.participant.episodes.get()
    tz = world.organization.tz
    today = timezone.now().astimezone(tz).date()
    first = today - timedelta(weeks=52)
    series = sactions.do_create_series(
        world.director,
        world.evening,
        sactions.SeriesData(
            name="Year group", start_time=clock(18, 0), duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR", dtstart=first, capacity=12, room=world.room,
            facilitators=[world.clinician],
        ),
    )  # fmt: skip
    sactions.do_add_to_roster(None, episode, series, first)
    day, groups = first, 0
    while day < today:
        slot = find_slot(series.public_id, day)
        if slot is not None:
            sactions.do_record_attendance(world.clinician, slot, episode, sactions.Mark("present"))
            slot = find_slot(series.public_id, day)
            assert slot is not None
            note = ga.check_start_group_note(world.clinician, slot)
            write_all(world.clinician, note, slot)
            note = GroupNote.objects.get(pk=note.pk)
            ga.do_sign_group_note(world.clinician, note, list(note.entries.all()),
                                  now=slot.ends_at + timedelta(hours=1))  # fmt: skip
            groups += 1
        day += timedelta(days=1)
    for week in range(52, 0, -1):
        start = timezone.now() - timedelta(weeks=week, hours=3)
        signed_note(
            world.clinician, episode, PASSWORD, start=start.replace(second=0, microsecond=0)
        )
    return {"world": world, "big_note": big_note, "groups": groups, "progress": 52}


def measure(built: dict[str, Any], iterations: int) -> list[dict[str, Any]]:
    from django.test import Client

    world = built["world"]
    client = Client()
    client.force_login(world.clinician)

    def get(url: str) -> Any:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return run

    operations = [
        ("group-note page (editor)", "12 attendees",
         get(f"/notes/group/{built['big_note'].public_id}/")),
        ("chart notes tab", f"{built['progress']} progress + {built['groups']} group notes",
         get(f"/participants/{world.participant.public_id}/notes/")),
    ]  # fmt: skip
    rows = []
    for name, size, fn in operations:
        times, queries = timed(fn, iterations)
        rows.append(
            {
                "operation": name,
                "size": size,
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
                "queries": max(queries),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)
    started = time.perf_counter()
    built = build()
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
