"""Benchmarks for practice adherence: the chart's Practice tab with a year of practice, the
"who practised" adherence of a 12-person group's batch, and adherence for a 300-participant
program, each next to its floor (the bare query that fetches the same rows).

Standalone: builds a throwaway SQLite database under var/bench-practice-adherence/, prints a
table (operation, size, median, p95, queries) and writes bench/results-practice-adherence.json.
Times are reported, never asserted. Data is made with bulk_create on the foundation models
(fast set-up; the actions are not what is being timed).

    .venv/bin/python bench/practice_adherence.py [--participants 300] [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import ROOT, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-practice-adherence"
RESULTS = Path(__file__).resolve().parent / "results-practice-adherence.json"


def ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client

    from tests.personas import build_world, make_participant, org_today
    from trellis.audit.models import Purpose
    from trellis.participants.models import Episode
    from trellis.practice.demo_diary import _values
    from trellis.practice.models import Assignment, PracticeEntry
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard, DiaryCardConfig
    from trellis.practice.queries.adherence import facts_for, practice_tab, program_adherence
    from trellis.practice.queries.diary import chart_diary_week
    from trellis.practice.queries.safety import safety_plan_summary
    from trellis.practice.tests.helpers import dear_man
    from trellis.privacy.access import Scope, access_participant

    rng = random.Random(12)
    world = build_world()
    skill = dear_man(world.organization)
    today = org_today()
    monday = today - timedelta(days=today.weekday())

    def practise(episodes: list[Episode], weeks: int, per_week: tuple[int, int]) -> None:
        """One "daily for 7 days" assignment per week per episode, with some entries."""
        assignments = [
            Assignment(
                participant_id=e.participant_id, episode=e, skill=skill, title="Practise",
                frequency="daily", times_required=7, starts_on=start,
                due_on=start + timedelta(days=6), status="done",
            )
            for e in episodes
            for start in (monday - timedelta(weeks=w) for w in range(weeks))
        ]  # fmt: skip
        Assignment.objects.bulk_create(assignments)
        entries: list[PracticeEntry] = []
        for a in assignments:
            for offset in sorted(rng.sample(range(7), rng.randint(*per_week))):
                day: date = a.starts_on + timedelta(days=offset)
                if day <= today:
                    entries.append(
                        PracticeEntry(
                            assignment=a, participant_id=a.participant_id, episode=a.episode,
                            practiced_on=day, rating=rng.randint(0, 10),
                            idempotency_key=uuid.uuid4().hex,
                        )
                    )  # fmt: skip
        PracticeEntry.objects.bulk_create(entries)

    results = []

    # 1. Practice tab: one participant with a year of weekly daily-practice assignments and
    # a year of daily diary cards (the tab shows this week's card and the safety summary).
    episode = world.participant.episodes.get()
    practise([episode], 52, (2, 7))
    DiaryCardConfig.objects.create(program=episode.program, rows=DEFAULT_ROWS)
    DiaryCard.objects.bulk_create(
        DiaryCard(participant=world.participant, episode=episode,
                  card_on=today - timedelta(days=n), values=_values(rng, 2.0), note="bench",
                  rows=DEFAULT_ROWS)
        for n in range(365)
    )  # fmt: skip
    client = Client()
    client.force_login(world.clinician)
    tab = f"/participants/{world.participant.public_id}/practice/"
    entries = PracticeEntry.objects.filter(episode=episode).count()
    size = f"52 assignments, {entries} entries, 365 cards"
    times, queries = timed(lambda: ok(client.get(tab)), args.iterations)
    results.append(row("Practice tab", size, times, queries))

    # The tab's own reads, without the chart frame (header, tabs, access, audit) they sit in.
    access = access_participant(
        world.clinician, world.participant.public_id, purpose=Purpose.TREAT,
        minimum=Scope.CLINICAL,
    )  # fmt: skip

    def tab_reads() -> None:
        practice_tab(access)
        chart_diary_week(access, episode)
        safety_plan_summary(access, episode)

    times, queries = timed(tab_reads, args.iterations)
    results.append(row("the tab's reads (no chart frame)", size, times, queries))
    monday_card = today - timedelta(days=today.weekday())

    def tab_floor() -> None:
        list(Assignment.objects.filter(episode=episode).values())
        list(PracticeEntry.objects.filter(episode=episode).values("assignment_id", "practiced_on"))
        list(DiaryCard.objects.filter(episode=episode, card_on__gte=monday_card))

    times, queries = timed(tab_floor, args.iterations)
    results.append(row("floor: assignments, entry days, week's cards", size, times, queries))

    # 2. Who practised: this week's assignment of a 12-person group.
    group = [
        make_participant(world.organization, f"G-{n:03d}", "Group", f"Member{n:02d}",
                         program=world.program, track=world.evening).episodes.get()
        for n in range(12)
    ]  # fmt: skip
    practise(group, 1, (0, 7))
    ids = [e.pk for e in group]
    sunday = monday + timedelta(days=6)
    times, queries = timed(lambda: facts_for(ids, first=monday, last=sunday), args.iterations)
    results.append(row("who practised (adherence)", "12 people, this week", times, queries))

    def group_floor() -> None:
        list(Assignment.objects.filter(episode_id__in=ids, starts_on__lte=sunday,
                                       due_on__gte=monday).values("pk"))  # fmt: skip
        list(PracticeEntry.objects.filter(episode_id__in=ids, practiced_on__gte=monday)
             .values_list("assignment_id", "practiced_on"))  # fmt: skip

    times, queries = timed(group_floor, args.iterations)
    results.append(row("floor: the same rows", "12 people, this week", times, queries))

    # 3. Program adherence: N participants with 12 weeks each.
    people = [
        make_participant(world.organization, f"P-{n:05d}", "Bench", f"Person{n:05d}",
                         program=world.program, track=world.morning).episodes.get()
        for n in range(args.participants)
    ]  # fmt: skip
    practise(people, 12, (0, 7))
    every = [e.pk for e in people]
    size = f"{args.participants} participants × 12 weeks"
    times, queries = timed(lambda: program_adherence(every, today), args.iterations)
    results.append(row("program adherence", size, times, queries))

    def program_floor() -> None:
        list(Assignment.objects.filter(episode_id__in=every).values())
        list(PracticeEntry.objects.filter(episode_id__in=every)
             .values_list("assignment_id", "practiced_on"))  # fmt: skip

    times, queries = timed(program_floor, args.iterations)
    results.append(row("floor: the same rows", size, times, queries))

    print(f"{'operation':<40} {'size':<34} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        print(f"{r['operation']:<40} {r['size']:<34} {r['median_ms']:>10} {r['p95_ms']:>9} "
              f"{r['queries']:>8}")  # fmt: skip
    RESULTS.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
