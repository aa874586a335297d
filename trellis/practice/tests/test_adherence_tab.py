"""The Practice tab, the "practice" plan-objective provider and the agenda rule, with data
made through the real actions (tests/adherence_data.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.meetings.models import AgendaRule
from trellis.meetings.queries import agenda_for
from trellis.plans import content as c
from trellis.plans import progress
from trellis.practice.models.assignments import AssignmentStatus, Frequency
from trellis.practice.queries.adherence import idle_episodes, program_adherence, this_week
from trellis.practice.tests.adherence_data import assign, log, weeks_of_practice

Clients = Callable[[User], Client]


def url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/practice/"


def practice_objective() -> c.Objective:
    return c.Objective(
        description="Use an interpersonal skill 3 times a week",
        kind=c.ObjectiveKind.PRACTICE,
        comparator=c.Comparator.GE,
        target=100,
    )


def test_practice_objective_shows_2_of_3_this_week(world: World) -> None:
    episode = world.participant.episodes.get()
    objective = practice_objective()
    assert progress.progress_for(episode, [objective])[objective.key].value is None  # no data
    today = org_today()
    monday = today - timedelta(days=today.weekday())
    week = assign(episode, monday, monday + timedelta(days=6), times=3)
    log(week, monday)
    log(week, monday)  # the same day counts once
    log(week, monday + timedelta(days=1) if today > monday else monday + timedelta(days=2))
    result = progress.progress_for(episode, [objective])[objective.key]
    assert (result.value, result.met, result.source) == (66.7, False, "practice")
    assert result.detail == "2 of 3 this week"
    assert this_week(episode, today).label == "2 of 3"


def test_excused_and_other_weeks_do_not_count_this_week(world: World) -> None:
    episode = world.participant.episodes.get()
    today = org_today()
    monday = today - timedelta(days=today.weekday())
    old = assign(episode, monday - timedelta(weeks=2), monday - timedelta(weeks=1, days=1))
    log(old, monday - timedelta(weeks=2))
    assign(episode, monday, monday + timedelta(days=6), status=AssignmentStatus.EXCUSED)
    assert this_week(episode, today).percent is None
    assign(episode, monday, monday + timedelta(days=6), frequency=Frequency.DAILY)
    assert this_week(episode, today).label == "0 of 7"


def test_tab_shows_assignments_entries_and_adherence(world: World, client_for: Clients) -> None:
    episode = world.participant.episodes.get()
    today = org_today()
    weeks_of_practice(episode, today, 2)
    open_one = assign(episode, today, today + timedelta(days=3), title="Log one DEAR MAN")
    log(open_one, today, rating=8)
    response = client_for(world.clinician).get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log one DEAR MAN" in page
    assert "1 of 1" in page
    assert "Streak: <strong>1 day</strong>" in page
    assert '<svg class="adherence-chart"' in page
    assert "Asking for what you need" in page  # the per-skill rollup
    assert "Asked my sister" not in page  # the participant's words stay in the entry


@pytest.mark.parametrize("persona", ["front_desk", "outsider", "other_clinician", "participant"])
def test_tab_is_hidden_from_people_outside_the_care_team(
    world: World, client_for: Clients, persona: str
) -> None:
    episode = world.participant.episodes.get()
    assign(episode, org_today(), org_today(), title="Secret practice title")
    response = client_for(world.personas[persona]).get(url(world))
    assert response.status_code in (302, 403, 404)
    assert b"Secret practice title" not in response.content


def _diary_cards(world: World, first_day_ago: int, last_day_ago: int) -> None:
    from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard

    episode = world.participant.episodes.get()
    DiaryCard.objects.bulk_create(
        DiaryCard(
            participant=world.participant,
            episode=episode,
            card_on=org_today() - timedelta(days=n),
            values={"sadness": n % 6, "self_harm_urge": n % 4},
            note="a note" if n % 3 else "",
            rows=DEFAULT_ROWS,
        )
        for n in range(first_day_ago, last_day_ago)
    )


def test_tab_queries_do_not_grow_with_history(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    """4 weeks of practice and diary cards, then 52: the same queries (the tab's own reads,
    the diary week and the safety summary included)."""
    from trellis.practice.actions.diary import do_configure_diary

    do_configure_diary(None, world.program)
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    today = org_today()
    weeks_of_practice(episode, today, 4)
    assign(episode, today, today + timedelta(days=3), title="Open one")
    _diary_cards(world, 0, 28)
    client.get(url(world))  # warm the session and caches
    with count_queries() as small:
        response = client.get(url(world))
    assert response.status_code == 200
    assert "Open one" in response.content.decode()
    assert response.context["diary"]["cards_in_week"] > 0
    weeks_of_practice(episode, today - timedelta(weeks=4), 48)
    _diary_cards(world, 28, 365)
    with count_queries() as large:
        assert client.get(url(world)).status_code == 200
    assert small.count == large.count


def test_the_tabs_own_reads_are_a_few_fixed_queries(
    world: World, count_queries: CountQueries
) -> None:
    """practice_tab: assignments and entries; the diary week: its configuration, the tracks
    that use it and the week's cards; the safety summary: versions and the last report."""
    from trellis.audit.models import Purpose
    from trellis.practice.actions.diary import do_configure_diary
    from trellis.practice.queries.adherence import practice_tab
    from trellis.practice.queries.diary import chart_diary_week
    from trellis.practice.queries.safety import safety_plan_summary
    from trellis.privacy.access import Scope, access_participant

    do_configure_diary(None, world.program)
    episode = world.participant.episodes.get()
    weeks_of_practice(episode, org_today(), 52)
    _diary_cards(world, 0, 365)
    access = access_participant(
        world.clinician,
        str(world.participant.public_id),
        purpose=Purpose.TREAT,
        minimum=Scope.CLINICAL,
    )
    current = access.current_episode
    assert current is not None
    with count_queries() as tab:
        context = practice_tab(access)
    with count_queries() as diary:
        week = chart_diary_week(access, current)
    with count_queries() as safety:
        safety_plan_summary(access, current)
    assert (tab.count, diary.count, safety.count) == (2, 3, 2)
    assert context["overall"].assigned == 52
    assert week is not None
    assert week["cards_in_week"] >= 1


def test_program_adherence_queries_do_not_grow(world: World, count_queries: CountQueries) -> None:
    episode = world.participant.episodes.get()
    other = world.other_participant.episodes.get()
    today = org_today()
    weeks_of_practice(episode, today, 2)
    with count_queries() as small:
        before = program_adherence([episode.pk, other.pk], today)
    weeks_of_practice(other, today, 20)
    with count_queries() as large:
        after = program_adherence([episode.pk, other.pk], today)
    assert small.count == large.count == 2
    assert before[episode.pk].label == "4 of 6"
    assert after[other.pk].label == "40 of 60"


def test_agenda_rule_no_practice_in_7_days_while_assigned(world: World) -> None:
    episode = world.participant.episodes.get()
    today = org_today()

    def flagged() -> list[str]:
        return [
            e.reason
            for e in agenda_for(world.program, today=today)
            if e.rule == AgendaRule.NO_PRACTICE and e.episode.pk == episode.pk
        ]

    recent = assign(episode, today - timedelta(days=3), today + timedelta(days=3))
    assert flagged() == []  # assigned 3 days ago: not 7 days yet
    long_running = assign(
        episode, today - timedelta(days=10), today + timedelta(days=4), frequency=Frequency.DAILY
    )
    [reason] = flagged()
    assert reason == "No practice logged in 7 days while assigned (nothing logged yet)"
    log(long_running, today - timedelta(days=8))
    [reason] = flagged()
    assert "last practice" in reason
    log(recent, today - timedelta(days=1))
    assert flagged() == []
    assert idle_episodes([episode.pk], today) == {}


def test_api_adherence_for_the_care_team(world: World, client_for: Clients) -> None:
    episode = world.participant.episodes.get()
    today = org_today()
    weeks_of_practice(episode, today, 2)
    api = f"/api/v1/practice/participants/{world.participant.public_id}/adherence"
    response = client_for(world.clinician).get(api)
    assert response.status_code == 200
    body = response.json()
    assert (body["overall"]["done"], body["overall"]["required"]) == (4, 6)
    assert body["overall"]["percent"] == 66.7
    assert body["this_week"]["percent"] is None  # nothing assigned this week: no data
    assert [s["skill"] for s in body["per_skill"]] == ["Asking for what you need"]
    for persona in ("front_desk", "outsider", "other_clinician", "participant"):
        denied = client_for(world.personas[persona]).get(api)
        assert denied.status_code in (401, 403, 404), persona
        assert b"overall" not in denied.content
