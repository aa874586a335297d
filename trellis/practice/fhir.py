"""FHIR R4B for practice (docs/domain.md §8: homework is a Task): an assignment as `Task`
(focus = the worksheet's Questionnaire or the skill, for = Patient, executionPeriod, status)
and a worksheet entry as `QuestionnaireResponse`. Every resource is checked with
`fhir.resources` R4B models, as measures does.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.task import Task

from trellis.practice.models.assignments import Assignment, AssignmentStatus, PracticeEntry
from trellis.practice.models.library import WorksheetDefinition

PRACTICE_CODES = "https://trellis.example/fhir/CodeSystem/practice"
WORKSHEETS = "https://trellis.example/fhir/Questionnaire/worksheet"

# Trellis status → FHIR Task.status (R4B value set task-status).
TASK_STATUS = {
    AssignmentStatus.ASSIGNED: "requested",
    AssignmentStatus.IN_PROGRESS: "in-progress",
    AssignmentStatus.DONE: "completed",
    AssignmentStatus.MISSED: "failed",
    AssignmentStatus.EXCUSED: "cancelled",
}


def worksheet_canonical(definition: WorksheetDefinition) -> str:
    return f"{WORKSHEETS}/{definition.code}|{definition.version}"


def task(assignment: Assignment) -> dict[str, Any]:
    """The assignment as a FHIR Task. The note (the clinician's words) is left out: it is
    read on the page, not exported with the task."""
    focus: dict[str, Any]
    if assignment.worksheet is not None:
        focus = {
            "reference": f"Questionnaire/{assignment.worksheet.public_id}",
            "display": assignment.worksheet.title,
        }
    elif assignment.skill is not None:
        focus = {
            "identifier": {
                "system": f"{PRACTICE_CODES}/skill",
                "value": str(assignment.skill.public_id),
            },
            "display": assignment.skill.name,
        }
    else:
        raise ValueError("an assignment has a skill or a worksheet")
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(assignment.public_id),
        "status": TASK_STATUS[AssignmentStatus(assignment.status)],
        "intent": "order",
        "code": {
            "coding": [{"system": PRACTICE_CODES, "code": "practice", "display": "Practice"}],
            "text": assignment.title,
        },
        "focus": focus,
        "for": {"reference": f"Patient/{assignment.participant.public_id}"},
        "authoredOn": assignment.assigned_at.isoformat(),
        "lastModified": assignment.status_changed_at.isoformat(),
        "executionPeriod": {
            "start": assignment.starts_on.isoformat(),
            "end": assignment.due_on.isoformat(),
        },
        "restriction": {"repetitions": assignment.times_required},
    }
    if assignment.status == AssignmentStatus.EXCUSED:
        resource["statusReason"] = {"text": "Excused"}
    Task.model_validate(resource)
    return resource


def _answer(value: Any) -> dict[str, Any] | None:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, str) and value:
        return {"valueString": value}
    return None


def questionnaire_response(entry: PracticeEntry) -> dict[str, Any]:
    """A worksheet entry as a QuestionnaireResponse (tables as repeated groups)."""
    if entry.worksheet is None:
        raise ValueError("only worksheet entries are QuestionnaireResponses")
    items: list[dict[str, Any]] = []
    for field in entry.worksheet.fields:
        value = entry.answers.get(field["key"])
        if field["type"] == "table" and isinstance(value, list):
            for row in value:
                cells = []
                for column in field["columns"]:
                    answer = _answer(row.get(column["key"]))
                    if answer is not None:
                        cells.append(
                            {"linkId": f"{field['key']}.{column['key']}", "answer": [answer]}
                        )
                if cells:
                    items.append({"linkId": field["key"], "item": cells})
            continue
        answer = _answer(value)
        if answer is not None:
            items.append({"linkId": field["key"], "text": field["label"], "answer": [answer]})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(entry.public_id),
        "questionnaire": worksheet_canonical(entry.worksheet),
        "status": "completed",
        "subject": {"reference": f"Patient/{entry.participant.public_id}"},
        "basedOn": [{"reference": f"Task/{entry.assignment.public_id}"}],
        "authored": entry.submitted_at.isoformat(),
        "item": items,
    }
    QuestionnaireResponse.model_validate(resource)
    return resource
