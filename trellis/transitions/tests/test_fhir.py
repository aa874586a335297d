"""Signed discharge summaries as FHIR DocumentReference: valid R4 (R4B models), final or
amended, the signed text as the attachment, drafts never exposed, the chart's readers only."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference

from tests.personas import PASSWORD, World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.actions import do_open_episode
from trellis.participants.models import EpisodeStatus
from trellis.transitions import actions
from trellis.transitions.models import DischargeSummary, StepDownLevel

from .factory import discharge, signed_summary

ClientFor = Callable[[User], Client]


def url(summary: DischargeSummary) -> str:
    return f"/api/v1/fhir/DocumentReference/{summary.public_id}"


def read(client: Client, summary: DischargeSummary) -> dict[str, Any]:
    response = client.get(url(summary))
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    DocumentReference.model_validate(body)
    return body


def text_of(document: dict[str, Any]) -> str:
    return base64.b64decode(document["content"][0]["attachment"]["data"]).decode("utf-8")


def test_a_signed_summary_is_a_final_discharge_summary_document(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    body = read(client_for(world.director), summary)
    episode = summary.episode
    assert body["status"] == "current"
    assert body["docStatus"] == "final"
    assert body["type"]["coding"] == [
        {"system": "http://loinc.org", "code": "18842-5", "display": "Discharge summary"}
    ]
    assert body["subject"]["reference"] == f"Patient/{world.participant.public_id}"
    assert body["author"][0]["reference"] == f"Practitioner/{world.clinician.public_id}"
    assert body["authenticator"]["display"] == f"{world.clinician.name}, LPC"
    assert body["context"]["encounter"] == [{"reference": f"EpisodeOfCare/{episode.public_id}"}]
    assert body["context"]["period"] == {
        "start": summary.figures["admitted_on"],
        "end": summary.figures["discharged_on"],
    }
    attachment = body["content"][0]["attachment"]
    assert attachment["contentType"] == "text/plain; charset=utf-8"
    assert attachment["title"].startswith("Discharge summary, Adult Mental Health IOP")
    text = text_of(body)
    assert "Engaged well; mood improved" in text
    assert "Riverside Counseling" in text
    assert f"Length of stay: {summary.figures['length_of_stay_days']} days" in text
    assert f"Signed by {world.clinician.name}, LPC" in text
    assert Event.objects.filter(
        actor=world.director, action=Action.VIEW, object_id=str(summary.public_id)
    ).exists()


def test_an_addendum_makes_the_document_amended_and_is_in_its_text(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    actions.check_add_summary_addendum(
        world.director, summary, text="Follow-up call: attending weekly therapy."
    )
    body = read(client_for(world.director), summary)
    assert body["docStatus"] == "amended"
    assert "Follow-up call: attending weekly therapy." in text_of(body)


def test_a_draft_is_not_a_document(world: World, client_for: ClientFor) -> None:
    summary = discharge(world.clinician, world.participant)
    response = client_for(world.clinician).get(url(summary))
    assert response.status_code == 404
    assert Event.objects.filter(actor=world.clinician, action=Action.DENY).count() == 1
    # The JSON summary still serves the author's draft.
    assert (
        client_for(world.clinician).get(f"/api/v1/discharge-summaries/{summary.public_id}")
    ).status_code == 200


@pytest.mark.parametrize(
    "who", ["other_clinician", "front_desk", "intake", "outsider", "compliance"]
)
def test_only_the_charts_readers_get_the_document(
    world: World, client_for: ClientFor, who: str
) -> None:
    summary = signed_summary(world)
    user = getattr(world, who)
    assert client_for(user).get(url(summary)).status_code == 404
    response = client_for(user).get(
        f"/api/v1/fhir/DocumentReference?patient={world.participant.public_id}"
    )
    assert response.status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 2


def test_the_participant_is_refused_by_the_staff_only_api(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    assert client_for(world.participant_user).get(url(summary)).status_code == 403


def sign(actor: User, summary: DischargeSummary) -> DischargeSummary:
    summary = actions.check_save_summary(
        actor,
        summary,
        narrative="Second stay.",
        aftercare=actions.AftercareInput(
            step_down_level=StepDownLevel.NONE, crisis_steps=actions.CRISIS_DEFAULT
        ),
        revision=summary.revision,
    )
    return actions.check_sign_summary(
        actor, summary, typed_name=actor.name, password=PASSWORD, revision=summary.revision
    )


def search(client: Client, world: World) -> dict[str, Any]:
    response = client.get(f"/api/v1/fhir/DocumentReference?patient={world.participant.public_id}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    Bundle.model_validate(body)
    return body


def test_search_finds_the_signed_summaries_of_every_stay_in_fixed_queries(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    first = signed_summary(world)
    search(client, world)  # warm the session
    with count_queries() as one:
        assert [e["resource"]["id"] for e in search(client, world)["entry"]] == [
            str(first.public_id)
        ]
    # Readmitted the same day and discharged again by the director.
    episode = do_open_episode(
        None,
        world.participant,
        world.program,
        track=world.evening,
        status=EpisodeStatus.ACTIVE,
        admitted_on=org_today(),
    )
    second = sign(
        world.director,
        actions.check_discharge_episode(
            world.director, episode, discharged_on=org_today(), reason="other", decisions=[]
        ),
    )
    with count_queries() as two:
        body = search(client, world)
    assert {e["resource"]["id"] for e in body["entry"]} == {
        str(first.public_id),
        str(second.public_id),
    }
    assert body["total"] == 2
    assert len(two) == len(one)


def test_search_leaves_drafts_out(world: World, client_for: ClientFor) -> None:
    discharge(world.clinician, world.participant)
    body = search(client_for(world.director), world)
    assert body["total"] == 0
    assert body["entry"] == []
