"""Consents and referrals elsewhere as FHIR R4 resources, under /api/v1/fhir/
(trellis/intake/fhir.py; docs/intake-and-discharge.md, "API and FHIR").

`Consent`: read by id and search by patient, for those who see the episode at clinical scope
(as the chart: its care team and the program's directors); each consent returned is a `view`
event. `ServiceRequest`: read by id (the decision's public id, as the intake API's decision
answers it) and search, for the program's directors and intake coordinators (as the screening
page); each referral returned is a `view` event."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record_many
from trellis.intake import fhir
from trellis.intake.access import (
    access_consent,
    access_referral,
    referral_program_filters,
)
from trellis.intake.queries import episode_signatures, referrals
from trellis.lib.api import PageQuery, error_responses
from trellis.participants.fhir import searchset
from trellis.privacy.access import Scope, access_participant

router = Router(tags=["fhir"])
FHIR_BASE = "/api/v1/fhir/"
NOT_FOUND = "Not found."


class ConsentQuery(Schema):
    patient: UUID = Field(description="The participant's public id.")


class ServiceRequestQuery(PageQuery):
    patient: UUID | None = Field(
        default=None, description="The participant's public id (referrals with a record)."
    )


def _bundle(request: HttpRequest, resources: list[fhir.FhirJson], total: int) -> fhir.FhirJson:
    return searchset(
        resources,
        total,
        self_url=request.build_absolute_uri(),
        base=request.build_absolute_uri(FHIR_BASE),
    )


@router.get(
    "/fhir/Consent/{consent_id}",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404)},
    summary="A consent as a FHIR Consent",
)
def read_consent(request: HttpRequest, consent_id: str) -> fhir.FhirJson:
    """FHIR R4 Consent (validated against R4B): `active` once signed, `proposed` while it is
    to follow; the form and its version in `policyRule`; how it was signed in an extension."""
    return fhir.consent(access_consent(acting_user(request), consent_id))


@router.get(
    "/fhir/Consent",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404, 422)},
    summary="Search a participant's consents",
)
def search_consents(request: HttpRequest, filters: Query[ConsentQuery]) -> fhir.FhirJson:
    """A `searchset` Bundle of the participant's consents in the episodes you see clinically,
    newest first. The participant is opened as the chart opens them (404 for anyone without
    clinical access), and each consent shown is a `view` event."""
    user = acting_user(request)
    access = access_participant(
        user, filters.patient, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    if access.is_own_record:  # the API is for staff; never one's own chart
        raise Http404(NOT_FOUND)
    signatures = episode_signatures([e for e in access.episodes if access.is_clinical_for(e)])
    record_many(
        user,
        [
            EventSpec(
                Action.VIEW,
                participant=access.participant,
                obj=signature,
                purpose=Purpose.TREAT,
                role=access.role,
                detail={"via": "fhir"},
            )
            for signature in signatures
        ],
    )
    resources = [fhir.consent(s) for s in signatures]
    return _bundle(request, resources, len(resources))


@router.get(
    "/fhir/ServiceRequest/{decision_id}",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404)},
    summary="A referral elsewhere as a FHIR ServiceRequest",
)
def read_service_request(request: HttpRequest, decision_id: str) -> fhir.FhirJson:
    """A level-of-care decision that referred the person elsewhere; a decision that kept them
    here answers 404 like a missing one."""
    return fhir.service_request(access_referral(acting_user(request), decision_id))


@router.get(
    "/fhir/ServiceRequest",
    response={200: fhir.FhirJson, **error_responses(401, 403, 422)},
    summary="Search referrals elsewhere",
)
def search_service_requests(
    request: HttpRequest, filters: Query[ServiceRequestQuery]
) -> fhir.FhirJson:
    """A `searchset` Bundle of the referrals of the programs whose screenings you read
    (directors and intake coordinators), newest first, paginated with `limit` and `offset`;
    with `patient`, only that participant's. Each referral shown is a `view` event (an empty
    page records the search)."""
    user = acting_user(request)
    programs, directed = referral_program_filters(user)
    found = referrals(
        programs,
        directed=directed,
        participant=str(filters.patient) if filters.patient is not None else None,
    )
    total = found.count()
    page = list(found[filters.offset : filters.offset + filters.limit])
    detail = {
        "patient": str(filters.patient or ""),
        "offset": filters.offset,
        "limit": filters.limit,
        "results": total,
        "via": "fhir",
    }
    record_many(
        user,
        [
            EventSpec(
                Action.VIEW,
                participant=d.inquiry.participant,
                obj=d,
                purpose=Purpose.TREAT,
                detail=detail,
            )
            for d in page
        ]
        or [
            EventSpec(
                Action.LIST,
                object_type="intake.levelofcaredecision",
                purpose=Purpose.TREAT,
                detail=detail,
            )
        ],
    )
    return _bundle(request, [fhir.service_request(d) for d in page], total)
