"""Benchmark of the intake board with 500 open inquiries.

Standalone: builds a throwaway SQLite database under var/bench-intake/, the test personas'
organization (tests/personas.py) and N open inquiries of its mental-health program through
`do_create_inquiry` (a third contacted, with owners and next actions; a few linked to a
participant record), then times the board's read (`intake_board`), the board page as the
intake coordinator sees it (with its audit events), one inquiry's page, and the floor: the
same rows fetched by one ORM query. Prints a table and writes bench/results-intake-board.json.
Times are reported, never asserted.

    .venv/bin/python bench/intake.py [--inquiries 500] [--iterations 30]
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from harness import ROOT, ok, report, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-intake"
RESULTS = Path(__file__).resolve().parent / "results-intake-board.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inquiries", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client
    from django.utils import timezone

    from tests.personas import build_world
    from trellis.intake.actions import InquiryDetails, do_create_inquiry
    from trellis.intake.models import Inquiry, InquirySource, InquiryStatus
    from trellis.intake.queries import BOARD_STATUSES, intake_board

    world = build_world()
    now = timezone.now()
    sources = [InquirySource.WEB, InquirySource.PHONE, InquirySource.REFERRAL]
    for n in range(args.inquiries):
        source = sources[n % 3]
        inquiry = do_create_inquiry(
            None if source == InquirySource.WEB else world.intake,
            world.program,
            InquiryDetails(
                source=source,
                given_name=f"Person{n}",
                family_name=f"Bench{n}",
                phone=f"555-01{n % 100:02d}",
                reason="Bench reason.",
                consent_to_contact=True,
                referrer_organization="Bench Hospital" if source == InquirySource.REFERRAL else "",
            ),
            received_at=now - timedelta(hours=n % 200),
        )
        if n % 3 == 1:
            Inquiry.objects.filter(pk=inquiry.pk).update(
                status=InquiryStatus.CONTACTED,
                owner=world.intake,
                next_action="Call back",
                next_action_due=world.organization.today() + timedelta(days=n % 5 - 2),
            )
    linked = [world.participant, world.other_participant]
    for person, inquiry in zip(linked, Inquiry.objects.order_by("pk")[:2], strict=True):
        Inquiry.objects.filter(pk=inquiry.pk).update(participant=person)
    size = f"{Inquiry.objects.filter(status__in=BOARD_STATUSES).count()} open inquiries"
    results = []

    times, queries = timed(lambda: intake_board(world.intake), args.iterations)
    results.append(row("intake_board (the read)", size, times, queries))

    def floor() -> None:
        list(
            Inquiry.objects.filter(program=world.program, status__in=BOARD_STATUSES)
            .select_related("program__organization", "owner", "participant")
            .defer("reason")
            .order_by("status_changed_at", "pk")
        )

    times, queries = timed(floor, args.iterations)
    results.append(row("floor: the board's rows, one ORM query", size, times, queries))

    client = Client()
    client.force_login(world.intake)

    def page(path: str) -> None:
        ok(client.get(path))

    times, queries = timed(lambda: page("/intake/"), args.iterations)
    results.append(row("board page (intake coordinator)", size, times, queries))
    one = Inquiry.objects.order_by("pk").last()
    assert one is not None
    times, queries = timed(lambda: page(f"/intake/{one.public_id}/"), args.iterations)
    results.append(row("inquiry page (with duplicates)", size, times, queries))

    report(results, RESULTS)


if __name__ == "__main__":
    main()
