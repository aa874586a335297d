"""Discharge and the discharge summary over the API: the same people as the page, the same
refusals as 422 naming the field, one transaction, audit events; the summary read back."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, get_args

import pytest
from django.test import Client

from tests.personas import World, make_participant, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.meetings.tests.factory import alert
from trellis.participants.models import (
    CareTeamMember,
    DischargeReason,
    Episode,
    EpisodeStatus,
    Participant,
)
from trellis.scheduling.models import RosterMembership
from trellis.scheduling.tests.factory import daily_group, enroll
from trellis.transitions.models import DischargeSummary, StepDownLevel
from trellis.transitions.queries import assemble
from trellis.transitions.schemas import DischargeReasonName, StepDownName
from trellis.worklist.models import Alert, AlertKind, AlertStatus, Priority

from .factory import discharge, signed_summary

ClientFor = Callable[[User], Client]


def url(participant: Participant) -> str:
    return f"/api/v1/episodes/{participant.episodes.get().public_id}/discharge"


def post(client: Client, participant: Participant, payload: dict[str, Any]) -> Any:
    return client.post(url(participant), data=json.dumps(payload), content_type="application/json")


def fields_in(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def snapshot(participant: Participant) -> tuple[Any, ...]:
    """Everything a discharge writes, to show that a refusal wrote none of it."""
    episode = participant.episodes.get()
    return (
        episode.status,
        episode.discharged_on,
        episode.discharge_reason,
        episode.status_changes.count(),
        list(CareTeamMember.objects.filter(episode=episode).values_list("end_date", flat=True)),
        list(RosterMembership.objects.filter(episode=episode).values_list("end_date", flat=True)),
        list(Alert.objects.filter(episode=episode).values_list("status", "owner_id")),
        DischargeSummary.objects.count(),
        # The access gate records the attempt (an UPDATE of the episode for TREAT); the
        # writes' own events are what must not appear.
        Event.objects.filter(action__in=[Action.CREATE, Action.UPDATE])
        .exclude(object_type="participants.episode", purpose=Purpose.TREAT)
        .count(),
    )


def test_the_literals_match_the_choices() -> None:
    assert set(get_args(DischargeReasonName)) == set(DischargeReason.values)
    assert set(get_args(StepDownName)) == set(StepDownLevel.values)


def test_the_therapist_discharges_over_the_api_in_one_go(
    world: World, client_for: ClientFor
) -> None:
    group = daily_group(world)
    enroll(group, world.participant, org_today() - timedelta(days=14))
    task = alert(world.participant, AlertKind.TASK, Priority.NORMAL)
    risk = alert(world.participant, AlertKind.CRITICAL_ITEM, Priority.URGENT)
    response = post(
        client_for(world.clinician),
        world.participant,
        {
            "reason": "completed",
            "discharged_on": org_today().isoformat(),
            "decisions": [
                {"item": str(task.public_id), "decision": "close"},
                {
                    "item": str(risk.public_id),
                    "decision": "hand_to",
                    "owner": str(world.director.public_id),
                },
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    episode = world.participant.episodes.get()
    assert episode.status == EpisodeStatus.DISCHARGED
    assert episode.discharge_reason == DischargeReason.COMPLETED
    assert not RosterMembership.objects.filter(episode=episode, end_date__isnull=True).exists()
    assert not CareTeamMember.objects.filter(episode=episode, end_date__isnull=True).exists()
    task.refresh_from_db()
    risk.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED
    assert risk.is_open
    assert risk.owner == world.director
    summary = DischargeSummary.objects.get()
    assert body["public_id"] == str(summary.public_id)
    assert body["status"] == "draft"
    assert body["figures"]["discharged_on"] == org_today().isoformat()
    assert body["figures"]["reason"] == "completed"
    assert {m["field"] for m in body["missing_for_signing"]} == {"narrative", "step_down_level"}
    assert body["aftercare"]["crisis_steps"].startswith("If you are in danger")
    assert Event.objects.filter(
        actor=world.clinician, action=Action.CREATE, object_id=str(summary.public_id)
    ).exists()
    assert Event.objects.filter(
        actor=world.clinician, action=Action.UPDATE, object_id=str(episode.public_id)
    ).exists()


def test_dropped_out_without_a_date_uses_the_last_attended_session(
    world: World, client_for: ClientFor
) -> None:
    from trellis.scheduling import actions as scheduling
    from trellis.scheduling.tests.factory import slot

    group = daily_group(world)
    enroll(group, world.participant, org_today() - timedelta(days=14))
    last = org_today() - timedelta(days=5)
    scheduling.do_record_attendance(
        None, slot(group, last), world.participant.episodes.get(), scheduling.Mark("present")
    )
    response = post(client_for(world.director), world.participant, {"reason": "dropped_out"})
    assert response.status_code == 201, response.content
    assert world.participant.episodes.get().discharged_on == last


def test_a_discharge_before_admission_is_refused_and_nothing_is_written(
    world: World, client_for: ClientFor
) -> None:
    admitted = world.participant.episodes.get().admitted_on
    assert admitted is not None
    before = snapshot(world.participant)
    response = post(
        client_for(world.clinician),
        world.participant,
        {"reason": "other", "discharged_on": (admitted - timedelta(days=1)).isoformat()},
    )
    assert "before admission" in fields_in(response)["discharged_on"]
    assert snapshot(world.participant) == before


def test_a_future_date_for_completed_is_refused(world: World, client_for: ClientFor) -> None:
    before = snapshot(world.participant)
    response = post(
        client_for(world.clinician),
        world.participant,
        {"reason": "completed", "discharged_on": (org_today() + timedelta(days=1)).isoformat()},
    )
    assert "cannot be dated in the future" in fields_in(response)["discharged_on"]
    assert snapshot(world.participant) == before


def test_an_episode_never_admitted_cannot_be_discharged(
    world: World, client_for: ClientFor
) -> None:
    planned = make_participant(
        world.organization,
        "MRN-6001",
        "Noor",
        "Pellam",
        program=world.program,
        status=EpisodeStatus.PLANNED,
    )
    response = post(
        client_for(world.director),
        planned,
        {"reason": "other", "discharged_on": org_today().isoformat()},
    )
    assert "no admission date" in fields_in(response)["discharged_on"]
    assert planned.episodes.get().status == EpisodeStatus.PLANNED


def test_an_episode_closed_before_admission_is_not_discharged(
    world: World, client_for: ClientFor
) -> None:
    from trellis.participants.actions import do_change_status

    waiting = make_participant(
        world.organization,
        "MRN-6002",
        "Ira",
        "Dunmore",
        program=world.program,
        status=EpisodeStatus.WAITLIST,
    )
    do_change_status(
        None, waiting.episodes.get(), status=EpisodeStatus.CANCELLED, effective_on=org_today()
    )
    response = post(
        client_for(world.director),
        waiting,
        {"reason": "other", "discharged_on": org_today().isoformat()},
    )
    assert "closed before admission" in fields_in(response)["status"]
    assert waiting.episodes.get().status == EpisodeStatus.CANCELLED


def test_a_second_discharge_is_refused_naming_the_status(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.clinician)
    payload = {"reason": "completed", "discharged_on": org_today().isoformat()}
    assert post(client, world.participant, payload).status_code == 201
    before = snapshot(world.participant)
    assert "already discharged" in fields_in(post(client, world.participant, payload))["status"]
    assert snapshot(world.participant) == before
    # The director (who keeps the chart) gets the same message.
    response = post(client_for(world.director), world.participant, payload)
    assert "already discharged" in fields_in(response)["status"]


def test_an_open_item_without_a_decision_is_named_and_nothing_is_written(
    world: World, client_for: ClientFor
) -> None:
    task = alert(world.participant, AlertKind.TASK, Priority.NORMAL)
    before = snapshot(world.participant)
    response = post(
        client_for(world.clinician),
        world.participant,
        {"reason": "completed", "discharged_on": org_today().isoformat()},
    )
    assert "Decide what happens" in fields_in(response)[f"decisions.{task.public_id}"]
    assert snapshot(world.participant) == before


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"decision": "close"}, "documenting its follow-up"),
        ({"decision": "hand_to"}, "program director"),
        ({"decision": "hand_to", "owner": "clinician"}, "program director"),
    ],
)
def test_a_clinical_alert_must_be_handed_to_a_director(
    world: World, client_for: ClientFor, decision: dict[str, str], message: str
) -> None:
    risk = alert(world.participant, AlertKind.CRITICAL_ITEM, Priority.URGENT)
    if decision.get("owner") == "clinician":
        decision = decision | {"owner": str(world.clinician.public_id)}
    before = snapshot(world.participant)
    response = post(
        client_for(world.clinician),
        world.participant,
        {
            "reason": "completed",
            "discharged_on": org_today().isoformat(),
            "decisions": [{"item": str(risk.public_id)} | decision],
        },
    )
    assert message in fields_in(response)[f"decisions.{risk.public_id}"]
    assert snapshot(world.participant) == before


def test_a_decision_about_an_unknown_item_is_refused(world: World, client_for: ClientFor) -> None:
    other = alert(world.other_participant, AlertKind.TASK, Priority.NORMAL)
    response = post(
        client_for(world.director),
        world.participant,
        {
            "reason": "completed",
            "discharged_on": org_today().isoformat(),
            "decisions": [{"item": str(other.public_id), "decision": "close"}],
        },
    )
    assert "Not an open item" in fields_in(response)[f"decisions.{other.public_id}"]
    assert world.participant.episodes.get().is_open


def test_schema_errors_name_the_field(world: World, client_for: ClientFor) -> None:
    response = post(
        client_for(world.clinician),
        world.participant,
        {"reason": "graduated", "discharged_on": "2026-02-30"},
    )
    assert set(fields_in(response)) == {"reason", "discharged_on"}


@pytest.mark.parametrize(
    "who", ["other_clinician", "front_desk", "intake", "outsider", "compliance"]
)
def test_everyone_the_page_refuses_gets_404_and_a_deny_event(
    world: World, client_for: ClientFor, who: str
) -> None:
    user = getattr(world, who)
    before = snapshot(world.participant)
    response = post(
        client_for(user),
        world.participant,
        {"reason": "completed", "discharged_on": org_today().isoformat()},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 1
    assert snapshot(world.participant) == before


def test_the_participant_is_refused_by_the_staff_only_api(
    world: World, client_for: ClientFor
) -> None:
    response = post(
        client_for(world.participant_user),
        world.participant,
        {"reason": "completed", "discharged_on": org_today().isoformat()},
    )
    assert response.status_code == 403
    assert world.participant.episodes.get().is_open


def test_an_unknown_episode_is_404(world: World, client_for: ClientFor) -> None:
    response = client_for(world.director).post(
        "/api/v1/episodes/not-an-id/discharge",
        data=json.dumps({"reason": "completed"}),
        content_type="application/json",
    )
    assert response.status_code == 404


# --- reading the summary ------------------------------------------------------------------


def summary_url(summary: DischargeSummary) -> str:
    return f"/api/v1/discharge-summaries/{summary.public_id}"


def test_the_author_reads_the_draft_with_the_charts_figures(
    world: World, client_for: ClientFor
) -> None:
    summary = discharge(world.clinician, world.participant)
    body = client_for(world.clinician).get(summary_url(summary)).json()
    figures = assemble(Episode.objects.get(pk=summary.episode_id))
    assert body["status"] == "draft"
    assert body["figures"]["hours"]["attended"] == figures["hours"]["attended"]
    assert body["figures"]["length_of_stay_days"] == figures["length_of_stay_days"]
    assert Event.objects.filter(
        actor=world.clinician, action=Action.VIEW, object_id=str(summary.public_id)
    ).exists()


def test_the_director_reads_the_signed_summary(world: World, client_for: ClientFor) -> None:
    summary = signed_summary(world)
    body = client_for(world.director).get(summary_url(summary)).json()
    assert body["status"] == "signed"
    assert body["narrative"].startswith("Engaged well")
    assert body["aftercare"]["step_down_level"] == "outpatient"
    assert body["missing_for_signing"] == []
    assert len(body["aftercare"]["follow_ups"]) >= 2
    assert body["figures"] == json.loads(json.dumps(summary.figures)) | {
        "risk": body["figures"]["risk"]
    }


@pytest.mark.parametrize(
    "who", ["other_clinician", "front_desk", "intake", "outsider", "compliance"]
)
def test_others_cannot_read_the_summary(world: World, client_for: ClientFor, who: str) -> None:
    summary = signed_summary(world)
    user = getattr(world, who)
    assert client_for(user).get(summary_url(summary)).status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 1
