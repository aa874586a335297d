"""FHIR R4B: instruments as Questionnaire, check-ins as QuestionnaireResponse, scores as
Observation (docs/domain.md §8). Every resource is checked with `fhir.resources` R4B models.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError as PydanticValidationError

from trellis.measures.models import Response, Score
from trellis.measures.scoring import Instrument

LOINC = "http://loinc.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
TRELLIS_CODES = "https://trellis.example/fhir/CodeSystem/measures"


class FhirInputError(ValueError):
    """A resource that is not valid FHIR R4B, or does not fit the check-in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def validate_questionnaire(data: dict[str, Any]) -> dict[str, Any]:
    try:
        Questionnaire.model_validate(data)
    except PydanticValidationError as error:
        # One line per field that does not fit, named by its path (people fix files by it).
        lines = [
            "questionnaire."
            + ".".join(str(part) for part in problem["loc"])
            + f": {problem['msg']}."
            for problem in error.errors()
        ]
        raise ValueError(
            "\n".join(["questionnaire is not a valid FHIR R4B Questionnaire:", *lines])
        ) from error
    return data


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    return validate_questionnaire(dict(instrument.questionnaire))


def canonical(instrument_url: str, version: str) -> str:
    return f"{instrument_url}|{version}"


def questionnaire_response(response: Response, instrument: Instrument) -> dict[str, Any]:
    items = []
    for link_id, code in response.answers.items():
        item = instrument.item(link_id)
        option = item.option(code) if item else None
        if item is None or option is None:
            continue
        coding = {"system": option.system, "code": option.code, "display": option.display}
        items.append({"linkId": link_id, "text": item.text, "answer": [{"valueCoding": coding}]})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.public_id),
        "questionnaire": canonical(instrument.url, response.instrument_version),
        "status": "amended" if response.corrects_id else "completed",
        "subject": {"reference": f"Patient/{response.participant.public_id}"},
        "authored": response.submitted_at.isoformat(),
        "item": items,
    }
    QuestionnaireResponse.model_validate(resource)
    return resource


def observations(score: Score, instrument: Instrument) -> dict[str, Any]:
    """A collection Bundle: the total Observation (hasMember → item Observations)."""
    response = score.response
    subject = {"reference": f"Patient/{score.participant.public_id}"}
    effective = score.observed_at.isoformat()
    members = []
    for link_id in instrument.scored:
        item = instrument.item(link_id)
        code = response.answers.get(link_id)
        option = item.option(code) if item and code else None
        if item is None or option is None:
            continue
        coding = (
            [{"system": LOINC, "code": item.loinc}]
            if item.loinc
            else [{"system": TRELLIS_CODES, "code": f"{instrument.code}/{link_id}"}]
        )
        members.append(
            {
                "resourceType": "Observation",
                "id": f"{score.public_id}-{link_id}",
                "status": "final",
                "category": [SURVEY],
                "code": {"coding": coding, "text": item.text},
                "subject": subject,
                "effectiveDateTime": effective,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": option.system, "code": option.code, "display": option.display}
                    ]
                },
                "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.public_id}"}],
            }
        )
    total_code = (
        [{"system": LOINC, "code": instrument.total_code, "display": instrument.total_display}]
        if instrument.total_code
        else [{"system": TRELLIS_CODES, "code": f"{instrument.code}/total"}]
    )
    total: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(score.public_id),
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": total_code, "text": f"{instrument.code} total score"},
        "subject": subject,
        "effectiveDateTime": effective,
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.public_id}"}],
        "hasMember": [{"reference": f"Observation/{m['id']}"} for m in members],
    }
    if score.total is None:
        total["dataAbsentReason"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "unknown",
                }
            ],
            "text": "Too many items missing to score (the instrument's rule).",
        }
    else:
        total["valueQuantity"] = {
            "value": score.total,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
        if score.band_label:
            total["interpretation"] = [{"text": score.band_label}]
    if score.incomplete:
        # An incomplete score says so wherever it goes (docs/domain.md §4).
        total["note"] = [
            {
                "text": f"Scored from incomplete answers: {len(score.missing_items)} item(s) "
                f"missing{', prorated' if score.prorated else ''}."
            }
        ]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in [total, *members]],
    }
    for resource in [total, *members]:
        Observation.model_validate(resource)
    return bundle


def parse_questionnaire_response(data: Any) -> tuple[str, str, dict[str, str], str]:
    """Read an incoming QuestionnaireResponse: (questionnaire url, version, answers, subject).

    Raises FhirInputError naming the field that is wrong.
    """
    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        raise FhirInputError("resourceType", "Send a FHIR QuestionnaireResponse.")
    try:
        QuestionnaireResponse.model_validate(data)
    except PydanticValidationError as error:
        details = error.errors()
        where = ".".join(str(p) for p in details[0]["loc"]) if details else ""
        message = details[0]["msg"] if details else str(error)
        raise FhirInputError(where or "resource", f"Not valid FHIR R4B: {message}") from None
    reference = str(data.get("questionnaire") or "")
    if "|" not in reference:
        raise FhirInputError(
            "questionnaire", "Name the Questionnaire with its version: “<url>|<version>”."
        )
    url, version = reference.split("|", 1)
    if data.get("status") not in {"completed", "amended"}:
        raise FhirInputError("status", "Only completed responses are accepted.")
    answers: dict[str, str] = {}
    for item in data.get("item") or []:
        link_id = str(item.get("linkId", ""))
        values = item.get("answer") or []
        if len(values) != 1 or "valueCoding" not in values[0]:
            raise FhirInputError(
                f"item.{link_id}", "Each item needs exactly one answer as a valueCoding."
            )
        answers[link_id] = str(values[0]["valueCoding"].get("code", ""))
    subject = str((data.get("subject") or {}).get("reference", ""))
    return url, version, answers, subject
