"""A participant asks to change track from the portal (docs/portal.md, "Session actions"):
the request reaches the care team as a task, the team sees it where they change tracks, and
it closes when they change the track, complete the task, or the participant withdraws it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import DischargeReason, Episode, EpisodeStatus
from trellis.transitions.changes import actions
from trellis.transitions.changes.requests import check_request_track_change
from trellis.transitions.models import TrackChangeRequest, TrackRequestStatus
from trellis.worklist.actions import do_complete_task
from trellis.worklist.models import Alert, AlertKind, AlertStatus

Clients = Callable[[User], Client]
PAGE = "/me/schedule/track/"
WITHDRAW = "/me/schedule/track/withdraw/"
REASON = "My new job starts at five, evenings no longer work"


def episode_of(world: World) -> Episode:
    return world.participant.episodes.get()


def ask(client: Client, world: World, **fields: str) -> str:
    data = {
        "track": str(world.morning.public_id),
        "starting_from": (org_today() + timedelta(days=7)).isoformat(),
        "reason": REASON,
    } | fields
    response = client.post(PAGE, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_participant_asks_and_the_primary_therapist_gets_a_task(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    page = client.get(PAGE).content.decode()
    assert "You are on the Evening track" in page
    assert "Morning" in page
    assert 'name="track"' in page

    page = ask(client, world)

    assert "Sent: your team will talk with you about moving to the Morning track." in page
    assert "Your request is with your team" in page
    request = TrackChangeRequest.objects.get()
    assert (request.track, request.starting_from, request.reason) == (
        world.morning, org_today() + timedelta(days=7), REASON
    )  # fmt: skip
    alert = Alert.objects.get(source=f"transitions.track_request:{request.public_id}")
    assert (alert.kind, alert.owner, alert.status) == (
        AlertKind.TASK, world.clinician, AlertStatus.OPEN
    )  # fmt: skip
    assert "Morning" in alert.title
    assert REASON not in alert.title + alert.detail  # their words stay on the request
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM transitions_trackchangerequest")
        (stored,) = cursor.fetchone()
    assert "job" not in stored  # encrypted at rest
    created = Event.objects.get(action=Action.CREATE, object_id=str(request.public_id))
    assert created.participant_id == world.participant.pk
    assert "job" not in str(created.detail)


def test_the_task_shows_the_way_to_the_request_and_the_team_sees_their_words(
    world: World, client_for: Clients
) -> None:
    ask(client_for(world.participant_user), world)
    request = TrackChangeRequest.objects.get()
    assert request.alert is not None
    therapist = client_for(world.clinician)
    task = therapist.get(f"/worklist/{request.alert.public_id}/").content.decode()
    assert f"/participants/{world.participant.public_id}/episode-changes/" in task
    changes = therapist.get(f"/participants/{world.participant.public_id}/episode-changes/")
    page = changes.content.decode()
    assert 'id="track-request"' in page
    assert "asked on" in page
    assert REASON in page
    # The change form is filled in with what they asked for.
    assert f'value="{world.morning.public_id}" selected' in page
    assert (org_today() + timedelta(days=7)).isoformat() in page


def test_changing_the_track_marks_the_request_done_and_closes_the_task(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    ask(client, world)
    actions.check_change_track(
        world.clinician, episode_of(world), world.morning,
        effective_on=org_today() + timedelta(days=7),
    )  # fmt: skip
    request = TrackChangeRequest.objects.get()
    assert request.status == TrackRequestStatus.DONE
    assert request.alert is not None
    request.alert.refresh_from_db()
    assert request.alert.status == AlertStatus.RESOLVED
    page = client.get(PAGE).content.decode()
    assert "your team changed your track" in page
    assert "You are on the Morning track" in page


def test_a_second_request_waits_for_the_first_and_withdrawing_frees_it(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    ask(client, world)
    page = ask(client, world)
    assert "Withdraw that request first" in page
    assert TrackChangeRequest.objects.count() == 1

    response = client.post(WITHDRAW, follow=True)
    assert "Your request is withdrawn" in response.content.decode()
    request = TrackChangeRequest.objects.get()
    assert request.status == TrackRequestStatus.WITHDRAWN
    assert request.alert is not None
    request.alert.refresh_from_db()
    assert request.alert.status == AlertStatus.RESOLVED
    # Withdrawing again: a clear message, nothing changes.
    again = client.post(WITHDRAW, follow=True).content.decode()
    assert "There is no request with your team to withdraw." in again

    ask(client, world)
    assert TrackChangeRequest.objects.filter(status=TrackRequestStatus.OPEN).count() == 1


def test_when_the_team_completes_the_task_the_participant_may_ask_again(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    ask(client, world)
    first = TrackChangeRequest.objects.get()
    assert first.alert is not None
    do_complete_task(world.clinician, first.alert, note="Talked it through: staying on evenings")
    page = client.get(PAGE).content.decode()
    assert "your team has answered it" in page
    ask(client, world, reason="")
    first.refresh_from_db()
    assert first.status == TrackRequestStatus.CLOSED
    assert TrackChangeRequest.objects.filter(status=TrackRequestStatus.OPEN).count() == 1


def test_bad_requests_name_the_field_and_store_nothing(world: World, client_for: Clients) -> None:
    client = client_for(world.participant_user)
    cases = {
        "Choose one of the other tracks of your program listed here.": {
            "track": str(world.evening.public_id)
        },
        "of the other tracks of your program": {"track": str(world.sud_track.public_id)},
        "Choose the track you would like to move to.": {"track": ""},
        "Choose today or a later day.": {
            "starting_from": (org_today() - timedelta(days=1)).isoformat()
        },
        "Choose a day in the next three months.": {
            "starting_from": (org_today() + timedelta(days=120)).isoformat()
        },
        "Enter a date, or leave it empty": {"starting_from": "next week"},
        "at most 500 characters": {"reason": "x" * 501},
    }
    for message, fields in cases.items():
        page = ask(client, world, **fields)
        assert message in page, (message, fields)
    assert not TrackChangeRequest.objects.exists()
    assert not Alert.objects.filter(kind=AlertKind.TASK).exists()


def test_the_action_refuses_the_current_track_and_another_programs(world: World) -> None:
    """The page offers only the program's other tracks; the action holds the line for any
    other caller."""
    for track, message in [
        (world.evening, "You are on that track already"),
        (world.sud_track, "Choose one of your program's tracks."),
    ]:
        with pytest.raises(ValidationError, match=message):
            check_request_track_change(
                world.participant_user, episode_of(world), track, starting_from=None, reason=""
            )
    assert not TrackChangeRequest.objects.exists()


def test_today_in_the_programs_zone_is_a_valid_start(world: World, client_for: Clients) -> None:
    ask(client_for(world.participant_user), world, starting_from=org_today().isoformat())
    assert TrackChangeRequest.objects.get().starting_from == org_today()


def test_no_program_no_track_to_change_and_staff_get_404(world: World, client_for: Clients) -> None:
    for user in (world.clinician, world.front_desk, world.director):
        assert client_for(user).get(PAGE).status_code == 404
        assert client_for(user).post(WITHDRAW).status_code == 404
    Episode.objects.filter(participant=world.participant).update(
        status=EpisodeStatus.DISCHARGED,
        discharged_on=org_today(),
        discharge_reason=DischargeReason.COMPLETED,
    )
    page = client_for(world.participant_user).get(PAGE).content.decode()
    assert "You are not in a program now" in page
    assert 'name="track"' not in page


def test_the_open_request_is_the_one_shown_whatever_the_timestamps(
    world: World, client_for: Clients
) -> None:
    """An older request stamped later (a clock set differently when it was stored) never
    hides the open one: the page and the team see the open one, and a new ask is refused."""
    client = client_for(world.participant_user)
    ask(client, world)
    client.post(WITHDRAW)
    ask(client, world, reason="")
    withdrawn = TrackChangeRequest.objects.get(status=TrackRequestStatus.WITHDRAWN)
    withdrawn.created_at += timedelta(hours=1)
    withdrawn.save()
    assert "Your request is with your team" in client.get(PAGE).content.decode()
    assert "Withdraw that request first" in ask(client, world)
    assert TrackChangeRequest.objects.count() == 2
