"""Benchmarks for practice: the chart's Practice tab with a year of practice, the facilitator's
"who practised" view of a 12-person group (the take-attendance page's practice panel), the
group's week of adherence, and adherence for a 300-participant program, each next to its floor
(the bare query that fetches the same rows).

Standalone: builds a throwaway SQLite database under var/bench-practice-adherence/, prints a
table (operation, size, median, p95, queries) and writes bench/results-practice-adherence.json.
Times are reported, never asserted. The Practice tab's year and the group's batch are made
through the real actions (`do_assign`, `do_assign_to_present`, `do_record_entry`); the
300-participant program is bulk loaded (see `bulk_practice`).

    .venv/bin/python bench/practice_adherence.py [--participants 300] [--iterations 30]
"""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from harness import ROOT, ok, report, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-practice-adherence"
RESULTS = Path(__file__).resolve().parent / "results-practice-adherence.json"
GROUP = 12

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.practice.models import Skill


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client

    from tests.personas import build_world, make_participant, org_today
    from trellis.audit.models import Purpose
    from trellis.practice.actions.assignments import (
        AssignmentData,
        EntryData,
        do_assign,
        do_assign_to_present,
        do_record_entry,
    )
    from trellis.practice.demo_diary import card_values
    from trellis.practice.models import Assignment, PracticeEntry
    from trellis.practice.models.assignments import Frequency
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard, DiaryCardConfig
    from trellis.practice.panels import attendance_panel
    from trellis.practice.queries.adherence import facts_for, practice_tab, program_adherence
    from trellis.practice.queries.diary import chart_diary_week
    from trellis.practice.queries.safety import safety_plan_summary
    from trellis.practice.tests.helpers import dear_man
    from trellis.privacy.access import Scope, access_participant
    from trellis.scheduling import actions as scheduling
    from trellis.scheduling.queries import attendance_for
    from trellis.scheduling.tests.factory import daily_group, enroll, slot

    rng = random.Random(12)
    world = build_world()
    skill = dear_man(world.organization)
    today = org_today()
    monday = today - timedelta(days=today.weekday())

    def entries(assignment: Assignment, per_week: tuple[int, int]) -> None:
        """Some of the assignment's days logged, each written on the day it happened."""
        for offset in sorted(rng.sample(range(7), rng.randint(*per_week))):
            day = assignment.starts_on + timedelta(days=offset)
            if day <= today:
                data = EntryData(day, uuid.uuid4().hex, rating=rng.randint(0, 10))
                do_record_entry(None, assignment, data, today=day)

    def daily(start: date) -> AssignmentData:
        return AssignmentData(
            title="Practise DEAR MAN daily",
            starts_on=start,
            due_on=start + timedelta(days=6),
            skill=skill,
            frequency=Frequency.DAILY,
        )

    results = []

    # 1. Practice tab: one participant with a year of weekly daily-practice assignments and
    # a year of daily diary cards (the tab shows this week's card and the safety summary).
    episode = world.participant.episodes.get()
    for weeks_ago in range(52):
        start = monday - timedelta(weeks=weeks_ago)
        entries(do_assign(None, episode, daily(start), today=start), (2, 7))
    DiaryCardConfig.objects.create(program=episode.program, rows=DEFAULT_ROWS)
    DiaryCard.objects.bulk_create(
        DiaryCard(participant=world.participant, episode=episode,
                  card_on=today - timedelta(days=n), values=card_values(rng, 2.0),
                  note="bench", rows=DEFAULT_ROWS)
        for n in range(365)
    )  # fmt: skip
    client = Client()
    client.force_login(world.clinician)
    tab = f"/participants/{world.participant.public_id}/practice/"
    logged = PracticeEntry.objects.filter(episode=episode).count()
    size = f"52 assignments, {logged} entries, 365 cards"
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

    # 2. Who practised: a 12-person group present at a session three days ago, given a week
    # of daily practice as one batch from the attendance page, with entries since.
    group = daily_group(world, dtstart=today - timedelta(days=14), name="Bench group")
    day = today - timedelta(days=3)
    people: list[Episode] = []
    for n in range(GROUP):
        member = make_participant(
            world.organization, f"G-{n:03d}", "Group", f"Member{n:02d}",
            program=world.evening.program, track=world.evening,
            team=[(world.clinician, "therapist", True)],
        )  # fmt: skip
        enroll(group, member)
        people.append(member.episodes.get())
        mark = scheduling.Mark("present")
        scheduling.do_record_attendance(world.clinician, slot(group, day), people[-1], mark)
    session = slot(group, day)
    attendance_for([session])
    batch = do_assign_to_present(world.clinician, session, daily(day), today=day)
    for assignment in batch:
        entries(assignment, (0, 6))
    size = f"{GROUP} people, {PracticeEntry.objects.filter(assignment__in=batch).count()} entries"
    sheet = f"/schedule/series/{group.public_id}/{day:%Y-%m-%d}/"
    times, queries = timed(lambda: ok(client.get(sheet)), args.iterations)
    results.append(row("take-attendance page (with who practised)", size, times, queries))
    times, queries = timed(lambda: attendance_panel(world.clinician, session), args.iterations)
    results.append(row("who practised panel (context)", size, times, queries))
    occurrence = session.row

    def panel_floor() -> None:
        list(
            Assignment.objects.filter(occurrence=occurrence)
            .select_related("participant")
            .order_by("participant__family_name", "participant__given_name")
        )
        list(
            PracticeEntry.objects.filter(assignment__occurrence=occurrence).values_list(
                "assignment_id", "practiced_on"
            )
        )

    times, queries = timed(panel_floor, args.iterations)
    results.append(row("floor: the batch and its entries", size, times, queries))

    ids = [e.pk for e in people]
    sunday = monday + timedelta(days=6)
    times, queries = timed(lambda: facts_for(ids, first=monday, last=sunday), args.iterations)
    results.append(row("the group's week (adherence facts)", size, times, queries))

    def group_floor() -> None:
        list(Assignment.objects.filter(episode_id__in=ids, starts_on__lte=sunday,
                                       due_on__gte=monday).values("pk"))  # fmt: skip
        list(PracticeEntry.objects.filter(episode_id__in=ids, practiced_on__gte=monday)
             .values_list("assignment_id", "practiced_on"))  # fmt: skip

    times, queries = timed(group_floor, args.iterations)
    results.append(row("floor: the same rows", size, times, queries))

    # 3. Program adherence: N participants with 12 weeks each.
    program = [
        make_participant(world.organization, f"P-{n:05d}", "Bench", f"Person{n:05d}",
                         program=world.program, track=world.morning).episodes.get()
        for n in range(args.participants)
    ]  # fmt: skip
    bulk_practice(program, skill, monday, today, rng)
    every = [e.pk for e in program]
    size = f"{args.participants} participants × 12 weeks"
    times, queries = timed(lambda: program_adherence(every, today), args.iterations)
    results.append(row("program adherence", size, times, queries))

    def program_floor() -> None:
        list(Assignment.objects.filter(episode_id__in=every).values())
        list(PracticeEntry.objects.filter(episode_id__in=every)
             .values_list("assignment_id", "practiced_on"))  # fmt: skip

    times, queries = timed(program_floor, args.iterations)
    results.append(row("floor: the same rows", size, times, queries))

    report(results, RESULTS)


def bulk_practice(
    episodes: list[Episode], skill: Skill, monday: date, today: date, rng: random.Random
) -> None:
    """12 weeks of "daily for 7 days" assignments per episode, with some entries, bulk
    loaded on the models: for 300 people that is 3,600 assignments and about 12,000
    entries, and through the actions (one transaction and audit event each) the set-up
    alone would take minutes. The rows and statuses are those the actions and the missed
    sweep would leave; adherence is what is timed."""
    from trellis.practice.models import Assignment, PracticeEntry
    from trellis.practice.models.assignments import AssignmentStatus, Frequency

    assignments: list[Assignment] = []
    days: list[list[date]] = []
    for e in episodes:
        for start in (monday - timedelta(weeks=w) for w in range(12)):
            logged = [
                start + timedelta(days=offset)
                for offset in sorted(rng.sample(range(7), rng.randint(0, 7)))
                if start + timedelta(days=offset) <= today
            ]
            due = start + timedelta(days=6)
            status = (
                AssignmentStatus.DONE if len(logged) == 7
                else AssignmentStatus.MISSED if due < today
                else AssignmentStatus.IN_PROGRESS if logged
                else AssignmentStatus.ASSIGNED
            )  # fmt: skip
            assignments.append(
                Assignment(
                    participant_id=e.participant_id, episode=e, skill=skill, title="Practise",
                    frequency=Frequency.DAILY, times_required=7, starts_on=start, due_on=due,
                    status=status,
                )
            )  # fmt: skip
            days.append(logged)
    Assignment.objects.bulk_create(assignments)
    PracticeEntry.objects.bulk_create(
        PracticeEntry(
            assignment=a, participant_id=a.participant_id, episode=a.episode,
            practiced_on=day, rating=rng.randint(0, 10), idempotency_key=uuid.uuid4().hex,
        )
        for a, logged in zip(assignments, days, strict=True)
        for day in logged
    )  # fmt: skip


if __name__ == "__main__":
    main()
