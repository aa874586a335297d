"""Benchmarks for scheduling: a program of 20 series and 300 participants with a year of
attendance history.

Standalone: builds a throwaway SQLite database under var/bench-scheduling/, prints a table
(operation, size, median, p95, queries) and writes bench/results-scheduling.json. Times are
reported, never asserted. That queries do not grow with history or people is asserted by
trellis/scheduling/tests/test_query_counts.py; here the counts are reported.

    .venv/bin/python bench/scheduling.py [--participants 300] [--iterations 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import ROOT, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-scheduling"
RESULTS = Path(__file__).resolve().parent / "results-scheduling.json"
BENCH_PASSWORD = "bench-password-123"  # noqa: S105 - throwaway local database


def build(participants: int, weeks: int, rng: random.Random) -> dict[str, Any]:
    """20 series on four tracks, `participants` people spread over them, `weeks` of history."""
    from datetime import time as clock

    from django.utils import timezone

    from trellis.accounts.actions import do_create_user
    from trellis.participants.actions import (
        ParticipantDetails,
        do_add_care_team_member,
        do_create_participant,
    )
    from trellis.participants.models import EpisodeStatus
    from trellis.programs.actions import (
        do_add_membership,
        do_create_organization,
        do_create_program,
        do_create_room,
        do_create_site,
        do_create_track,
    )
    from trellis.programs.models import ClinicianKind, Delivery, Population, Role
    from trellis.scheduling import actions
    from trellis.scheduling.demo import _attendance, _rosters

    org = do_create_organization(None, name="Bench Health", time_zone="America/Chicago")
    site = do_create_site(None, org, name="Bench Main")
    rooms = [do_create_room(None, site, name=f"Room {n}", capacity=20) for n in range(1, 6)]
    program = do_create_program(None, org, name="Bench IOP", population=Population.ADULT, site=site)
    director = do_create_user(None, username="bench.director", password=BENCH_PASSWORD)
    do_add_membership(None, director, org, role=Role.PROGRAM_DIRECTOR, program=program)
    clinicians = []
    for n in range(10):
        user = do_create_user(None, username=f"bench.clin{n}", password=BENCH_PASSWORD)
        do_add_membership(None, user, org, role=Role.CLINICIAN, program=program,
                          clinician_kind=ClinicianKind.THERAPIST)  # fmt: skip
        clinicians.append(user)
    today = timezone.now().astimezone(org.tz).date()
    first = today - timedelta(weeks=weeks)
    tracks = [
        do_create_track(None, program, name=name, delivery=Delivery.IN_PERSON, capacity=80)
        for name in ("Morning", "Afternoon", "Evening", "Weekend")
    ]
    series = []
    day_sets = ["MO,WE", "TU,TH", "MO,WE,FR", "TU", "TH"]
    for t_index, track in enumerate(tracks):
        for s_index, days in enumerate(day_sets):
            start = clock(8 + t_index * 3 + (s_index % 2), 0)
            series.append(
                actions.do_create_series(
                    None, track,
                    actions.SeriesData(
                        name=f"{track.name} group {s_index + 1}", start_time=start,
                        duration_minutes=50, rrule=f"FREQ=WEEKLY;BYDAY={days}", dtstart=first,
                        capacity=80, room=rooms[s_index],
                        facilitators=[clinicians[(t_index * 5 + s_index) % 10]],
                        topics=["A", "B", "C"],
                    ),
                )
            )  # fmt: skip
    for n in range(participants):
        track = tracks[n % len(tracks)]
        admitted = first + timedelta(days=rng.randint(0, max(1, weeks * 7 - 30)))
        participant = do_create_participant(
            None, org,
            ParticipantDetails(mrn=f"B-{n:05d}", given_name="Bench", family_name=f"Person{n:05d}",
                               date_of_birth=date(1980, 1, 1), email=f"b{n}@example.test"),
            program=program, track=track, status=EpisodeStatus.ACTIVE, admitted_on=admitted,
        )  # fmt: skip
        do_add_care_team_member(
            None, participant.episodes.get(), clinicians[n % 10], role=ClinicianKind.THERAPIST,
            is_primary=True, start_date=admitted,
        )  # fmt: skip
    _rosters(series, first)
    _attendance(series, first, today - timedelta(days=1), rng)
    return {"program": program, "director": director, "series": series, "today": today,
            "clinician": clinicians[0], "first": first}  # fmt: skip


def measure(world: dict[str, Any], iterations: int, label: str) -> list[dict[str, Any]]:
    from django.test import Client

    from trellis.participants.models import Episode
    from trellis.scheduling import recurrence
    from trellis.scheduling.hours import week_hours
    from trellis.scheduling.queries import occurrences_between, program_series, series_queryset

    program, today = world["program"], world["today"]
    client = Client()
    client.force_login(world["director"])
    busiest = max(world["series"], key=lambda s: s.roster.count())
    yesterday_slot = next(
        s
        for s in reversed(
            occurrences_between(
                [series_queryset().get(pk=busiest.pk)],
                today - timedelta(days=10),
                today - timedelta(days=1),
            )
        )
    )  # fmt: skip
    monday = recurrence.iso_week_start(today)
    episodes = list(Episode.objects.filter(program=program).select_related("program"))

    def get(url: str) -> Any:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return run

    def ledger() -> None:
        slots = occurrences_between(program_series(program, monday, monday + timedelta(days=6)),
                                    monday, monday + timedelta(days=6))  # fmt: skip
        week_hours(episodes, monday, slots=slots)

    def year() -> None:
        occurrences_between(series_queryset().filter(track__program=program),
                            today - timedelta(days=365), today)  # fmt: skip

    operations = [
        ("program week view", get(f"/schedule/?program={program.public_id}")),
        ("take-attendance page", get(
            f"/schedule/series/{busiest.public_id}/{yesterday_slot.original_date:%Y-%m-%d}/")),
        ("attendance dashboard", get(f"/schedule/programs/{program.public_id}/attendance/")),
        ("hours ledger, whole program, one week", ledger),
        ("expand a year of occurrences, all series", year),
    ]  # fmt: skip
    rows = []
    for name, fn in operations:
        times, queries = timed(fn, iterations)
        rows.append(
            {
                "operation": name,
                "size": label,
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
                "queries": max(queries),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    setup_django(BENCH_DIR)
    from trellis.scheduling.models import Attendance

    rng = random.Random(7)
    started = time.perf_counter()
    world = build(args.participants, 52, rng)
    built = time.perf_counter() - started
    size = f"20 series, {args.participants} people, 52 weeks ({Attendance.objects.count()} marks)"
    rows = measure(world, args.iterations, size)
    print(f"built in {built:.1f} s")
    print(f"{'operation':44} {'size':58} {'median':>9} {'p95':>9} {'queries':>8}")
    for row in rows:
        print(f"{row['operation']:44} {row['size']:58} {row['median_ms']:>7.1f}ms "
              f"{row['p95_ms']:>7.1f}ms {row['queries']:>8}")  # fmt: skip
    RESULTS.write_text(json.dumps({"results": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
