"""Discharge over JSON, the discharge summary, and signed summaries as FHIR DocumentReference.

The same access functions, actions and audit events as the pages (docs/intake-and-discharge.md,
"API and FHIR"): `access_episode_discharge` admits exactly those the discharge page admits,
`check_discharge_episode` does the whole discharge in one transaction, `access_summary` opens
a summary. Signing needs the signer's password and stays on the page.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record_many
from trellis.lib.api import NOT_FOUND, error_responses
from trellis.participants.models import DischargeReason
from trellis.participants.schemas import ParticipantRef, UserRef
from trellis.privacy.access import Scope, access_participant
from trellis.transitions import actions, fhir
from trellis.transitions.access import access_episode_discharge, access_summary
from trellis.transitions.models import DischargeSummary
from trellis.transitions.queries import (
    discharge_owners,
    figures_of,
    follow_ups,
    last_attended_on,
    open_items,
    signed_documents,
    signed_summaries_for_documents,
)
from trellis.transitions.schemas import (
    AftercareAppointmentOut,
    AftercareFollowUpOut,
    AftercareOut,
    DischargeIn,
    DischargeSummaryOut,
    SummaryAddendumOut,
    SummaryEpisodeRefOut,
    SummaryMissingOut,
    figures_out,
)

router = Router(tags=["discharge"])
FHIR_BASE = "/api/v1/fhir/"


def summary_out(summary: DischargeSummary) -> DischargeSummaryOut:
    plan = summary.aftercare
    episode = summary.episode
    missing = actions.missing_for_signing(summary) if not summary.is_signed else {}
    return DischargeSummaryOut(
        public_id=summary.public_id,
        episode=SummaryEpisodeRefOut(public_id=episode.public_id),
        participant=ParticipantRef(
            public_id=episode.participant.public_id,
            display_name=episode.participant.display_name,
        ),
        status="signed" if summary.is_signed else "draft",
        revision=summary.revision,
        author=UserRef(public_id=summary.author.public_id, name=summary.author.name),
        created_at=summary.created_at,
        signed_at=summary.signed_at,
        signer_name=summary.signer_name,
        signer_credentials=summary.signer_credentials,
        figures=figures_out(figures_of(summary)),
        narrative=summary.narrative,
        aftercare=AftercareOut(
            public_id=plan.public_id,
            step_down_level=plan.step_down_level,  # type: ignore[arg-type]  # limited to choices
            step_down_label=plan.get_step_down_level_display() if plan.step_down_level else "",
            provider=plan.provider,
            alumni_group=plan.alumni_group,
            crisis_steps=plan.crisis_steps,
            notes_for_participant=plan.notes_for_participant,
            appointments=[
                AftercareAppointmentOut(
                    public_id=a.public_id, starts_at=a.starts_at, with_whom=a.with_whom
                )
                for a in plan.appointments.all()
            ],
            follow_ups=[
                AftercareFollowUpOut(
                    public_id=a.public_id, instrument=a.instrument_code, due_on=a.due_on
                )
                for a in follow_ups(plan)
            ],
        ),
        addenda=[
            SummaryAddendumOut(
                public_id=a.public_id,
                author_name=a.author_name,
                author_credentials=a.author_credentials,
                text=a.text,
                created_at=a.created_at,
            )
            for a in summary.addenda.all()
        ],
        missing_for_signing=[SummaryMissingOut(field=k, message=v) for k, v in missing.items()],
    )


@router.post(
    "/episodes/{episode_id}/discharge",
    response={201: DischargeSummaryOut, **error_responses(401, 403, 404, 422)},
    summary="Discharge an episode",
)
def discharge_episode(
    request: HttpRequest, episode_id: str, payload: DischargeIn
) -> Status[DischargeSummaryOut]:
    """Discharge as the chart's Discharge page does, for the episode's care team today or the
    program's director: reason, date, and a decision for every open worklist item. One
    transaction: the episode, its care team and rosters end, the items are closed or handed
    on, and a draft summary with its aftercare plan is created (the answer, 201). A refusal is
    a 422 naming the field (`decisions.<item id>` for an item) and writes nothing."""
    user = acting_user(request)
    episode = access_episode_discharge(user, episode_id)
    items = open_items(episode)
    by_id = {a.public_id: a for a in items}
    owners = {u.public_id: u for u in discharge_owners(episode, items)}
    errors: dict[str, str] = {}
    decisions = []
    for entry in payload.decisions:
        alert = by_id.get(entry.item)
        key = f"decisions.{entry.item}"
        if alert is None:
            errors[key] = "Not an open item of this episode."
        elif entry.decision == "close":
            decisions.append(actions.ItemDecision(alert, close=True))
        elif entry.owner is None or entry.owner not in owners:
            errors[key] = "Hand it to a program director of this program (give their id)."
        else:
            decisions.append(actions.ItemDecision(alert, close=False, owner=owners[entry.owner]))
    if len({d.item for d in payload.decisions}) != len(payload.decisions):
        errors["decisions"] = "One decision per item."
    if errors:
        raise ValidationError(errors)
    discharged_on = payload.discharged_on
    if discharged_on is None and payload.reason == DischargeReason.DROPPED_OUT.value:
        discharged_on = last_attended_on(episode)
    try:
        summary = actions.check_discharge_episode(
            user,
            episode,
            discharged_on=discharged_on,
            reason=payload.reason,
            decisions=decisions,
        )
    except ValidationError as error:
        raise ValidationError(
            {
                (f"decisions.{k.removeprefix('item_')}" if k.startswith("item_") else k): v
                for k, v in error.message_dict.items()
            }
        ) from None
    return Status(201, summary_out(summary))


@router.get(
    "/discharge-summaries/{summary_id}",
    response={200: DischargeSummaryOut, **error_responses(401, 403, 404)},
    summary="One discharge summary",
)
def get_summary(request: HttpRequest, summary_id: str) -> DischargeSummaryOut:
    """The summary as its page shows it, draft or signed, for those the page admits: the care
    team and the program's director (and a draft's author until they sign it)."""
    return summary_out(access_summary(acting_user(request), summary_id))


# --- FHIR R4 DocumentReference ------------------------------------------------------------


class DocumentReferenceQuery(Schema):
    patient: UUID = Field(description="The participant's public id.")


@router.get(
    "/fhir/DocumentReference/{summary_id}",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404)},
    tags=["fhir"],
    summary="A signed discharge summary as a FHIR DocumentReference",
)
def read_document_reference(request: HttpRequest, summary_id: str) -> fhir.FhirJson:
    """Signed summaries only: a draft answers 404 like a missing one."""
    summary = access_summary(acting_user(request), summary_id, signed_only=True)
    return fhir.document_reference(signed_documents([summary])[0])


@router.get(
    "/fhir/DocumentReference",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404, 422)},
    tags=["fhir"],
    summary="Search a participant's signed discharge summaries",
)
def search_document_references(
    request: HttpRequest, filters: Query[DocumentReferenceQuery]
) -> fhir.FhirJson:
    """A `searchset` Bundle of the participant's signed discharge summaries in episodes you see
    clinically, newest discharge first. The participant is opened as the chart opens them
    (404 for anyone without clinical access), and each document shown is a `view` event."""
    from trellis.participants.fhir import searchset

    user = acting_user(request)
    access = access_participant(
        user, filters.patient, purpose=Purpose.TREAT, minimum=Scope.CLINICAL
    )
    if access.is_own_record:  # the API is for staff; never one's own chart
        raise Http404(NOT_FOUND)
    clinical = [e for e in access.episodes if access.is_clinical_for(e)]
    summaries = signed_summaries_for_documents(clinical)
    record_many(
        user,
        [
            EventSpec(
                Action.VIEW,
                participant=access.participant,
                obj=summary,
                purpose=Purpose.TREAT,
                role=access.role,
                detail={"via": "fhir"},
            )
            for summary in summaries
        ],
    )
    documents = [fhir.document_reference(d) for d in signed_documents(summaries)]
    return searchset(
        documents,
        len(documents),
        self_url=request.build_absolute_uri(),
        base=request.build_absolute_uri(FHIR_BASE),
    )
