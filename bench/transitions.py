"""Benchmarks for discharge: assembling the discharge summary of a participant with a year of
data (a group three times a week, weekly PHQ-9 and GAD-7, a signed treatment plan), and
reading it as a page, over the API and as a FHIR DocumentReference.

Standalone: builds a throwaway SQLite database under var/bench-transitions/, prints a table
(operation, size, median, p95, queries) and writes bench/results-transitions.json. Times are
reported, never asserted; that the FHIR search runs a fixed number of queries is asserted by
trellis/transitions/tests/test_fhir.py.

    .venv/bin/python bench/transitions.py [--iterations 30]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from harness import ROOT, row, setup_django, timed

BENCH_DIR = ROOT / "var" / "bench-transitions"
RESULTS = Path(__file__).resolve().parent / "results-transitions.json"


def ok(response: Any) -> None:
    assert response.status_code == 200, response.status_code


def build() -> dict[str, Any]:
    from django.utils import timezone

    from tests.personas import PASSWORD, build_world
    from trellis.measures.actions import do_record_past_response
    from trellis.measures.registry import get_instrument
    from trellis.measures.tests.factories import answers_for
    from trellis.plans.tests.factory import signed_plan
    from trellis.scheduling import actions as sactions
    from trellis.scheduling.demo import _attendance
    from trellis.scheduling.models import Attendance
    from trellis.scheduling.tests.factory import admitted_since
    from trellis.transitions import actions
    from trellis.worklist.models import OPEN_ALERT_STATUSES, Alert

    rng = random.Random(11)
    world = build_world()
    episode = world.participant.episodes.get()
    today = world.organization.today()
    first = today - timedelta(weeks=52)
    admitted_since(world.participant, first)
    episode.refresh_from_db()

    # A year of a three-hour group on Monday, Wednesday and Friday, marked as the demo marks.
    series = sactions.do_create_series(
        world.director,
        world.evening,
        sactions.SeriesData(
            name="Year group", start_time=clock(18, 0), duration_minutes=180,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR", dtstart=first, capacity=12, room=world.room,
            facilitators=[world.clinician],
        ),
    )  # fmt: skip
    sactions.do_add_to_roster(None, episode, series, first)
    _attendance([series], first, today - timedelta(days=1), rng)

    # Weekly PHQ-9 and GAD-7, improving over the year.
    phq9, gad7 = get_instrument("PHQ-9"), get_instrument("GAD-7")
    now = timezone.now()
    for week in range(52):
        at = now - timedelta(weeks=51 - week, hours=2)
        for instrument in (phq9, gad7):
            total = max(0, min(instrument.high, 18 - week // 4 + rng.randint(-2, 2)))
            do_record_past_response(
                None, episode, instrument.code, answers_for(instrument, total), submitted_at=at
            )
    signed_plan(world.clinician, episode, PASSWORD)

    open_items = list(Alert.objects.filter(episode=episode, status__in=OPEN_ALERT_STATUSES))
    summary = actions.check_discharge_episode(
        world.clinician,
        episode,
        discharged_on=today,
        reason="completed",
        decisions=[
            actions.ItemDecision(a, close=a.is_task, owner=None if a.is_task else world.director)
            for a in open_items
        ],
    )
    size = (
        f"52 weeks: {Attendance.objects.filter(episode=episode).count()} marks, "
        "104 scores, a signed plan"
    )
    return {"world": world, "episode": episode, "summary": summary, "size": size}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    setup_django(BENCH_DIR)

    from django.test import Client

    from tests.personas import PASSWORD
    from trellis.participants.models import Episode
    from trellis.transitions import actions
    from trellis.transitions.models import DischargeSummary
    from trellis.transitions.queries import assemble

    built = build()
    world, summary, size = built["world"], built["summary"], built["size"]
    clinician = Client()
    clinician.force_login(world.clinician)
    results = []

    def assemble_once() -> None:
        assemble(Episode.objects.select_related("program__organization", "track").get(
            pk=built["episode"].pk))  # fmt: skip

    page = f"/discharge-summaries/{summary.public_id}/"
    api = f"/api/v1/discharge-summaries/{summary.public_id}"
    for operation, fn in [
        ("assemble the figures", assemble_once),
        ("summary page (draft)", lambda: ok(clinician.get(page))),
        ("API summary (draft)", lambda: ok(clinician.get(api))),
    ]:
        times, queries = timed(fn, args.iterations)
        results.append(row(operation, size, times, queries))

    summary = actions.check_save_summary(
        world.clinician,
        summary,
        narrative="A year in the program; mood and worry improved.",
        aftercare=actions.AftercareInput(
            step_down_level="outpatient", crisis_steps=actions.CRISIS_DEFAULT
        ),
        revision=summary.revision,
    )
    actions.check_sign_summary(
        world.clinician,
        DischargeSummary.objects.get(pk=summary.pk),
        typed_name=world.clinician.name,
        password=PASSWORD,
        revision=summary.revision,
    )
    # Signed: the figures are frozen, the care team has ended; the director reads it.
    director = Client()
    director.force_login(world.director)
    document = f"/api/v1/fhir/DocumentReference/{summary.public_id}"
    for operation, fn in [
        ("summary page (signed)", lambda: ok(director.get(page))),
        ("FHIR DocumentReference", lambda: ok(director.get(document))),
    ]:
        times, queries = timed(fn, args.iterations)
        results.append(row(operation, size, times, queries))

    print(f"{'operation':<26} {'size':<50} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    for r in results:
        print(f"{r['operation']:<26} {r['size']:<50} {r['median_ms']:>10} {r['p95_ms']:>9} "
              f"{r['queries']:>8}")  # fmt: skip
    RESULTS.write_text(
        json.dumps({"generated_at": datetime.now(UTC).isoformat(), "results": results}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
