"""FHIR R4B resources and the measures API at /api/v1/measures/ (valid resources, import of
QuestionnaireResponse with 422 for bad input, access the same as pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.personas import World
from trellis.accounts.models import User
from trellis.measures.fhir import observations, questionnaire
from trellis.measures.models import Response, Score
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import bundled
from trellis.measures.tests.factories import answers_for, complete_checkin, open_checkin
from trellis.worklist.models import Alert

API = "/api/v1/measures"
PHQ9 = get_instrument("PHQ-9")


@pytest.mark.parametrize("code", sorted(bundled()))
def test_every_bundled_instrument_is_a_valid_r4b_questionnaire(code: str) -> None:
    resource = Questionnaire.model_validate(questionnaire(bundled()[code]))
    assert resource.version == "1.0.0"


def test_a_score_is_a_survey_observation_with_loinc_total_derived_from_the_response(
    world: World,
) -> None:
    response = complete_checkin(world.participant, 14)
    score = Score.objects.select_related("response", "participant").get()
    bundle = observations(score, PHQ9)
    Bundle.model_validate(bundle)
    total: Any = Observation.model_validate(bundle["entry"][0]["resource"])  # optional fields
    assert total.code.coding[0].code == "44261-6"
    assert total.category[0].coding[0].code == "survey"
    assert total.valueQuantity.value == 14
    assert total.derivedFrom[0].reference == f"QuestionnaireResponse/{response.public_id}"
    assert len(total.hasMember) == 9
    first_item = bundle["entry"][1]["resource"]
    assert first_item["code"]["coding"][0]["code"] == "44250-9"


def qr(answers: dict[str, str], version: str = "1.0.0", participant: Any = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{PHQ9.url}|{version}",
        "status": "completed",
        "item": [
            {"linkId": k, "answer": [{"valueCoding": {"code": v}}]} for k, v in answers.items()
        ],
    }
    if participant is not None:
        resource["subject"] = {"reference": f"Patient/{participant.public_id}"}
    return resource


def test_import_a_questionnaire_response_and_read_it_back(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    url = f"{API}/participants/{world.participant.public_id}/questionnaire-responses"
    created = client.post(
        url,
        qr(answers_for(PHQ9, 10, item9=1), participant=world.participant),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    QuestionnaireResponse.model_validate(created.json())
    assert Alert.objects.filter(kind="critical_item").count() == 1
    read = client.get(f"{API}/questionnaire-responses/{created.json()['id']}")
    assert read.status_code == 200
    assert read.json()["status"] == "completed"
    obs = client.get(f"{API}/questionnaire-responses/{created.json()['id']}/observations")
    assert obs.status_code == 200
    assert obs.json()["entry"][0]["resource"]["valueQuantity"]["value"] == 10
    scores = client.get(f"{API}/participants/{world.participant.public_id}/scores").json()
    assert scores["scores"][0]["total"] == 10
    assert scores["change"][0]["summary"] == "PHQ-9 10 (baseline)"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (
            lambda r: r["item"][0]["answer"][0]["valueCoding"].__setitem__("code", "LA0000-0"),
            "phq9-9",
        ),
        (lambda r: r["item"].pop(0), "phq9-9"),
        (lambda r: r.__setitem__("questionnaire", f"{PHQ9.url}|2.0.0"), "questionnaire"),
        (lambda r: r.__setitem__("questionnaire", "https://example.org/q/nope|1"), "questionnaire"),
        (lambda r: r.__setitem__("status", "in-progress"), "status"),
        (lambda r: r.__setitem__("resourceType", "Observation"), "resourceType"),
        (lambda r: r.__setitem__("authored", "not a date"), "authored"),
    ],
)
def test_bad_questionnaire_responses_are_422_and_store_nothing(
    world: World, client_for: Callable[[User], Client], mutate: Any, field: str
) -> None:
    resource = qr(answers_for(PHQ9, 10))
    mutate(resource)
    answer = client_for(world.clinician).post(
        f"{API}/participants/{world.participant.public_id}/questionnaire-responses",
        resource,
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    assert field in str(answer.json()["detail"])
    assert Response.objects.count() == 0
    assert Score.objects.count() == 0


def test_api_access_follows_the_same_rules_as_pages(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = complete_checkin(world.participant, 9)
    open_checkin(world.participant, "GAD-7")
    front = client_for(world.front_desk)
    assert front.get(f"{API}/participants/{world.participant.public_id}/due").json() == {
        "due_count": 1
    }
    assert front.get(f"{API}/participants/{world.participant.public_id}/scores").status_code == 404
    assert front.get(f"{API}/questionnaire-responses/{response.public_id}").status_code == 404
    assert (
        client_for(world.other_clinician)
        .get(f"{API}/questionnaire-responses/{response.public_id}")
        .status_code
        == 404
    )
    assert (
        client_for(world.outsider)
        .get(f"{API}/participants/{world.participant.public_id}/due")
        .status_code
        == 404
    )
    assert Client().get(f"{API}/questionnaires").status_code == 401
    listed = client_for(world.clinician).get(f"{API}/questionnaires").json()
    assert {q["id"] for q in listed} >= {"phq-9", "gad-7", "pcl-5"}
