"""Measures over JSON and FHIR R4B, mounted at /api/v1/measures/.

Reading answers or scores needs clinical access (`access_participant(..., minimum=CLINICAL)`,
audited); the "due" count needs only demographic access (front desk). Writes take a FHIR
QuestionnaireResponse; bad input is 422 with the field and the reason, and nothing is stored.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Body, Field, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.api import NOT_FOUND, error_responses
from trellis.measures import fhir
from trellis.measures.access import access_response
from trellis.measures.actions import check_submit_response, do_create_administration
from trellis.measures.change import Change
from trellis.measures.models import Channel
from trellis.measures.queries import (
    clinical_episodes,
    current_scores,
    due_panel,
    open_administration,
    score_of,
)
from trellis.measures.registry import available_codes, get_instrument
from trellis.measures.scoring import bundled
from trellis.privacy.access import ParticipantAccess, Scope, access_participant

router = Router(tags=["measures"])

FhirJson = dict[str, Any]


class DueOut(Schema):
    due_count: int


class ScoreOut(Schema):
    public_id: UUID
    instrument: str
    instrument_version: str
    observed_on: str
    total: int | None
    band: str
    incomplete: bool
    prorated: bool
    missing_items: list[str]
    critical_items: list[str]
    response: UUID


class ChangeOut(Schema):
    instrument: str
    summary: str
    baseline: int | None
    previous: int | None
    latest: int | None
    delta: int | None
    flags: list[str] = Field(
        description="Flags on this instrument alone; recovery on PHQ-9 and GAD-7 together is "
        "`joint_outcome`."
    )
    mcid: float | None = Field(description="The instrument's MCID in points, if it has one.")
    mcid_reached: bool = Field(description="The drop from baseline reached the MCID.")


class JointOutcomeOut(Schema):
    """Recovery on PHQ-9 and GAD-7 together (docs/measures.md, "Change")."""

    measured: bool = Field(
        description="Both PHQ-9 and GAD-7 have a baseline and a later score in the current "
        "episode; otherwise every other flag is false."
    )
    case_at_baseline: bool = Field(
        description="PHQ-9 ≥ 10 or GAD-7 ≥ 8 at each one's own baseline."
    )
    recovered: bool = Field(
        description="A case at baseline and below both cut-offs at each one's latest score."
    )
    reliably_improved: bool = Field(
        description="Reliable improvement on at least one measure and reliable deterioration "
        "on neither."
    )
    reliably_deteriorated: bool = Field(
        description="Reliable deterioration on at least one measure and reliable improvement "
        "on neither."
    )
    reliable_recovery: bool = Field(description="Recovered and reliably improved.")
    label: str = Field(description='One line for staff, e.g. "Reliable recovery (PHQ-9 + GAD-7)".')


class ScoresOut(Schema):
    scores: list[ScoreOut]
    change: list[ChangeOut]
    joint_outcome: JointOutcomeOut


def _clinical(request: HttpRequest, public_id: str) -> ParticipantAccess:
    user = acting_user(request)
    access = access_participant(user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL)
    if access.is_own_record:  # the API is for staff; never one's own chart
        raise Http404(NOT_FOUND)
    return access


@router.get("/questionnaires", response={200: list[FhirJson], **error_responses(401, 403)})
def list_questionnaires(request: HttpRequest) -> list[FhirJson]:
    """Every instrument as a FHIR R4B Questionnaire (bundled and imported)."""
    return [fhir.questionnaire(get_instrument(code)) for code in available_codes()]


@router.get("/questionnaires/{code}", response={200: FhirJson, **error_responses(401, 403, 404)})
def get_questionnaire(request: HttpRequest, code: str) -> FhirJson:
    try:
        return fhir.questionnaire(get_instrument(code))
    except LookupError:
        raise Http404(NOT_FOUND) from None


@router.get(
    "/participants/{public_id}/due", response={200: DueOut, **error_responses(401, 403, 404)}
)
def due(request: HttpRequest, public_id: str) -> DueOut:
    """How many check-ins are open now: all front desk may know (no instrument, no answers)."""
    access = access_participant(acting_user(request), public_id, purpose=Purpose.TREAT)
    return DueOut(**due_panel(access))


@router.get(
    "/participants/{public_id}/scores", response={200: ScoresOut, **error_responses(401, 403, 404)}
)
def scores(request: HttpRequest, public_id: str) -> ScoresOut:
    from trellis.measures.queries import episode_change, joint_of

    access = _clinical(request, public_id)
    episodes = clinical_episodes(access)
    rows = current_scores(episodes)
    changes = []
    by_code: dict[str, Change] = {}
    current = next((e for e in episodes if e.is_open), episodes[0] if episodes else None)
    if current is not None:
        codes = sorted({s.instrument_code for s in rows if s.episode_id == current.pk})
        for code in codes:
            c = by_code[code] = episode_change(current, get_instrument(code))
            changes.append(
                ChangeOut(
                    instrument=code,
                    summary=c.summary,
                    baseline=c.baseline.total if c.baseline else None,
                    previous=c.previous.total if c.previous else None,
                    latest=c.latest.total if c.latest else None,
                    delta=c.delta,
                    flags=c.flags,
                    mcid=c.mcid,
                    mcid_reached=c.mcid_reached,
                )
            )
    joint = joint_of(by_code)
    return ScoresOut(
        scores=[
            ScoreOut(
                public_id=s.public_id,
                instrument=s.instrument_code,
                instrument_version=s.instrument_version,
                observed_on=s.observed_on.isoformat(),
                total=s.total,
                band=s.band_label,
                incomplete=s.incomplete,
                prorated=s.prorated,
                missing_items=list(s.missing_items),
                critical_items=list(s.critical_items),
                response=s.response.public_id,
            )
            for s in rows
        ],
        change=changes,
        joint_outcome=JointOutcomeOut(
            measured=joint.measured,
            case_at_baseline=joint.case_at_baseline,
            recovered=joint.recovered,
            reliably_improved=joint.reliably_improved,
            reliably_deteriorated=joint.reliably_deteriorated,
            reliable_recovery=joint.reliable_recovery,
            label=joint.label,
        ),
    )


@router.get(
    "/questionnaire-responses/{response_id}",
    response={200: FhirJson, **error_responses(401, 403, 404)},
)
def get_questionnaire_response(request: HttpRequest, response_id: str) -> FhirJson:
    response = access_response(acting_user(request), response_id)
    instrument = get_instrument(response.instrument_code, response.instrument_version)
    return fhir.questionnaire_response(response, instrument)


@router.get(
    "/questionnaire-responses/{response_id}/observations",
    response={200: FhirJson, **error_responses(401, 403, 404)},
)
def get_observations(request: HttpRequest, response_id: str) -> FhirJson:
    """The score as a FHIR Bundle: total Observation with hasMember item Observations."""
    response = access_response(acting_user(request), response_id)
    instrument = get_instrument(response.instrument_code, response.instrument_version)
    score = score_of(response)
    return fhir.observations(score, instrument)


@router.post(
    "/participants/{public_id}/questionnaire-responses",
    response={201: FhirJson, **error_responses(401, 403, 404, 422)},
)
def import_questionnaire_response(
    request: HttpRequest, public_id: str, payload: Body[dict[str, Any]]
) -> Status[FhirJson]:
    """Import a completed check-in as a FHIR QuestionnaireResponse. It fills the participant's
    open check-in for that instrument, or a new one for today; 422 names what is wrong."""
    user = acting_user(request)
    access = _clinical(request, public_id)
    try:
        url, version, answers, subject = fhir.parse_questionnaire_response(payload)
    except fhir.FhirInputError as error:
        raise ValidationError({error.field: str(error)}) from None
    if subject and subject != f"Patient/{access.participant.public_id}":
        raise ValidationError({"subject": "The subject is not this participant."})
    instrument = next((i for i in bundled().values() if i.url == url), None)
    if instrument is None:
        code = url.rstrip("/").rsplit("/", 1)[-1]
        try:
            instrument = get_instrument(code.upper())
        except LookupError:
            raise ValidationError({"questionnaire": f"Unknown Questionnaire “{url}”."}) from None
    if version != instrument.version:
        raise ValidationError(
            {
                "questionnaire": f"{instrument.code} is version {instrument.version} here, "
                f"not {version}."
            }
        )
    episodes = [e for e in clinical_episodes(access) if e.is_open]
    if not episodes:
        raise ValidationError({"__all__": "The participant has no open episode you can see."})
    episode = episodes[0]
    administration = open_administration(episode, instrument.code)
    key = request.headers.get("Idempotency-Key") or None
    from django.db import transaction

    with transaction.atomic():
        if administration is None:
            administration = do_create_administration(
                user, episode, instrument.code, due_on=episode.program.organization.today()
            )
        response = check_submit_response(
            user,
            administration,
            answers,
            channel=Channel.API,
            idempotency_key=key,
            instrument_version=version,
        )
    record(user, Action.VIEW, participant=access.participant, obj=response, purpose=Purpose.TREAT)
    return Status(201, fhir.questionnaire_response(response, instrument))
