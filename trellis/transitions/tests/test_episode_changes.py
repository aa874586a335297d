"""Episode changes from the chart: hold and resume with a reason, change of track (rosters
move on the date, history stays), a step to another program (discharge as transferred and a
new episode, all or nothing), who may do them, and what a hold takes a person off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, make_participant, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.meetings.queries import agenda_for
from trellis.participants.models import (
    DischargeReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
)
from trellis.programs.actions import do_create_track
from trellis.programs.models import Delivery
from trellis.scheduling import actions as scheduling
from trellis.scheduling.models import RosterMembership, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll
from trellis.transitions.changes import actions
from trellis.transitions.models import DischargeSummary

Clients = Callable[[User], Client]


def url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/episode-changes/"


def episode_of(world: World) -> Episode:
    return world.participant.episodes.get()


def morning_group(world: World) -> SessionSeries:
    return scheduling.do_create_series(
        world.director,
        world.morning,
        scheduling.SeriesData(
            name="Morning group",
            start_time=time(9, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            dtstart=org_today() - timedelta(days=20),
            capacity=10,
        ),
    )


def test_the_therapist_puts_a_participant_on_hold_with_a_reason_and_resumes_them(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.clinician)
    today = org_today()
    page = client.get(url(world))
    assert page.status_code == 200
    assert "Put on hold" in page.content.decode()

    response = client.post(
        url(world),
        {"change": "hold", "starts_on": today.isoformat(), "reason": "Inpatient stay",
         "expected_return_on": (today + timedelta(days=10)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    episode = episode_of(world)
    assert episode.status == EpisodeStatus.ON_HOLD
    hold = EpisodeStatusChange.objects.filter(episode=episode).latest("recorded_at")
    assert (hold.reason, hold.recorded_by) == ("Inpatient stay", world.clinician)
    assert hold.expected_return_on == today + timedelta(days=10)
    chart = client.get(f"/participants/{world.participant.public_id}/").content.decode()
    assert "On hold since" in chart
    assert "Inpatient stay" in chart
    event = Event.objects.filter(object_id=str(episode.public_id), action=Action.UPDATE).last()
    assert event is not None
    assert "Inpatient" not in str(event.detail)  # the reason is kept encrypted, not in the trail

    response = client.post(url(world), {"change": "resume", "resumes_on": today.isoformat()})
    assert response.status_code == 302
    assert episode_of(world).status == EpisodeStatus.ACTIVE


def test_a_hold_needs_a_reason_and_names_the_field(world: World, client_for: Clients) -> None:
    response = client_for(world.clinician).post(
        url(world), {"change": "hold", "starts_on": org_today().isoformat(), "reason": " "}
    )
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    assert episode_of(world).status == EpisodeStatus.ACTIVE
    with pytest.raises(ValidationError, match="future"):
        actions.check_hold(
            world.clinician, episode_of(world), starts_on=org_today() + timedelta(days=1),
            reason="Travel",
        )  # fmt: skip


@pytest.mark.parametrize(
    "persona", ["other_clinician", "front_desk", "intake", "outsider", "compliance"]
)
def test_people_outside_the_care_team_get_404_and_a_deny_event(
    world: World, client_for: Clients, persona: str
) -> None:
    user = world.personas[persona]
    client = client_for(user)
    assert client.get(url(world)).status_code == 404
    post = {"change": "hold", "starts_on": org_today().isoformat(), "reason": "x"}
    assert client.post(url(world), post).status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).exists()
    assert episode_of(world).status == EpisodeStatus.ACTIVE


def test_the_director_may_change_episodes(world: World, client_for: Clients) -> None:
    assert client_for(world.director).get(url(world)).status_code == 200


def test_a_person_on_hold_is_off_the_team_meeting_agenda_and_back_when_resumed(
    world: World,
) -> None:
    """The persona has no treatment plan: "no signed plan" puts them on every agenda."""
    today = org_today()
    assert episode_of(world).pk in on_agenda_now(world)
    actions.check_hold(world.clinician, episode_of(world), starts_on=today, reason="Travel")
    assert episode_of(world).pk not in {
        e.episode.pk for e in agenda_for(world.program, today=today)
    }
    actions.check_resume(world.clinician, episode_of(world), resumes_on=today)
    assert episode_of(world).pk in {e.episode.pk for e in agenda_for(world.program, today=today)}


def on_agenda_now(world: World) -> set[int]:
    return {e.episode.pk for e in agenda_for(world.program, today=org_today())}


def test_changing_track_moves_rosters_on_the_date_and_keeps_history(world: World) -> None:
    today = org_today()
    evening = daily_group(world, dtstart=today - timedelta(days=20))
    enroll(evening, world.participant, today - timedelta(days=20))
    morning = morning_group(world)
    change_on = today + timedelta(days=3)

    actions.check_change_track(world.clinician, episode_of(world), world.morning,
                               effective_on=change_on)  # fmt: skip

    episode = episode_of(world)
    assert episode.track == world.morning
    old = RosterMembership.objects.get(episode=episode, series=evening)
    assert old.end_date == change_on - timedelta(days=1)  # history stays with the old track
    new = RosterMembership.objects.get(episode=episode, series=morning)
    assert (new.start_date, new.end_date) == (change_on, None)


def test_a_full_track_needs_a_reason_which_is_audited(world: World) -> None:
    small = do_create_track(
        None, world.program, name="Weekend", delivery=Delivery.IN_PERSON, capacity=1
    )
    make_participant(world.organization, "MRN-7001", "Rue", "Fallow", program=world.program,
                     track=small)  # fmt: skip
    with pytest.raises(ValidationError, match="full"):
        actions.check_change_track(world.clinician, episode_of(world), small,
                                   effective_on=org_today())  # fmt: skip
    assert episode_of(world).track == world.evening
    actions.check_change_track(
        world.clinician, episode_of(world), small, effective_on=org_today(),
        override_reason="Step-down priority",
    )  # fmt: skip
    assert episode_of(world).track == small
    details = Event.objects.filter(object_id=str(episode_of(world).public_id)).values_list(
        "detail", flat=True
    )
    assert any(d.get("capacity_override") == "Step-down priority" for d in details)


def test_a_past_track_change_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="today or later"):
        actions.check_change_track(world.clinician, episode_of(world), world.morning,
                                   effective_on=org_today() - timedelta(days=1))  # fmt: skip


def test_stepping_to_another_program_discharges_as_transferred_and_opens_an_episode(
    world: World,
) -> None:
    today = org_today()
    old = episode_of(world)
    summary, new = actions.check_step(
        world.director, old, world.sud_program, on=today, status=EpisodeStatus.ACTIVE,
        track=world.sud_track,
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.status, old.discharge_reason) == (
        EpisodeStatus.DISCHARGED,
        DischargeReason.TRANSFERRED,
    )
    assert (new.program, new.status, new.admitted_on) == (
        world.sud_program,
        EpisodeStatus.ACTIVE,
        today,
    )
    assert summary.episode == old


def test_a_failed_step_leaves_nothing(world: World) -> None:
    """Opening the new episode fails (the person already has one open there): the
    discharge is undone with it."""
    make_participant_in = world.sud_program
    episode = episode_of(world)
    from trellis.participants.actions import do_open_episode

    do_open_episode(None, world.participant, make_participant_in, status=EpisodeStatus.PLANNED)
    with pytest.raises(ValidationError):
        actions.check_step(world.director, episode, world.sud_program, on=org_today(),
                           status=EpisodeStatus.ACTIVE)  # fmt: skip
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ACTIVE
    assert not DischargeSummary.objects.filter(episode=episode).exists()


def test_the_episode_changes_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    client = client_for(world.clinician)
    client.get(url(world))  # the session's first request does its own bookkeeping
    with count_queries() as small:
        client.get(url(world))
    actions.check_hold(world.clinician, episode_of(world), starts_on=org_today(), reason="a")
    actions.check_resume(world.clinician, episode_of(world), resumes_on=org_today())
    for n in range(5):
        make_participant(world.organization, f"MRN-80{n}", "Sam", f"Extra{n}",
                         program=world.program, track=world.morning)  # fmt: skip
    with count_queries() as large:
        client.get(url(world))
    assert small.count == large.count
