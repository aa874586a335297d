"""The weekly hours ledger and each attendance flag; the chart panel and dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings

from tests.personas import World
from trellis.accounts.models import User
from trellis.scheduling import actions
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.models import SessionSeries
from trellis.scheduling.tests.factory import (
    admitted_since,
    daily_group,
    enroll,
    evening_dbt,
    local_today,
    slot,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 11, 2)  # ISO week 2026-W45, the first week after the DST change


@pytest.fixture
def dbt(world: World) -> SessionSeries:
    # The personas were admitted three weeks before the real today; these tests live in
    # autumn 2026, so admit the participant before it (test data, not an action).
    admitted_since(world.participant, date(2026, 10, 1))
    series = evening_dbt(world, dtstart=date(2026, 10, 5), topics=[])  # Mon/Wed 150 min
    enroll(series, world.participant)
    return series


def mark(
    world: World, series: SessionSeries, day: date, status: str, late: int = 0, early: int = 0
) -> None:
    actions.do_record_attendance(
        world.clinician, slot(series, day), world.participant.episodes.get(),
        actions.Mark(status, minutes_late=late, minutes_left_early=early),
    )  # fmt: skip


def test_scheduled_attended_and_projected_hours_of_a_week(world: World, dbt: SessionSeries) -> None:
    episode = world.participant.episodes.get()
    mark(world, dbt, MONDAY, "late", late=30)  # 120 of 150 minutes
    # Wednesday 6 pm has not happened at "now": it is projected, not attended.
    now = datetime(2026, 11, 3, 12, 0, tzinfo=CHICAGO)
    entry = week_hours([episode], MONDAY, now=now)[episode.pk]
    assert (entry.scheduled, entry.attended, entry.projected) == (
        Decimal("5.0"),
        Decimal("2.0"),
        Decimal("4.5"),
    )
    assert entry.min_hours == Decimal(9)
    assert entry.band == "below"
    assert (entry.days()[0].day, entry.days()[0].hours) == (MONDAY, Decimal("2.0"))


def test_cancelled_sessions_are_not_scheduled_and_walk_ins_count(
    world: World, dbt: SessionSeries
) -> None:
    episode = world.participant.episodes.get()
    actions.do_cancel_occurrence(world.director, slot(dbt, date(2026, 11, 4)), "Snow")
    extra = daily_group(
        world, dtstart=date(2026, 11, 1), at=time(10), minutes=60, name="Open group"
    )
    actions.check_record_attendance(
        world.director, slot(extra, date(2026, 11, 5)), episode, actions.Mark("present"),
        walk_in_reason="Extra support",
    )  # fmt: skip
    mark(world, dbt, MONDAY, "left_early", early=50)
    entry = week_hours([episode], MONDAY, now=datetime(2026, 12, 1, tzinfo=CHICAGO))[episode.pk]
    assert (entry.scheduled, entry.attended, entry.projected) == (
        Decimal("3.5"),
        Decimal("2.7"),
        Decimal("2.7"),
    )


def test_an_episode_override_replaces_the_programs_minimum(
    world: World, dbt: SessionSeries
) -> None:
    episode = world.participant.episodes.get()
    actions.check_set_hours_override(world.director, episode, Decimal(6), Decimal(12), "Payer rule")
    assert week_hours([episode], MONDAY)[episode.pk].min_hours == Decimal(6)


def test_flag_below_the_minimum_last_week(world: World, dbt: SessionSeries) -> None:
    episode = world.participant.episodes.get()
    for day in (MONDAY, MONDAY + timedelta(days=2)):
        mark(world, dbt, day, "present")
    flags = flags_for([episode], MONDAY + timedelta(days=7))[episode.pk]
    assert [f.code for f in flags] == ["below_minimum"]
    assert "5.0 h" in flags[0].label


def test_flag_two_unexcused_absences_in_a_row(world: World, dbt: SessionSeries) -> None:
    episode = world.participant.episodes.get()
    mark(world, dbt, date(2026, 10, 26), "present")
    mark(world, dbt, date(2026, 10, 28), "absent_unexcused")
    one = flags_for([episode], date(2026, 10, 29)).get(episode.pk, [])
    assert "unexcused_run" not in [f.code for f in one]
    mark(world, dbt, MONDAY, "absent_unexcused")
    two = flags_for([episode], date(2026, 11, 3))[episode.pk]
    assert "unexcused_run" in [f.code for f in two]


def test_flag_three_absences_in_fourteen_days(world: World, dbt: SessionSeries) -> None:
    episode = world.participant.episodes.get()
    mark(world, dbt, date(2026, 10, 21), "absent_excused")  # 15 days before: outside
    mark(world, dbt, date(2026, 10, 26), "absent_excused")
    mark(world, dbt, date(2026, 10, 28), "present")
    mark(world, dbt, MONDAY, "absent_unexcused")
    codes = [f.code for f in flags_for([episode], date(2026, 11, 4)).get(episode.pk, [])]
    assert "absences_in_window" not in codes
    mark(world, dbt, date(2026, 11, 4), "absent_excused")
    codes = [f.code for f in flags_for([episode], date(2026, 11, 4))[episode.pk]]
    assert "absences_in_window" in codes


@override_settings(
    TRELLIS_ATTENDANCE_CONSECUTIVE_UNEXCUSED=1, TRELLIS_ATTENDANCE_ABSENCES_IN_WINDOW=1
)
def test_flag_thresholds_come_from_settings(world: World, dbt: SessionSeries) -> None:
    episode = world.participant.episodes.get()
    mark(world, dbt, MONDAY, "absent_unexcused")
    codes = {f.code for f in flags_for([episode], MONDAY)[episode.pk]}
    assert {"unexcused_run", "absences_in_window"} <= codes


def test_the_chart_header_shows_hours_to_clinical_scope_only(
    world: World, client_for: Callable[[User], Client]
) -> None:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10), minutes=90)
    enroll(series, world.participant)
    yesterday = local_today(world) - timedelta(days=1)
    mark(world, series, yesterday, "present")
    chart = f"/participants/{world.participant.public_id}/"
    clinician = client_for(world.clinician).get(chart).content.decode()
    assert "Hours this week" in clinician
    front = client_for(world.front_desk).get(chart).content.decode()
    assert "Hours this week" not in front
    tab = client_for(world.front_desk).get(f"{chart}schedule/").content.decode()
    assert "Present" in tab  # attendance is demographic: front desk keep the sign-in sheet


def test_the_dashboard_colours_and_flags_only_for_clinical_viewers(
    world: World, dbt: SessionSeries, client_for: Callable[[User], Client]
) -> None:
    url = f"/schedule/programs/{world.program.public_id}/attendance/?week=2026-W45"
    mark(world, dbt, MONDAY, "absent_unexcused")
    mark(world, dbt, date(2026, 10, 28), "absent_unexcused")
    director = client_for(world.director).get(url).content.decode()
    assert "Falling behind" in director
    assert "band-below" in director
    front = client_for(world.front_desk).get(url).content.decode()
    assert "Patricia Quillfeather" in front
    assert "band-below" not in front
    assert "Falling behind" not in front
    # A clinician sees only their own care team's rows.
    mine = client_for(world.clinician).get(url).content.decode()
    assert "Patricia Quillfeather" in mine
    assert "Rowan Thistledown" not in mine
    assert client_for(world.outsider).get(url).status_code == 404


def test_several_weeks_at_once_match_each_week_read_alone(
    world: World, dbt: SessionSeries, count_queries: Callable[[], Any]
) -> None:
    """weeks_hours (the participant's progress page, plans' attendance provider) is
    week_hours over several weeks, in the queries of one."""
    from trellis.scheduling.hours import weeks_hours

    episode = world.participant.episodes.get()
    first = MONDAY - timedelta(weeks=2)
    mark(world, dbt, first, "present")
    mark(world, dbt, first + timedelta(days=2), "absent_excused")
    mark(world, dbt, MONDAY, "late", late=30)
    now = datetime(2026, 11, 3, 12, 0, tzinfo=CHICAGO)
    episodes = world.participant.episodes.select_related("program")
    alone_episode, together_episode = episodes.get(), episodes.get()
    with count_queries() as one:
        week_hours([alone_episode], MONDAY, now=now)
    with count_queries() as three:
        together = weeks_hours([together_episode], first, 3, now=now)[episode.pk]
    assert three.count == one.count
    for entry in together:
        alone = week_hours([episode], entry.week_start, now=now)[episode.pk]
        assert (entry.scheduled, entry.attended, entry.projected, entry.absent_by_day) == (
            alone.scheduled,
            alone.attended,
            alone.projected,
            alone.absent_by_day,
        )
    assert [e.week_start for e in together] == [first + timedelta(weeks=n) for n in range(3)]
    assert together[0].attended == Decimal("2.5")
    assert together[2].attended == Decimal("2.0")
