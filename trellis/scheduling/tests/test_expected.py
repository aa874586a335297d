"""Who is in the program on a day: one rule (`scheduling.queries.expected_at`) from the
episode's status history decides who is expected at a session, who counts for hours and who
raises attendance flags, alerts and agenda items. People on hold, planned, waitlisted or
discharged are not in the program that day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.personas import World
from trellis.accounts.models import User
from trellis.meetings.models import AgendaRule
from trellis.meetings.queries import agenda_for
from trellis.meetings.sweeps import raise_attendance_alerts
from trellis.participants.actions import check_change_status, do_discharge
from trellis.participants.models import (
    DischargeReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    status_on,
)
from trellis.scheduling import actions
from trellis.scheduling.hours import flags_for, week_hours
from trellis.scheduling.models import RosterMembership, SessionSeries
from trellis.scheduling.queries import expected_at, expected_episodes, roster_for
from trellis.scheduling.recurrence import iso_week_start
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot
from trellis.worklist.models import Alert, AlertKind

Clients = Callable[[User], Client]


@pytest.fixture
def group(world: World) -> SessionSeries:
    """A 90-minute group every day since 20 days ago; the participant (admitted 21 days ago)
    is on its roster."""
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=20))
    enroll(series, world.participant)
    return series


def expected_today(series: SessionSeries, day: date) -> list[Episode]:
    occurrence = slot(series, day)
    return expected_episodes(occurrence, roster_for([series.pk], day, day))


def hold(world: World, day: date) -> Episode:
    episode = world.participant.episodes.get()
    return check_change_status(
        world.director, episode, status=EpisodeStatus.ON_HOLD, effective_on=day
    )


def unexcused(world: World, series: SessionSeries, day: date) -> None:
    actions.do_record_attendance(
        world.director, slot(series, day), world.participant.episodes.get(),
        actions.Mark("absent_unexcused"),
    )  # fmt: skip


def test_a_person_on_hold_is_not_on_the_attendance_sheet_from_the_hold(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    today = local_today(world)
    hold(world, today - timedelta(days=2))
    assert expected_today(group, today - timedelta(days=3)) == [world.participant.episodes.get()]
    assert expected_today(group, today - timedelta(days=2)) == []
    sheet = client_for(world.clinician).get(f"/schedule/series/{group.public_id}/{today:%Y-%m-%d}/")
    assert sheet.status_code == 200
    assert sheet.context["rows"] == []  # tonight's roster on the sheet
    assert sheet.context["expected_count"] == 0


def test_hours_are_scheduled_only_for_days_in_the_program(
    world: World, group: SessionSeries
) -> None:
    today = local_today(world)
    monday = iso_week_start(today) - timedelta(days=7)  # last week: entirely in the past
    hold_day = monday + timedelta(days=3)  # on hold from last Thursday
    hold(world, hold_day)
    episode = world.participant.episodes.get()
    entry = week_hours([episode], monday)[episode.pk]
    assert entry.scheduled_minutes == 90 * 3  # Monday to Wednesday only


def test_no_attendance_flags_alerts_or_agenda_items_while_on_hold(
    world: World, group: SessionSeries
) -> None:
    today = local_today(world)
    for days_ago in (3, 2):
        unexcused(world, group, today - timedelta(days=days_ago))
    episode = world.participant.episodes.get()
    codes = [f.code for f in flags_for([episode], today)[episode.pk]]
    assert "unexcused_run" in codes  # the rule is live before the hold

    hold(world, today - timedelta(days=1))
    episode = world.participant.episodes.get()
    assert flags_for([episode], today).get(episode.pk, []) == []
    raise_attendance_alerts()
    kinds = [AlertKind.UNEXCUSED_ABSENCES, AlertKind.BELOW_MINIMUM_HOURS]
    assert not Alert.objects.filter(episode=episode, kind__in=kinds).exists()
    rules = {e.rule for e in agenda_for(world.program) if e.episode.pk == episode.pk}
    assert not rules & {AgendaRule.UNEXCUSED, AgendaRule.BELOW_MINIMUM}


def test_a_hold_part_way_through_last_week_is_not_below_the_minimum(
    world: World, group: SessionSeries
) -> None:
    today = local_today(world)
    hold(world, iso_week_start(today) - timedelta(days=4))  # last Thursday
    episode = world.participant.episodes.get()
    check_change_status(world.director, episode, status=EpisodeStatus.ACTIVE, effective_on=today)
    episode = world.participant.episodes.get()
    assert "below_minimum" not in [f.code for f in flags_for([episode], today)[episode.pk]]


def test_resuming_brings_the_person_back_from_that_day(world: World, group: SessionSeries) -> None:
    today = local_today(world)
    episode = hold(world, today - timedelta(days=5))
    check_change_status(
        world.director, episode, status=EpisodeStatus.ACTIVE, effective_on=today - timedelta(days=1)
    )
    assert expected_today(group, today - timedelta(days=2)) == []
    assert len(expected_today(group, today - timedelta(days=1))) == 1
    assert world.participant.episodes.get().status == EpisodeStatus.ACTIVE


def test_a_discharged_person_is_not_expected_and_discharge_ends_their_rosters(
    world: World, group: SessionSeries
) -> None:
    today = local_today(world)
    episode = world.participant.episodes.get()
    do_discharge(
        world.director, episode, discharged_on=today - timedelta(days=1),
        reason=DischargeReason.COMPLETED,
    )  # fmt: skip
    assert expected_today(group, today) == []
    assert len(expected_today(group, today - timedelta(days=2))) == 1
    assert actions.do_end_rosters_at_discharge(world.director, episode) == 1
    membership = RosterMembership.objects.get(episode=episode)
    assert membership.end_date == today - timedelta(days=1)


def test_status_changes_are_checked(world: World, group: SessionSeries) -> None:
    today = local_today(world)
    episode = world.participant.episodes.get()
    with pytest.raises(ValidationError, match="future"):
        check_change_status(
            world.director, episode, status=EpisodeStatus.ON_HOLD,
            effective_on=today + timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="cannot become"):
        check_change_status(
            world.director, episode, status=EpisodeStatus.WAITLIST, effective_on=today
        )
    hold(world, today - timedelta(days=3))
    with pytest.raises(ValidationError, match="last change"):
        check_change_status(
            world.director, world.participant.episodes.get(), status=EpisodeStatus.ACTIVE,
            effective_on=today - timedelta(days=4),
        )  # fmt: skip
    assert EpisodeStatusChange.objects.filter(episode=episode).count() == 2


# -- the rule as a property ---------------------------------------------------------------------

START = date(2026, 1, 5)
STATUSES = st.sampled_from(list(EpisodeStatus))


def simulate(history: list[tuple[date, str]], day: date) -> str | None:
    """A day-by-day replay of the history, independent of `status_on`'s search."""
    status = None
    current = START - timedelta(days=1)
    pending = list(history)
    while current <= day:
        while pending and pending[0][0] == current:
            status = pending.pop(0)[1]
        current += timedelta(days=1)
    return status


@settings(max_examples=200, deadline=None)
@given(
    changes=st.lists(st.tuples(st.integers(0, 60), STATUSES), max_size=6),
    roster_start=st.integers(0, 60),
    roster_days=st.one_of(st.none(), st.integers(0, 60)),
    day=st.integers(0, 70),
)
def test_expected_means_on_the_roster_and_active_that_day(
    changes: list[tuple[int, str]], roster_start: int, roster_days: int | None, day: int
) -> None:
    history = sorted(((START + timedelta(days=d), s) for d, s in changes), key=lambda c: c[0])
    on = START + timedelta(days=day)
    assert status_on(history, on) == simulate(history, on)

    episode = Episode(pk=1, status=EpisodeStatus.ACTIVE)
    rows = [EpisodeStatusChange(effective_on=d, status=s) for d, s in history]
    episode._prefetched_objects_cache = {"status_changes": rows}  # type: ignore[attr-defined]  # as prefetch_related leaves it
    start = START + timedelta(days=roster_start)
    end = None if roster_days is None else start + timedelta(days=roster_days)
    membership = RosterMembership(start_date=start, end_date=end)
    on_roster = start <= on and (end is None or on <= end)
    assert expected_at(membership, episode, on) == (
        on_roster and simulate(history, on) == EpisodeStatus.ACTIVE
    )
