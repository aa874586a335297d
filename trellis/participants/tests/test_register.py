"""Registering a participant from the page: good input, bad input, who may do it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import Episode, EpisodeStatus, Participant


def form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "mrn": "MRN-5005",
        "given_name": "Jordan",
        "family_name": "Mockingford",
        "preferred_name": "Jo",
        "pronouns": "she/her",
        "date_of_birth": "1994-02-03",
        "phone": "555-0142",
        "language": "en",
        "program": str(world.program.public_id),
        "track": str(world.evening.public_id),
        "status": EpisodeStatus.ACTIVE,
        "admitted_on": org_today().isoformat(),
    }
    data.update(overrides)
    return data


def test_intake_coordinator_registers_and_enrolls_a_participant(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.intake).post("/participants/new/", form_data(world))
    participant = Participant.objects.get(mrn="MRN-5005")
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{participant.public_id}/"
    episode = Episode.objects.get(participant=participant)
    assert episode.track == world.evening
    assert episode.status == EpisodeStatus.ACTIVE
    assert Event.objects.filter(action=Action.CREATE, participant=participant).count() == 2
    chart = client_for(world.intake).get(response["Location"])
    assert "Jo Mockingford" in chart.content.decode()


def test_registering_without_a_program_keeps_the_person_visible_to_intake(
    world: World, client_for: Callable[[User], Client]
) -> None:
    data = form_data(world, program="", track="", admitted_on="", status=EpisodeStatus.PLANNED)
    response = client_for(world.intake).post("/participants/new/", data)
    assert response.status_code == 302
    participant = Participant.objects.get(mrn="MRN-5005")
    assert not participant.episodes.exists()
    assert client_for(world.intake).get(response["Location"]).status_code == 200
    assert client_for(world.front_desk).get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mrn": "MRN-1001"}, "mrn", "already used"),
        ({"mrn": "mrn-1001"}, "mrn", "already used"),
        ({"date_of_birth": "2031-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "before 1900"),
        ({"date_of_birth": "2001-02-30"}, "date_of_birth", "Enter a valid date"),
        ({"admitted_on": "1990-01-01"}, "admitted_on", "before the date of birth"),
        (
            {"status": EpisodeStatus.ACTIVE, "admitted_on": ""},
            "admitted_on",
            "needs its admission date",
        ),
        ({"program": "3f2c1d9e-0000-4000-8000-000000000000"}, "program", "Select a valid choice"),
        ({"track": "not-a-uuid"}, "track", "Select a valid choice"),
        ({"given_name": ""}, "given_name", "This field is required"),
        ({"state": "Oregon"}, "state", "at most 2 characters"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world: World,
    client_for: Callable[[User], Client],
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = (Participant.objects.count(), Episode.objects.count())
    response = client_for(world.intake).post("/participants/new/", form_data(world, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert (Participant.objects.count(), Episode.objects.count()) == before


def test_track_of_another_program_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).post(
        "/participants/new/", form_data(world, track=str(world.sud_track.public_id))
    )
    # The director of the mental-health program cannot even choose the other program's track.
    assert response.status_code == 422
    assert "track" in response.context["form"].errors
    assert not Participant.objects.filter(mrn="MRN-5005").exists()


def test_admission_far_in_the_future_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    later = (org_today() + timedelta(days=400)).isoformat()
    response = client_for(world.intake).post(
        "/participants/new/", form_data(world, admitted_on=later)
    )
    assert response.status_code == 422
    assert "more than a year away" in response.content.decode()


@pytest.mark.parametrize("persona", ["clinician", "front_desk", "compliance"])
def test_roles_without_registration_get_403(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    client = client_for(world.personas[persona])
    assert client.get("/participants/new/").status_code == 403
    assert client.post("/participants/new/", form_data(world)).status_code == 403
    assert not Participant.objects.filter(mrn="MRN-5005").exists()


def test_outsider_cannot_enroll_into_a_program_they_do_not_run(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert (
        client_for(world.outsider).post("/participants/new/", form_data(world)).status_code == 403
    )


def test_a_refused_registration_puts_focus_on_the_error_summary(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.intake).post("/participants/new/", form_data(world, given_name=""))
    assert response.status_code == 422
    page = response.content.decode()
    # The first (and only) element the browser focuses is the summary, not a field.
    assert page.count("autofocus") == 1
    summary = page[: page.index("autofocus")].rsplit("<", 1)[1]
    assert 'id="form-errors"' in summary
