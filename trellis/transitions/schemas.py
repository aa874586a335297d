"""API shapes for discharge and the discharge summary (docs/intake-and-discharge.md).

Fields are listed one by one. The figures mirror `queries.assemble` (frozen at signing).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from trellis.participants.schemas import ParticipantRef, UserRef

# DischargeReason.values and StepDownLevel.values, spelled out for the OpenAPI document (a
# test keeps them equal).
DischargeReasonName = Literal[
    "completed", "transferred", "dropped_out", "terminated", "incarcerated", "death", "other"
]
StepDownName = Literal[
    "outpatient", "iop", "php", "residential", "inpatient", "primary_care", "peer_support", "none"
]


class DischargeItemDecisionIn(Schema):
    item: UUID = Field(description="The open worklist item (alert or task) of the episode.")
    decision: Literal["close", "hand_to"] = Field(
        description="`close` a task (not a clinical alert), or `hand_to` a program director."
    )
    owner: UUID | None = Field(
        default=None, description="With `hand_to`: the program director's user public id."
    )


class DischargeIn(Schema):
    reason: DischargeReasonName
    discharged_on: date | None = Field(
        default=None,
        description="The organization's date. Empty with `dropped_out`: the last attended "
        "session's date.",
    )
    decisions: list[DischargeItemDecisionIn] = Field(
        default_factory=list,
        max_length=500,
        description="One decision for every open worklist item of the episode.",
    )


class SummaryEpisodeRefOut(Schema):
    public_id: UUID


class SummaryWeekHoursOut(Schema):
    week: str
    attended: str
    scheduled: str
    minimum: str
    met_minimum: bool


class SummaryHoursOut(Schema):
    attended: str = Field(description="Hours, as a decimal string.")
    weeks: int
    weeks_at_minimum: int
    minimum_per_week: str
    average_per_week: str
    by_week: list[SummaryWeekHoursOut]


class SummaryMeasureOut(Schema):
    code: str
    title: str
    baseline: int
    baseline_on: date
    latest: int
    latest_on: date
    delta: int | None
    scores: int
    reliable_improvement: bool
    reliable_deterioration: bool
    reliable_threshold: float | None


class SummaryObjectiveOut(Schema):
    description: str
    status: Literal["met", "not met", "in progress", "no data"]


class SummaryGoalOut(Schema):
    words: str
    objectives: list[SummaryObjectiveOut]


class SummaryDiagnosisOut(Schema):
    code: str = Field(description="ICD-10-CM")
    label: str


class SummaryRiskOut(Schema):
    on: date
    kind: str


class SummaryFiguresOut(Schema):
    program: str
    track: str
    admitted_on: date
    discharged_on: date
    length_of_stay_days: int
    reason: str
    reason_label: str
    hours: SummaryHoursOut
    measures: list[SummaryMeasureOut]
    joint_outcome: str
    plan_version: int = Field(description="The signed plan version the goals come from; 0: none.")
    goals: list[SummaryGoalOut]
    diagnoses: list[SummaryDiagnosisOut]
    risk: list[SummaryRiskOut] = Field(description="Urgent alerts of the stay: date and kind only.")


class AftercareAppointmentOut(Schema):
    public_id: UUID
    starts_at: datetime
    with_whom: str


class AftercareFollowUpOut(Schema):
    public_id: UUID
    instrument: str
    due_on: date


class AftercareOut(Schema):
    public_id: UUID
    step_down_level: StepDownName | Literal[""]
    step_down_label: str
    provider: str
    alumni_group: str
    crisis_steps: str
    notes_for_participant: str
    appointments: list[AftercareAppointmentOut]
    follow_ups: list[AftercareFollowUpOut]


class SummaryAddendumOut(Schema):
    public_id: UUID
    author_name: str
    author_credentials: str
    text: str
    created_at: datetime


class SummaryMissingOut(Schema):
    field: str
    message: str


class DischargeSummaryOut(Schema):
    public_id: UUID
    episode: SummaryEpisodeRefOut
    participant: ParticipantRef
    status: Literal["draft", "signed"]
    revision: int
    author: UserRef
    created_at: datetime
    signed_at: datetime | None
    signer_name: str
    signer_credentials: str
    figures: SummaryFiguresOut = Field(
        description="Assembled from the record each time while a draft; frozen at signing."
    )
    narrative: str
    aftercare: AftercareOut
    addenda: list[SummaryAddendumOut]
    missing_for_signing: list[SummaryMissingOut] = Field(
        description="What a draft still needs before it can be signed (on the page: signing "
        "needs the signer's password, so it is not offered over the API)."
    )


def figures_out(figures: dict[str, Any]) -> SummaryFiguresOut:
    return SummaryFiguresOut.model_validate(figures)
