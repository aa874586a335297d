"""The participant list: visible participants only, search as you type, filters, paging."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.listed import listed
from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import EpisodeStatus


def names(client: Client, url: str = "/participants/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_director_sees_everyone_in_their_program_only(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = names(client_for(world.director))
    assert "Quillfeather" in body
    assert "Thistledown" in body
    assert "Brambleworth" not in body


def test_clinician_sees_only_their_care_team(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = names(client_for(world.clinician))
    assert "Quillfeather" in body
    assert "Thistledown" not in body


def test_search_by_name_or_mrn(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.director)
    assert "Quillfeather" in names(client, "/participants/?q=quill")
    assert "Thistledown" not in names(client, "/participants/?q=quill")
    assert "Thistledown" in names(client, "/participants/?q=MRN-1002")
    assert "Quillfeather" in names(client, "/participants/?q=Patricia+Quill")


def test_search_is_recorded_in_the_audit_trail(
    world: World, client_for: Callable[[User], Client]
) -> None:
    names(client_for(world.director), "/participants/?q=quill")
    event = Event.objects.filter(actor=world.director, action=Action.LIST).get()
    assert event.detail["q"] == "quill"
    assert event.detail["results"] == 1
    assert event.participant == world.participant


def test_the_list_leaves_an_event_naming_each_person_shown(
    world: World, client_for: Callable[[User], Client]
) -> None:
    names(client_for(world.director))
    assert listed(world.director, "participants.participant") == {
        world.participant,
        world.other_participant,
    }
    names(client_for(world.clinician))
    assert listed(world.clinician, "participants.participant") == {world.participant}


def test_a_search_that_finds_nobody_is_still_recorded(
    world: World, client_for: Callable[[User], Client]
) -> None:
    names(client_for(world.director), "/participants/?q=nobody-by-this-name")
    event = Event.objects.filter(actor=world.director, action=Action.LIST).get()
    assert (event.participant, event.detail["q"], event.detail["results"]) == (
        None,
        "nobody-by-this-name",
        0,
    )


def test_htmx_search_returns_only_the_results_fragment(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(
        "/participants/?q=thistle", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    assert "Thistledown" in body
    assert "<html" not in body
    assert "<table" in body


def test_filters_by_track_and_status(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.director)
    evening = names(client, f"/participants/?track={world.evening.public_id}")
    assert "Quillfeather" in evening
    assert "Thistledown" not in evening
    waitlist = names(client, f"/participants/?status={EpisodeStatus.WAITLIST}")
    assert "Quillfeather" not in waitlist
    assert "No participants match" in waitlist


def test_bad_filter_values_are_ignored_not_errors(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = names(client_for(world.director), "/participants/?program=nope&status=bogus&page=zz")
    assert "Quillfeather" in body


def test_front_desk_sees_names_but_participant_user_gets_403(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert "Quillfeather" in names(client_for(world.front_desk))
    assert client_for(world.participant_user).get("/participants/").status_code == 403


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().get("/participants/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_participant_sees_their_own_record_with_crisis_line(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    assert client.get("/").status_code == 302
    body = client.get("/me/record/").content.decode()
    assert "Patricia" in body
    assert "988" in body
    staff = client_for(world.director).get("/me/record/")  # the portal is the participant's
    assert (staff.status_code, staff["Location"]) == (302, "/")
