"""Reading participants and episodes over the API: each persona sees what the policy allows,
every read is audited, and lists run a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client

from tests.listed import listed
from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.participants.actions import ParticipantDetails, do_create_participant
from trellis.participants.models import EpisodeStatus, Participant

CLINICAL_FIELDS = ("care_team",)


def mrns(response_json: dict[str, object]) -> set[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return {item["mrn"] for item in items}


def test_clinician_lists_only_participants_on_their_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.clinician).get("/api/v1/participants")
    assert response.status_code == 200
    assert mrns(response.json()) == {"MRN-1001"}
    assert response.json()["count"] == 1


def test_director_lists_everyone_in_their_program_but_not_the_substance_use_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.director).get("/api/v1/participants").json()
    assert mrns(body) == {"MRN-1001", "MRN-1002"}


def test_outsider_sees_none_of_the_mental_health_programs_participants(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.outsider).get("/api/v1/participants").json()
    assert mrns(body) == {"MRN-2001"}


def test_compliance_officer_lists_no_participants(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.compliance).get("/api/v1/participants").json()
    assert body["count"] == 0
    assert body["items"] == []


def test_front_desk_list_shows_enrollment_and_no_clinical_fields(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.front_desk).get("/api/v1/participants").json()
    assert mrns(body) == {"MRN-1001", "MRN-1002"}
    for item in body["items"]:
        assert item["current_episode"]["status"] == "active"
        for field in CLINICAL_FIELDS:
            assert field not in item


def test_participant_list_filters_by_text_program_track_and_status(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    assert mrns(client.get("/api/v1/participants?q=thistle").json()) == {"MRN-1002"}
    assert mrns(client.get("/api/v1/participants?q=MRN-1001").json()) == {"MRN-1001"}
    by_track = client.get(f"/api/v1/participants?track={world.evening.public_id}").json()
    assert mrns(by_track) == {"MRN-1001"}
    by_program = client.get(f"/api/v1/participants?program={world.program.public_id}").json()
    assert mrns(by_program) == {"MRN-1001", "MRN-1002"}
    assert client.get("/api/v1/participants?status=waitlist").json()["count"] == 0


def test_filtering_by_a_program_you_cannot_see_finds_nobody(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/participants?program={world.sud_program.public_id}"
    assert client_for(world.director).get(url).json()["count"] == 0


def test_participant_list_pages_with_limit_and_offset(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    first = client.get("/api/v1/participants?limit=1").json()
    second = client.get("/api/v1/participants?limit=1&offset=1").json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["mrn"] != second["items"][0]["mrn"]


def test_bad_list_parameters_get_422_naming_each_parameter(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(
        "/api/v1/participants?limit=1000&program=not-a-uuid&status=gone"
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"limit", "program", "status"}


def test_participant_search_is_audited_naming_each_person_returned(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client_for(world.clinician).get("/api/v1/participants?q=quill")
    event = Event.objects.filter(actor=world.clinician, action=Action.LIST).get()
    assert event.object_type == "participants.participant"
    assert event.detail["q"] == "quill"
    assert event.detail["results"] == 1
    assert event.participant == world.participant
    client_for(world.director).get("/api/v1/participants?limit=1&offset=1")
    assert len(listed(world.director, "participants.participant")) == 1  # the page, not all


def test_episode_list_names_each_person_returned(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client_for(world.director).get("/api/v1/episodes")
    assert listed(world.director, "participants.episode") == {
        world.participant,
        world.other_participant,
    }


def test_primary_clinician_reads_the_participant_with_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/participants/{world.participant.public_id}"
    response = client_for(world.clinician).get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "clinical"
    assert body["display_name"] == "Patricia Quillfeather"
    assert [m["user"]["name"] for m in body["care_team"]] == ["Casey Clinician"]
    assert body["episodes"][0]["track"]["name"] == "Evening"


def test_reading_a_participant_is_audited_as_a_view(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client_for(world.clinician).get(f"/api/v1/participants/{world.participant.public_id}")
    event = Event.objects.filter(actor=world.clinician, action=Action.VIEW).get()
    assert event.participant == world.participant
    assert event.purpose == "TREAT"


def test_front_desk_reads_demographics_and_enrollment_with_clinical_fields_null(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/participants/{world.participant.public_id}"
    body = client_for(world.front_desk).get(url).json()
    assert body["scope"] == "demographic"
    assert body["phone"] == "555-0100"
    assert body["current_episode"]["program"]["name"] == "Adult Mental Health IOP"
    assert body["care_team"] is None
    assert "Casey" not in str(body)


def test_clinician_outside_the_care_team_gets_404_and_a_denial_event(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/participants/{world.participant.public_id}"
    response = client_for(world.other_clinician).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    denial = Event.objects.filter(actor=world.other_clinician, action=Action.DENY).get()
    assert denial.participant == world.participant
    assert denial.outcome == Outcome.DENIED


def test_outsider_gets_the_same_404_as_for_a_participant_that_does_not_exist(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.outsider)
    hidden = client.get(f"/api/v1/participants/{world.participant.public_id}")
    missing = client.get("/api/v1/participants/00000000-0000-0000-0000-000000000000")
    garbage = client.get("/api/v1/participants/12")
    assert hidden.status_code == missing.status_code == garbage.status_code == 404
    assert hidden.content == missing.content == garbage.content
    assert Event.objects.filter(actor=world.outsider, action=Action.DENY).count() == 3


def test_participant_episodes_come_through_the_access_gate(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/participants/{world.participant.public_id}/episodes"
    response = client_for(world.clinician).get(url)
    assert response.status_code == 200
    assert [e["status"] for e in response.json()] == ["active"]
    assert client_for(world.outsider).get(url).status_code == 404


def test_episode_list_shows_only_visible_episodes_filterable_by_program_and_status(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    body = client.get("/api/v1/episodes").json()
    assert {e["participant"]["display_name"] for e in body["items"]} == {
        "Patricia Quillfeather",
        "Rowan Thistledown",
    }
    assert (
        client.get(f"/api/v1/episodes?program={world.sud_program.public_id}").json()["count"] == 0
    )
    assert client.get("/api/v1/episodes?status=active").json()["count"] == 2
    assert client.get("/api/v1/episodes?status=planned").json()["count"] == 0
    event = Event.objects.filter(actor=world.director, action=Action.LIST).first()
    assert event is not None
    assert event.object_type == "participants.episode"


def test_clinician_reads_an_episode_with_its_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    response = client_for(world.clinician).get(f"/api/v1/episodes/{episode.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "clinical"
    assert body["participant"]["public_id"] == str(world.participant.public_id)
    assert body["care_team"][0]["is_primary"] is True
    view = Event.objects.filter(actor=world.clinician, action=Action.VIEW).get()
    assert view.participant == world.participant
    assert view.object_id == str(episode.public_id)


def test_front_desk_reads_an_episode_without_clinical_fields(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    body = client_for(world.front_desk).get(f"/api/v1/episodes/{episode.public_id}").json()
    assert body["scope"] == "demographic"
    assert body["care_team"] is None
    assert body["discharge_reason"] is None


def test_episode_of_another_program_is_404_with_a_denial_event(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.sud_participant.episodes.get()
    response = client_for(world.director).get(f"/api/v1/episodes/{episode.public_id}")
    assert response.status_code == 404
    denial = Event.objects.filter(actor=world.director, action=Action.DENY).get()
    assert denial.object_id == str(episode.public_id)


def _add_participants(world: World, first: int, last: int) -> None:
    for number in range(first, last):
        do_create_participant(
            None,
            world.organization,
            ParticipantDetails(
                mrn=f"BULK-{number:05d}",
                given_name=f"Given{number}",
                family_name=f"Family{number:05d}",
                date_of_birth=date(1980, 1, 1),
            ),
            program=world.program,
            track=world.morning if number % 2 else world.evening,
            status=EpisodeStatus.ACTIVE,
            admitted_on=date(2024, 1, 1),
        )


def _queries_for_list(client: Client, count_queries: CountQueries) -> int:
    # A first request may refresh the session's idle-timeout stamp: not part of the list.
    client.get("/api/v1/participants")
    with count_queries() as queries:
        response = client.get("/api/v1/participants")
    assert response.status_code == 200
    return queries.count


def test_participant_list_runs_the_same_queries_for_10_and_for_500_participants(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    _add_participants(world, 0, 10)
    small = _queries_for_list(client, count_queries)
    _add_participants(world, 10, 500)
    assert Participant.objects.count() == 503
    large = _queries_for_list(client, count_queries)
    assert small == large
