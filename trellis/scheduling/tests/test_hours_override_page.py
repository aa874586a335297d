"""One person's weekly hours: set from the chart with a reason and dates, shown in the hours
line of the chart and used by the ledger only for the weeks it covers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import Episode
from trellis.scheduling import actions, recurrence
from trellis.scheduling.hours import week_hours
from trellis.scheduling.models import EpisodeHoursOverride


def _url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/schedule/hours/"


def _episode(world: World) -> Episode:
    return world.participant.episodes.get()


def test_care_team_clinician_sets_a_step_down_week_with_reason_and_dates(
    world: World, client_for: Callable[[User], Client]
) -> None:
    monday = recurrence.iso_week_start(org_today())
    response = client_for(world.clinician).post(
        _url(world),
        {
            "min_hours_per_week": "6",
            "max_hours_per_week": "9",
            "starts_on": monday.isoformat(),
            "ends_on": (monday + timedelta(days=6)).isoformat(),
            "reason": "Step-down week agreed at team meeting",
        },
    )
    assert response.status_code == 302
    override = EpisodeHoursOverride.objects.get(episode=_episode(world))
    assert (override.min_hours_per_week, override.set_by) == (Decimal(6), world.clinician)
    event = Event.objects.get(actor=world.clinician, object_type="scheduling.episodehoursoverride")
    assert event.participant == world.participant
    assert event.detail["starts_on"] == monday.isoformat()
    chart = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/")
    assert "Own weekly hours: 6–9" in chart.content.decode()


def test_the_ledger_uses_the_override_only_in_the_weeks_it_covers(world: World) -> None:
    episode = _episode(world)
    monday = recurrence.iso_week_start(org_today())
    actions.check_set_hours_override(
        world.director, episode, Decimal(6), Decimal(9), "Step-down",
        starts_on=monday, ends_on=monday + timedelta(days=6),
    )  # fmt: skip
    assert week_hours([episode], monday)[episode.pk].min_hours == Decimal(6)
    next_week = monday + timedelta(days=7)
    assert week_hours([episode], next_week)[episode.pk].min_hours == Decimal(9)  # the program's
    earlier = monday - timedelta(days=7)
    assert week_hours([episode], earlier)[episode.pk].min_hours == Decimal(9)


def test_dates_out_of_order_and_a_missing_reason_are_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    response = client_for(world.director).post(
        _url(world),
        {
            "min_hours_per_week": "6",
            "max_hours_per_week": "9",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=3)).isoformat(),
            "reason": "Payer rule",
        },
    )
    assert response.status_code == 400
    assert "on or after the first" in response.content.decode()
    assert not EpisodeHoursOverride.objects.exists()


def test_back_to_the_programs_hours_is_audited(
    world: World, client_for: Callable[[User], Client]
) -> None:
    actions.check_set_hours_override(world.director, _episode(world), Decimal(6), Decimal(9), "X")
    response = client_for(world.director).post(_url(world), {"end": "1"})
    assert response.status_code == 302
    assert not EpisodeHoursOverride.objects.exists()
    assert Event.objects.filter(actor=world.director, action=Action.DELETE).exists()


def test_others_cannot_open_or_change_a_persons_hours(
    world: World, client_for: Callable[[User], Client]
) -> None:
    for persona in (world.front_desk, world.outsider, world.other_clinician):
        before = Event.objects.filter(actor=persona, action=Action.DENY).count()
        response = client_for(persona).post(
            _url(world),
            {"min_hours_per_week": "0", "max_hours_per_week": "1", "reason": "x"},
        )
        assert response.status_code == 404
        assert Event.objects.filter(actor=persona, action=Action.DENY).count() == before + 1
    assert not EpisodeHoursOverride.objects.exists()
