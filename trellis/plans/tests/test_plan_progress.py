from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

import pytest
from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.participants.models import Episode
from trellis.plans import content as c
from trellis.plans import plugins, progress
from trellis.plans.tests.factory import signed_plan


@pytest.fixture
def fake_providers() -> Iterator[list[str]]:
    calls: list[str] = []

    def measure(episode: Episode, objectives: Sequence[c.Objective]) -> dict[str, progress.Reading]:
        calls.append(f"measure:{len(objectives)}")
        return {
            o.key: progress.Reading(7.0, date(2026, 3, 1), "GAD-7, 4 check-ins") for o in objectives
        }

    def attendance(
        episode: Episode, objectives: Sequence[c.Objective]
    ) -> dict[str, progress.Reading]:
        calls.append("attendance")
        return {o.key: progress.Reading(75.0) for o in objectives}

    progress.register_provider("measure", measure)
    progress.register_provider("attendance", attendance)
    yield calls
    # Put the real providers back (PlansConfig.ready() registered them) for later tests.
    plugins.register()


def test_objective_progress_comes_from_the_registered_providers(
    world: World, fake_providers: list[str]
) -> None:
    episode = world.participant.episodes.get()
    version = signed_plan(world.clinician, episode, PASSWORD)
    document = c.load(version.content)
    result = progress.progress_for(episode, document.objectives)
    gad, attendance, custom = document.objectives
    assert (result[gad.key].value, result[gad.key].met) == (7.0, True)  # below 10
    assert (result[attendance.key].value, result[attendance.key].met) == (75.0, False)  # < 90
    assert (result[custom.key].value, result[custom.key].source) == (40.0, "clinician")
    assert fake_providers == ["measure:1", "attendance"]  # one call per kind


def test_the_plan_tab_shows_the_latest_value(
    world: World, fake_providers: list[str], client_for: Callable[[User], Client]
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    body = (
        client_for(world.clinician)
        .get(f"/participants/{world.participant.public_id}/plan/")
        .content.decode()
    )
    assert "latest 7" in body
    assert "target met" in body
    assert "I want to get back to work without panicking" in body


def test_without_a_provider_progress_is_simply_unknown(world: World) -> None:
    episode = world.participant.episodes.get()
    document = c.load(signed_plan(world.clinician, episode, PASSWORD).content)
    result = progress.progress_for(episode, document.objectives)
    assert result[document.objectives[0].key].value is None
    assert result[document.objectives[0].key].met is None


def test_a_failing_provider_does_not_break_the_plan(world: World) -> None:
    def broken(episode: Episode, objectives: Sequence[c.Objective]) -> dict[str, progress.Reading]:
        raise RuntimeError("boom")

    progress.register_provider("measure", broken)
    try:
        episode = world.participant.episodes.get()
        document = c.load(signed_plan(world.clinician, episode, PASSWORD).content)
        assert (
            progress.progress_for(episode, document.objectives)[document.objectives[0].key].value
            is None
        )
    finally:
        plugins.register()


def test_comparators() -> None:
    assert progress.meets(9, c.Comparator.LT, 10) is True
    assert progress.meets(10, c.Comparator.LT, 10) is False
    assert progress.meets(10, c.Comparator.LE, 10) is True
    assert progress.meets(10, c.Comparator.GE, 10) is True
    assert progress.meets(10, c.Comparator.GT, 10) is False
    assert progress.meets(10, None, 10) is None
