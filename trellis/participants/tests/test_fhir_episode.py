"""Episodes as FHIR EpisodeOfCare: valid R4 (checked with R4B models) in every status, the
clinical elements only for those who see the episode clinically, the same refusals and audit
events as `GET /episodes/{id}`, and a search that runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.episodeofcare import EpisodeOfCare

from tests.personas import World, make_participant, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.participants import fhir
from trellis.participants.actions import do_change_status, do_discharge
from trellis.participants.models import DischargeReason, Episode, EpisodeStatus, Participant

ClientFor = Callable[[User], Client]


def url(episode: Episode) -> str:
    return f"/api/v1/fhir/EpisodeOfCare/{episode.public_id}"


def episode_in(world: World, status: str) -> Episode:
    """An episode of the mental-health program in `status`, reached through the actions."""
    start = {
        EpisodeStatus.CANCELLED: EpisodeStatus.WAITLIST,
        EpisodeStatus.DISCHARGED: EpisodeStatus.ACTIVE,
    }.get(EpisodeStatus(status), status)
    person = make_participant(
        world.organization,
        f"MRN-7{len(status):03d}",
        "Ellis",
        "Fenwick",
        program=world.program,
        track=world.evening,
        status=start,
        team=[(world.clinician, "therapist", True)] if start == EpisodeStatus.ACTIVE else [],
    )
    episode = person.episodes.get()
    today = org_today()
    if status == EpisodeStatus.CANCELLED:
        do_change_status(None, episode, status=status, effective_on=today)
    elif status == EpisodeStatus.DISCHARGED:
        do_discharge(None, episode, discharged_on=today, reason=DischargeReason.TRANSFERRED)
    episode.refresh_from_db()
    return episode


@pytest.mark.parametrize("status", EpisodeStatus.values)
def test_every_status_is_a_valid_episode_of_care(
    world: World, client_for: ClientFor, status: str
) -> None:
    episode = episode_in(world, status)
    response = client_for(world.director).get(url(episode))
    assert response.status_code == 200, response.content
    body = response.json()
    EpisodeOfCare.model_validate(body)
    assert body["status"] == fhir.STATUS[status]
    assert body["statusHistory"][-1]["status"] == fhir.STATUS[status]
    assert body["patient"]["reference"] == f"Patient/{episode.participant.public_id}"
    assert body["managingOrganization"]["reference"] == (
        f"Organization/{world.organization.public_id}"
    )
    assert body["type"][0]["coding"][0] == {
        "system": fhir.LEVEL_OF_CARE,
        "code": "ASAM3:2.1",
        "display": world.program.level_of_care_label,
    }


def test_the_status_map_covers_every_status() -> None:
    assert set(fhir.STATUS) == set(EpisodeStatus.values)
    assert fhir.STATUS["on_hold"] == "onhold"
    assert fhir.STATUS["discharged"] == "finished"
    assert fhir.STATUS["cancelled"] == "cancelled"


def test_a_finished_episode_has_its_period_history_reason_and_last_care_team(
    world: World, client_for: ClientFor
) -> None:
    episode = episode_in(world, EpisodeStatus.DISCHARGED)
    body = client_for(world.director).get(url(episode)).json()
    assert body["period"] == {
        "start": episode.admitted_on.isoformat() if episode.admitted_on else None,
        "end": org_today().isoformat(),
    }
    assert [entry["status"] for entry in body["statusHistory"]] == ["active", "finished"]
    assert body["statusHistory"][0]["period"]["end"] == org_today().isoformat()
    assert "end" not in body["statusHistory"][-1]["period"]
    assert body["extension"] == [
        {
            "url": fhir.DISCHARGE_REASON_URL,
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": fhir.DISCHARGE_REASON_SYSTEM,
                        "code": "transferred",
                        "display": "Transferred to further treatment",
                    }
                ],
                "text": "Transferred to further treatment",
            },
        }
    ]
    # The care team ended on the discharge date; the episode still names who cared.
    assert body["careManager"] == {
        "reference": f"Practitioner/{world.clinician.public_id}",
        "display": world.clinician.name,
    }
    assert body["team"] == [{"reference": "#care-team"}]
    (team,) = body["contained"]
    assert team["resourceType"] == "CareTeam"
    assert team["status"] == "inactive"


def test_a_planned_episode_has_no_period(world: World, client_for: ClientFor) -> None:
    episode = episode_in(world, EpisodeStatus.PLANNED)
    body = client_for(world.director).get(url(episode)).json()
    assert "period" not in body
    assert "careManager" not in body


def test_front_desk_gets_the_enrollment_without_clinical_elements(
    world: World, client_for: ClientFor
) -> None:
    episode = world.participant.episodes.get()
    body = client_for(world.front_desk).get(url(episode)).json()
    EpisodeOfCare.model_validate(body)
    assert body["status"] == "active"
    for element in ("careManager", "team", "contained", "extension"):
        assert element not in body
    assert body["meta"]["security"][0]["code"] == "REDACTED"


def test_the_care_teams_clinician_sees_the_care_manager(
    world: World, client_for: ClientFor
) -> None:
    episode = world.participant.episodes.get()
    body = client_for(world.clinician).get(url(episode)).json()
    assert body["careManager"]["reference"] == f"Practitioner/{world.clinician.public_id}"
    assert "meta" not in body
    event = Event.objects.filter(actor=world.clinician, action=Action.VIEW).latest("pk")
    assert event.participant_id == world.participant.pk
    assert event.outcome == Outcome.SUCCESS


@pytest.mark.parametrize("persona", ["other_clinician", "outsider", "compliance"])
def test_people_who_may_not_see_the_episode_get_404_and_a_denial(
    world: World, client_for: ClientFor, persona: str
) -> None:
    user = getattr(world, persona)
    response = client_for(user).get(url(world.participant.episodes.get()))
    assert response.status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 1


def test_the_participant_is_refused_by_the_staff_only_api(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.participant_user).get(url(world.participant.episodes.get()))
    assert response.status_code == 403


def test_a_part_2_episode_stays_private_from_the_mental_health_director(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.director).get(url(world.sud_participant.episodes.get()))
    assert response.status_code == 404


def search(client: Client, query: str = "") -> Any:
    response = client.get(f"/api/v1/fhir/EpisodeOfCare{query}")
    assert response.status_code == 200, response.content
    Bundle.model_validate(response.json())
    return response.json()


def test_search_lists_visible_episodes_without_clinical_elements(
    world: World, client_for: ClientFor
) -> None:
    body = search(client_for(world.director))
    assert body["type"] == "searchset"
    assert body["total"] == 2
    patients = {e["resource"]["patient"]["reference"] for e in body["entry"]}
    assert patients == {
        f"Patient/{world.participant.public_id}",
        f"Patient/{world.other_participant.public_id}",
    }
    for entry in body["entry"]:
        assert "careManager" not in entry["resource"]
        assert entry["fullUrl"].startswith("http://testserver/api/v1/fhir/EpisodeOfCare/")
    event = Event.objects.filter(actor=world.director, action=Action.LIST).latest("pk")
    assert event.detail["via"] == "fhir"


def test_search_by_patient_shows_clinical_elements_to_the_care_team(
    world: World, client_for: ClientFor
) -> None:
    body = search(client_for(world.clinician), f"?patient={world.participant.public_id}")
    (entry,) = body["entry"]
    assert entry["resource"]["careManager"]["display"] == world.clinician.name


def test_search_by_status_uses_fhir_codes(world: World, client_for: ClientFor) -> None:
    episode_in(world, EpisodeStatus.ON_HOLD)
    client = client_for(world.director)
    body = search(client, "?status=onhold")
    assert [e["resource"]["status"] for e in body["entry"]] == ["onhold"]
    assert client.get("/api/v1/fhir/EpisodeOfCare?status=on_hold").status_code == 422


def test_search_by_a_patient_you_may_not_see_is_404(world: World, client_for: ClientFor) -> None:
    client = client_for(world.other_clinician)
    response = client.get(f"/api/v1/fhir/EpisodeOfCare?patient={world.participant.public_id}")
    assert response.status_code == 404


def _add_people(world: World, n: int, start: int) -> list[Participant]:
    return [
        make_participant(
            world.organization,
            f"MRN-8{start + i:03d}",
            "Quinn",
            f"Ashby{start + i}",
            program=world.program,
            track=world.morning,
            team=[(world.clinician, "therapist", True)],
        )
        for i in range(n)
    ]


def test_search_runs_a_fixed_number_of_queries(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    _add_people(world, 2, 0)
    search(client)  # the session and caches warm up on the first request
    with count_queries() as small:
        search(client)
    _add_people(world, 8, 10)
    for person in _add_people(world, 3, 30):
        do_discharge(
            None,
            person.episodes.get(),
            discharged_on=org_today() - timedelta(days=1),
            reason=DischargeReason.COMPLETED,
        )
    with count_queries() as large:
        assert search(client)["total"] == 15
    assert len(large) == len(small)
