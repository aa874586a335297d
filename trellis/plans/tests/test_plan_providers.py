"""The real progress providers: measures' scores and scheduling's hours ledger, computed
from data recorded through those apps' actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.measures.actions import do_record_past_response
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for
from trellis.plans import content as c
from trellis.plans import progress
from trellis.plans.tests.factory import signed_plan
from trellis.scheduling import actions as sactions
from trellis.scheduling.queries import find_slot


def _gad7(world: World, totals: list[int]) -> None:
    episode = world.participant.episodes.get()
    instrument = get_instrument("GAD-7")
    for weeks_ago, total in zip(range(len(totals), 0, -1), totals, strict=True):
        do_record_past_response(
            None,
            episode,
            "GAD-7",
            answers_for(instrument, total),
            submitted_at=timezone.now() - timedelta(weeks=weeks_ago),
        )


def test_measure_objectives_read_the_latest_score(world: World) -> None:
    episode = world.participant.episodes.get()
    document = c.load(signed_plan(world.clinician, episode, PASSWORD).content)
    gad = document.objectives[0]
    assert progress.progress_for(episode, [gad])[gad.key].value is None  # no scores yet
    _gad7(world, [15, 12, 8])
    result = progress.progress_for(episode, [gad])[gad.key]
    assert (result.value, result.met, result.source) == (8.0, True, "measure")  # 8 < 10
    assert result.detail == "GAD-7, 3 scores"


def test_attendance_objectives_read_the_hours_ledger_of_the_last_four_weeks(world: World) -> None:
    episode = world.participant.episodes.get()
    document = c.load(signed_plan(world.clinician, episode, PASSWORD).content)
    attendance = document.objectives[1]  # "at least 90%"
    today = timezone.now().astimezone(world.organization.tz).date()
    first = today - timedelta(days=4)
    series = sactions.do_create_series(
        world.director,
        world.evening,
        sactions.SeriesData(
            name="Skills",
            start_time=time(0, 30),  # early, so today's session has ended whenever tests run
            duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=5",  # first..today
            dtstart=first,
            capacity=10,
            room=world.room,
            facilitators=[world.clinician],
        ),
    )
    sactions.do_add_to_roster(None, episode, series, first)
    # Five sessions so far (first..today); attended three, one no-show, one unmarked.
    for offset, status in enumerate(["present", "present", "absent_unexcused", "present"]):
        slot = find_slot(series.public_id, first + timedelta(days=offset))
        assert slot is not None
        sactions.do_record_attendance(world.clinician, slot, episode, sactions.Mark(status))
    result = progress.progress_for(episode, [attendance])[attendance.key]
    assert result.source == "attendance"
    assert result.value == 60.0  # 3 of 5 hours: an unmarked past session counts as missed
    assert result.met is False
    assert result.detail == "last 4 weeks: 3.0 of 5.0 scheduled hours"


def test_the_plan_tab_shows_live_progress(
    world: World, client_for: Callable[[User], Client]
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    _gad7(world, [9])
    body = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/plan/")
    assert "GAD-7, 1 score" in body.content.decode()
