from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.notes.tests.factory import signed_note


def tab_queries(client: Client, world: World, count_queries: CountQueries) -> int:
    with count_queries() as captured:
        response = client.get(f"/participants/{world.participant.public_id}/notes/")
    assert response.status_code == 200
    return captured.count


def test_the_notes_tab_runs_the_same_queries_for_few_and_many_notes(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    for days in range(3):
        signed_note(
            world.clinician,
            episode,
            PASSWORD,
            start=timezone.now() - timedelta(days=days + 1, hours=3),
        )
    tab_queries(client, world, count_queries)  # warm up: the first request of a session writes it
    few = tab_queries(client, world, count_queries)
    for days in range(3, 70):
        signed_note(
            world.director,
            episode,
            PASSWORD,
            start=timezone.now() - timedelta(days=days + 1, hours=3),
        )
    many = tab_queries(client, world, count_queries)
    assert few == many


def test_the_plan_tab_runs_the_same_queries_with_and_without_versions(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    from trellis.plans import actions
    from trellis.plans.tests.factory import signed_plan

    episode = world.participant.episodes.get()
    client = client_for(world.clinician)
    signed_plan(world.clinician, episode, PASSWORD)
    url = f"/participants/{world.participant.public_id}/plan/"
    client.get(url)  # warm up: the first request of a session writes it
    with count_queries() as one:
        client.get(url)
    for _ in range(4):
        draft = actions.check_start_plan(world.clinician, episode)
        actions.check_sign_plan(
            world.clinician,
            draft,
            typed_name="Casey Clinician",
            password=PASSWORD,
            revision=draft.revision,
        )
    with count_queries() as five:
        client.get(url)
    assert one.count == five.count
