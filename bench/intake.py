"""Benchmark of the intake funnel page for a 2,000-participant organization.

Standalone: builds a throwaway SQLite database under var/bench-intake/, seeds the demo
organization (participants, episodes with their status history, attendance for `--weeks`),
then adds synthetic inquiries in bulk: one for each episode of the busiest program (received
a few days to a month before admission, with the status events that took it there, linked to
the episode), and as many again that went nowhere (closed with a reason, referred elsewhere, or
still open). Times the funnel page for the program's director (the default 90 days, and a
full year), next to two floors: the same figures through `intake.queries.funnel` alone, and the
page's SELECTs replayed as raw SQL. Prints a table and writes bench/results-intake.json.
Times are reported, never asserted.

    .venv/bin/python bench/intake.py [--participants 2000] [--weeks 12] [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import ROOT, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-intake"
RESULTS = Path(__file__).resolve().parent / "results-intake.json"


def add_inquiries(program: Any, seed: int) -> int:
    """Inquiries and their status events for `program`, in bulk (synthetic, as the actions
    would leave them; the bench needs no audit trail for them)."""
    from trellis.intake.models import (
        CloseReason,
        EventKind,
        Inquiry,
        InquiryEvent,
        InquirySource,
        InquiryStatus,
    )
    from trellis.participants.models import Episode, EpisodeStatus

    rng = random.Random(seed)
    zone = program.organization.tz
    today = program.today()
    sources = list(InquirySource.values)
    reasons = list(CloseReason.values)
    rows: list[tuple[Inquiry, list[str]]] = []

    def local(day: Any) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(
            hours=rng.randint(8, 18), minutes=rng.randint(0, 59)
        )

    def inquiry(received: datetime, status: str, **extra: Any) -> Inquiry:
        return Inquiry(
            organization=program.organization,
            program=program,
            status=status,
            received_at=received,
            status_changed_at=received,
            source=rng.choice(sources),
            referrer_organization="County Hospital",
            given_name="Bench",
            family_name=f"Person {len(rows)}",
            phone="555-0100",
            **extra,
        )

    to_decision: list[str] = [
        InquiryStatus.CONTACTED,
        InquiryStatus.SCREENING,
        InquiryStatus.DECISION,
    ]
    path: list[str]
    episodes = Episode.objects.filter(program=program).select_related("participant")
    for episode in episodes:
        start = episode.admitted_on or today - timedelta(days=rng.randint(0, 80))
        received = local(start - timedelta(days=rng.randint(2, 30)))
        if episode.status in (EpisodeStatus.PLANNED,):
            path = to_decision
        elif episode.status == EpisodeStatus.WAITLIST:
            path = [*to_decision, InquiryStatus.WAITLISTED]
        else:
            path = [*to_decision, InquiryStatus.ADMITTED]
        made = inquiry(received, path[-1], participant=episode.participant, episode=episode)
        rows.append((made, path))
    for _ in range(len(rows)):
        received = local(today - timedelta(days=rng.randint(0, 120)))
        fate = rng.random()
        if fate < 0.45:
            path = [InquiryStatus.CONTACTED, InquiryStatus.CLOSED]
            made = inquiry(received, InquiryStatus.CLOSED, close_reason=rng.choice(reasons))
        elif fate < 0.65:
            path = [InquiryStatus.CONTACTED, InquiryStatus.SCREENING, InquiryStatus.REFERRED]
            made = inquiry(received, InquiryStatus.REFERRED)
        elif fate < 0.8:
            path = [InquiryStatus.REFERRED]
            made = inquiry(received, InquiryStatus.REFERRED)
        else:
            path = [str(InquiryStatus.CONTACTED)][: rng.randint(0, 1)]
            made = inquiry(received, path[-1] if path else InquiryStatus.NEW)
        rows.append((made, path))
    saved = Inquiry.objects.bulk_create([made for made, _ in rows], batch_size=500)
    events = []
    for made, (_, path) in zip(saved, rows, strict=True):
        at = made.received_at
        events.append(InquiryEvent(inquiry=made, kind=EventKind.RECEIVED, at=at, to_status="new"))
        previous: str = InquiryStatus.NEW
        for status in path:
            at += timedelta(days=1)
            events.append(
                InquiryEvent(
                    inquiry=made,
                    kind=EventKind.STATUS,
                    at=at,
                    from_status=previous,
                    to_status=status,
                )
            )
            previous = status
    InquiryEvent.objects.bulk_create(events, batch_size=1000)
    return len(saved)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.demo.seed import load_demo
    from trellis.intake.queries import funnel
    from trellis.participants.models import EpisodeStatus, EpisodeStatusChange
    from trellis.programs.models import Membership, Program, Role
    from trellis.scheduling.models import Attendance

    started = time.perf_counter()
    load_demo(participants=args.participants, weeks=args.weeks)
    program = (
        Program.objects.annotate(episode_count=Count("episodes"))
        .select_related("organization")
        .order_by("-episode_count")
        .first()
    )
    assert program is not None
    inquiries = add_inquiries(program, seed=11)
    seeded_s = time.perf_counter() - started
    attended = Attendance.objects.filter(episode__program=program).count()
    waitlisted = EpisodeStatusChange.objects.filter(
        episode__program=program, status=EpisodeStatus.WAITLIST
    ).count()
    size = f"{inquiries} inquiries"
    director = (
        Membership.objects.filter(role=Role.PROGRAM_DIRECTOR)
        .filter(Q(program=program) | Q(program__isnull=True, organization=program.organization))
        .select_related("user")
        .first()
    )
    assert director is not None, "the demo has a program director"
    client = Client()
    client.force_login(director.user)
    today = program.today()
    results = []

    def page(url: str) -> Any:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    default_url = f"/intake/funnel/?program={program.public_id}"
    year_url = f"{default_url}&start={today - timedelta(days=364)}&end={today}"
    times, queries = timed(page(default_url), args.iterations)
    results.append(row("funnel page, last 90 days", size, times, queries))
    times, queries = timed(page(year_url), args.iterations)
    results.append(row("funnel page, a year", size, times, queries))

    start = today - timedelta(days=89)
    times, queries = timed(lambda: funnel(program, start, today), args.iterations)
    results.append(row("floor: funnel() alone, 90 days", size, times, queries))

    with CaptureQueriesContext(connection) as captured:
        page(default_url)()
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    times, _ = timed(replay, args.iterations)
    results.append(row("floor: the page's SELECTs, raw SQL", size, times, [len(reads)]))

    print(
        f"seeded {args.participants} participants, {args.weeks} weeks, {inquiries} inquiries "
        f"in {seeded_s:.0f} s; {program.name}: {attended} attendance marks, "
        f"{waitlisted} waitlist entries in its status history"
    )
    print(f"{'operation':<38} {'size':<16} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        print(f"{r['operation']:<38} {r['size']:<16} {r['median_ms']:>10} {r['p95_ms']:>9} "
              f"{r['queries']:>8}")  # fmt: skip
    ratio = results[0]["median_ms"] / max(results[3]["median_ms"], 0.01)
    print(f"page ÷ raw SQL floor: {ratio:.1f}")
    RESULTS.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
