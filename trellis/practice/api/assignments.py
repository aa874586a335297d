"""The practice API: the assignments part, under /api/v1/practice/ (docs/practice.md).

Staff who see the episode clinically read an assignment as a FHIR R4B Task and its worksheet
entries as QuestionnaireResponses; everyone else gets the audited 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from trellis.accounts.api import acting_user
from trellis.lib.api import error_responses
from trellis.practice import fhir
from trellis.practice.access import access_assignment

router = Router()

FhirJson = dict[str, Any]


@router.get(
    "/assignments/{assignment_id}",
    response={200: FhirJson, **error_responses(401, 403, 404)},
)
def get_assignment(request: HttpRequest, assignment_id: str) -> FhirJson:
    """The assignment as a FHIR R4B Task."""
    return fhir.task(access_assignment(acting_user(request), assignment_id))


@router.get(
    "/assignments/{assignment_id}/responses",
    response={200: list[FhirJson], **error_responses(401, 403, 404)},
)
def get_assignment_responses(request: HttpRequest, assignment_id: str) -> list[FhirJson]:
    """The worksheet entries as FHIR R4B QuestionnaireResponses (none for a skill)."""
    assignment = access_assignment(acting_user(request), assignment_id)
    if assignment.worksheet is None:
        return []
    entries = assignment.entries.select_related("participant", "worksheet", "assignment")
    return [fhir.questionnaire_response(e) for e in entries]
