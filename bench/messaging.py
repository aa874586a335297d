"""Benchmark for the staff message inbox (/messages/) with 500 threads: 50 participants on
the therapist's caseload, ten threads each (two messages a thread, a third of them read by the
therapist, half awaiting the team's answer); next to the floor (the bare read of one page of
threads, without the access spine, the unread annotation, the audit records and the page).
Also the first and the last page, and one thread opened (read, audited).

Standalone: builds a throwaway SQLite database under var/bench-messaging/, prints a table
and writes bench/results-messaging.json. Times are reported, never asserted.

    .venv/bin/python bench/messaging.py [--threads 500] [--iterations 30]
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta
from pathlib import Path

from harness import ROOT, ok, report, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-messaging"
RESULTS = Path(__file__).resolve().parent / "results-messaging.json"
PER_PARTICIPANT = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client
    from django.utils import timezone

    from tests.personas import build_world, make_participant
    from trellis.messaging.access import INBOX_PAGE_SIZE
    from trellis.messaging.models import Message, ReadState, Recipient, Thread
    from trellis.programs.models import ClinicianKind

    rng = random.Random(7)
    world = build_world()
    therapist = world.clinician
    people = max(1, args.threads // PER_PARTICIPANT)
    now = timezone.now()
    threads: list[Thread] = []
    for n in range(people):
        person = make_participant(
            world.organization,
            f"MRN-B{n:04d}",
            f"Bench{n}",
            f"Person{n}",
            program=world.program,
            track=world.evening,
            team=[(therapist, ClinicianKind.THERAPIST, True)],
        )
        episode = person.episodes.get()
        for _ in range(PER_PARTICIPANT):
            at = now - timedelta(minutes=rng.randint(5, 60 * 24 * 90))
            threads.append(
                Thread(
                    participant=person,
                    episode=episode,
                    recipient=rng.choice(Recipient.values),
                    subject=rng.choice(["", "Changing tracks", "Missed group", "A question"]),
                    started_by=therapist,
                    created_at=at,
                    last_message_at=at,
                    awaiting_team=rng.random() < 0.5,
                )
            )
    Thread.objects.bulk_create(threads, batch_size=500)
    threads = list(Thread.objects.select_related("participant").order_by("pk"))
    Message.objects.bulk_create(
        (
            Message(
                thread=t,
                author=therapist,
                from_participant=bool(i),
                body="A message of a few sentences about the week, practice and the schedule.",
                created_at=t.created_at,
            )
            for t in threads
            for i in range(2)
        ),
        batch_size=1000,
    )
    ReadState.objects.bulk_create(
        ReadState(thread=t, user=therapist, read_at=t.last_message_at)
        for t in threads
        if rng.random() < 1 / 3
    )

    size = f"{len(threads)} threads"
    client = Client()
    client.force_login(therapist)
    results = []
    times, queries = timed(lambda: ok(client.get("/messages/")), args.iterations)
    results.append(row("staff inbox /messages/", size, times, queries))
    last = -(-len(threads) // INBOX_PAGE_SIZE)
    times, queries = timed(lambda: ok(client.get(f"/messages/?page={last}")), args.iterations)
    results.append(row(f"staff inbox, page {last}", size, times, queries))
    one = f"/messages/{threads[len(threads) // 2].public_id}/"
    times, queries = timed(lambda: ok(client.get(one)), args.iterations)
    results.append(row("one thread (read, audited)", "2 messages", times, queries))

    def floor() -> None:
        page = (
            Thread.objects.filter(episode__care_team__user=therapist)
            .select_related("participant", "episode__program")
            .order_by("-awaiting_team", "-last_message_at")
        )
        list(page[:INBOX_PAGE_SIZE])
        page.count()

    times, queries = timed(floor, args.iterations)
    results.append(row("floor: one page of threads", size, times, queries))
    report(results, RESULTS)


if __name__ == "__main__":
    main()
