"""The participant list and chart run the same number of queries at any size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.participants.actions import (
    ParticipantDetails,
    do_add_care_team_member,
    do_create_participant,
)
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import ClinicianKind


def add_participants(world: World, count: int) -> None:
    statuses = [EpisodeStatus.ACTIVE, EpisodeStatus.WAITLIST, EpisodeStatus.PLANNED]
    for number in range(count):
        status = statuses[number % len(statuses)]
        participant = do_create_participant(
            None,
            world.organization,
            ParticipantDetails(
                mrn=f"BULK-{number:05d}",
                given_name="Bulk",
                family_name=f"Sampleton{number:05d}",
                date_of_birth=date(1985, 1, 1),
            ),
            program=world.program,
            track=world.evening if number % 2 else world.morning,
            status=status,
            admitted_on=date(2026, 9, 1) if status == EpisodeStatus.ACTIVE else None,
        )
        do_add_care_team_member(
            None,
            participant.episodes.get(),
            world.clinician,
            role=ClinicianKind.THERAPIST,
            is_primary=True,
            start_date=date(2026, 9, 1),
        )


def page_queries(count_queries: CountQueries, client: Client, url: str, **headers: str) -> int:
    with count_queries() as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return queries.count


@pytest.mark.parametrize(
    ("persona", "url", "headers"),
    [
        ("director", "/participants/", {}),
        ("clinician", "/participants/", {}),
        ("front_desk", "/participants/?status=active", {}),
        ("director", "/participants/?q=Sampleton", {"HX-Request": "true", "HX-Target": "results"}),
        ("director", "/participants/?page=2", {}),
    ],
)
def test_participant_list_query_count_does_not_grow_with_participants(
    world: World,
    client_for: Callable[[User], Client],
    count_queries: CountQueries,
    persona: str,
    url: str,
    headers: dict[str, str],
) -> None:
    add_participants(world, 30)
    client = client_for(world.personas[persona])
    small = page_queries(count_queries, client, url, **headers)
    add_participants_more(world, 470)
    large = page_queries(count_queries, client_for(world.personas[persona]), url, **headers)
    assert small == large


def add_participants_more(world: World, count: int) -> None:
    statuses = [EpisodeStatus.ACTIVE, EpisodeStatus.WAITLIST]
    for number in range(count):
        do_create_participant(
            None,
            world.organization,
            ParticipantDetails(
                mrn=f"MORE-{number:05d}",
                given_name="More",
                family_name=f"Sampleton{number:05d}",
                date_of_birth=date(1985, 1, 1),
            ),
            program=world.program,
            track=world.morning,
            status=statuses[number % 2],
            admitted_on=date(2026, 9, 1) if number % 2 == 0 else None,
        )


def test_chart_query_count_does_not_grow_with_participants(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    url = f"/participants/{world.participant.public_id}/"
    add_participants(world, 10)
    small = page_queries(count_queries, client_for(world.clinician), url)
    add_participants(world, 0)
    add_participants_more(world, 490)
    large = page_queries(count_queries, client_for(world.clinician), url)
    assert small == large
