"""One open check-in per instrument and due window: schedules, sweeps, the demo's history
and staff starting a check-in by hand never offer the same questionnaire twice, and a
completed check-in closes any duplicate still open for the same window."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.measures.actions import (
    check_submit_response,
    do_create_administration,
    do_record_past_response,
    do_schedule_checkins,
)
from trellis.measures.models import Administration, AdministrationStatus, Channel
from trellis.measures.queries import open_in_window
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for, open_checkin
from trellis.participants.models import Episode


def _episode(world: World) -> Episode:
    return world.participant.episodes.select_related("program__organization").get()


def _open(world: World, code: str) -> list[Administration]:
    return list(
        Administration.objects.filter(
            participant=world.participant, instrument_code=code, status__in=["due", "in_progress"]
        )
    )


def _legacy_administration(episode: Episode, code: str, due_days_ago: int, window: int) -> Any:
    """An open check-in written straight to the table, as older releases could leave them."""
    organization = episode.program.organization
    due = org_today() - timedelta(days=due_days_ago)
    available = datetime.combine(due, time.min, tzinfo=organization.tz)
    return Administration.objects.create(
        episode=episode,
        participant_id=episode.participant_id,
        instrument_code=code,
        instrument_version=get_instrument(code).version,
        due_on=due,
        available_from=available,
        expires_at=available + timedelta(days=window),
    )


def test_the_database_refuses_a_second_open_checkin_for_the_same_instrument_and_date(
    world: World,
) -> None:
    episode = _episode(world)
    _legacy_administration(episode, "PHQ-9", 0, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        _legacy_administration(episode, "PHQ-9", 0, 7)
    _legacy_administration(episode, "GAD-7", 0, 3)  # another instrument is another check-in


def test_starting_the_same_checkin_twice_gives_the_one_already_open(world: World) -> None:
    first = open_checkin(world.participant, "PHQ-9")
    again = open_checkin(world.participant, "PHQ-9")
    assert again.pk == first.pk
    # An admission check-in (open a week) covers a weekly one due inside its window.
    later = do_create_administration(
        None, _episode(world), "PHQ-9", due_on=org_today() + timedelta(days=1), window_days=3
    )
    assert later.pk == first.pk
    assert len(_open(world, "PHQ-9")) == 1


def test_staff_starting_a_checkin_twice_leave_one_open(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    url = f"/participants/{world.participant.public_id}/measures/start/"
    client.post(url, {"instrument": "PHQ-9"})
    page = client.post(url, {"instrument": "PHQ-9"}, follow=True)
    assert len(_open(world, "PHQ-9")) == 1
    assert "already open" in page.content.decode()


def test_the_sweep_does_not_reopen_a_checkin_the_demo_history_already_completed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = _episode(world)
    today = org_today()
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7)
    at = datetime.combine(tuesday, time(0, 30), tzinfo=episode.program.organization.tz)
    at = min(at, timezone.now() - timedelta(minutes=5))
    for code in ("PHQ-9", "GAD-7"):
        answers = answers_for(get_instrument(code), 5)
        do_record_past_response(None, episode, code, answers, submitted_at=at)
    do_schedule_checkins(tuesday)
    assert _open(world, "PHQ-9") == []
    assert _open(world, "GAD-7") == []
    page = client_for(world.participant_user).get("/me/check-ins/").content.decode()
    assert "Nothing to fill in right now" in page


def test_completing_a_checkin_closes_the_duplicate_open_for_the_same_window(
    world: World,
) -> None:
    episode = _episode(world)
    admission = _legacy_administration(episode, "PHQ-9", 2, 7)
    weekly = _legacy_administration(episode, "PHQ-9", 1, 3)
    other = _legacy_administration(episode, "GAD-7", 1, 3)
    check_submit_response(
        None, weekly, answers_for(get_instrument("PHQ-9"), 6), channel=Channel.PORTAL
    )
    admission.refresh_from_db()
    other.refresh_from_db()
    assert admission.status == AdministrationStatus.CANCELLED
    assert other.status == AdministrationStatus.DUE
    assert Event.objects.filter(
        object_id=str(admission.public_id), detail__superseded_by__isnull=False
    ).exists()


def test_the_migration_closes_duplicates_and_the_chart_shows_one_row_per_date(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = _episode(world)
    answers = answers_for(get_instrument("PHQ-9"), 9)
    done = do_record_past_response(
        None, episode, "PHQ-9", answers, submitted_at=timezone.now() - timedelta(minutes=5)
    )
    assert done.administration is not None
    stale = Administration.objects.create(
        episode=episode,
        participant_id=episode.participant_id,
        instrument_code="PHQ-9",
        instrument_version=done.instrument_version,
        due_on=done.administration.due_on,
        available_from=done.administration.available_from,
        expires_at=done.administration.available_from + timedelta(days=3),
    )
    migration = importlib.import_module(
        "trellis.measures.migrations.0004_one_open_checkin_per_instrument_and_date"
    )
    migration.close_duplicate_checkins(apps, None)
    stale.refresh_from_db()
    assert stale.status == AdministrationStatus.CANCELLED
    page = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/measures/")
    rows = page.content.decode().split('id="admins-title"')[1]
    assert rows.count("<td>PHQ-9") == 1


def test_a_creation_that_loses_the_race_returns_the_winner(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellis.measures.actions import checkins

    winner = open_checkin(world.participant, "PHQ-9")
    real = open_in_window
    calls: list[int] = []

    def blind_first(*args: Any) -> Administration | None:
        calls.append(1)  # the first look misses the row a concurrent request just wrote
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr("trellis.measures.actions.checkins.open_in_window", blind_first)
    again, made = checkins.do_get_or_create_administration(
        None, _episode(world), "PHQ-9", due_on=org_today()
    )
    assert (again.pk, made) == (winner.pk, False)
    assert len(_open(world, "PHQ-9")) == 1
