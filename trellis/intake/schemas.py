"""API shapes for inquiries and the funnel (trellis/intake/api.py).

Fields are listed one by one: an inquiry is health information. Responses come in two scopes
(`intake.access`): directors and intake coordinators read everything ("clinical"); the front
desk reads contact details and status ("contact"), and the clinical fields (`reason`,
`close_note`, `history`) are present with the value null, so "not shown to you" (null) is
never mistaken for "none" (empty)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from trellis.intake.models import Inquiry, InquiryEvent, LevelOfCareDecision
from trellis.lib.api import PageOut
from trellis.programs.schemas import ProgramRef, program_ref

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.intake.actions import Admission
    from trellis.intake.queries import Funnel, WaitlistRow
    from trellis.programs.models import Track

# The choices of intake.models, spelled out so the OpenAPI document lists them (a test keeps
# them equal to the models').
InquiryStatusName = Literal[
    "new", "contacted", "screening", "decision", "admitted", "waitlisted", "referred", "closed"
]
InquirySourceName = Literal["phone", "web", "referral", "walk_in", "email", "other"]
ContactPreferenceName = Literal["phone", "text", "email"]
PreferredScheduleName = Literal["any", "day", "evening", "weekend"]
PaymentName = Literal[
    "unknown", "commercial", "medicaid", "medicare", "tricare", "self_pay", "other"
]
LoggedEventName = Literal["call", "note", "message"]
InquiryScopeName = Literal["contact", "clinical"]


class InquiryUserRef(Schema):
    public_id: UUID
    name: str


class InquiryListItemOut(Schema):
    public_id: UUID
    program: ProgramRef
    scope: InquiryScopeName = Field(description="How much of the inquiry you may see.")
    status: InquiryStatusName
    status_label: str = Field(examples=["Waiting on a decision"])
    status_changed_at: datetime
    received_at: datetime
    source: InquirySourceName
    referrer_organization: str
    display_name: str
    given_name: str
    family_name: str
    preferred_name: str
    phone: str
    email: str
    language: str
    consent_to_contact: bool
    contact_preference: ContactPreferenceName
    preferred_schedule: PreferredScheduleName
    payment: PaymentName
    owner: InquiryUserRef | None
    next_action: str
    next_action_due: date | None
    close_reason: str = Field(description="A CloseReason code when closed, else empty.")
    participant_id: UUID | None = Field(
        description="The person's participant record, once screening opened one."
    )
    reason: str | None = Field(
        description="Why they asked, in their words. Clinical: null at contact scope."
    )


class InquiryPageOut(PageOut):
    items: list[InquiryListItemOut]


class InquiryEventOut(Schema):
    public_id: UUID
    kind: str = Field(examples=["call"])
    kind_label: str
    at: datetime
    by: InquiryUserRef | None
    from_status: str
    to_status: str
    text: str


class InquiryOut(InquiryListItemOut):
    date_of_birth: date | None
    schedule_notes: str
    payer_name: str
    referrer_name: str
    referrer_contact: str
    close_note: str | None = Field(description="Clinical: null at contact scope.")
    history: list[InquiryEventOut] | None = Field(
        description="Calls, notes and changes, oldest first. Clinical: null at contact scope."
    )


def _iso_date(value: Any) -> Any:
    # pydantic would read a number as seconds since 1970: a typo must not become a date.
    if value is not None and not isinstance(value, str | date):
        raise ValueError("Give the date as text, YYYY-MM-DD.")
    return value


class InquiryIn(Schema):
    """A new inquiry: a phone call taken, a referral received, a walk-in."""

    program: UUID = Field(description="A program whose inquiries you work.")
    source: InquirySourceName
    given_name: str = Field(max_length=100, description="The name they go by, at least.")
    family_name: str = Field(default="", max_length=100)
    preferred_name: str = Field(default="", max_length=100)
    date_of_birth: date | None = Field(default=None, description="YYYY-MM-DD, if given.")
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    language: str = Field(default="en", max_length=35)
    consent_to_contact: bool = False
    contact_preference: ContactPreferenceName = "phone"
    reason: str = Field(default="", max_length=4000, description="In their own words.")
    preferred_schedule: PreferredScheduleName = "any"
    schedule_notes: str = Field(default="", max_length=200)
    payment: PaymentName = "unknown"
    payer_name: str = Field(default="", max_length=100)
    referrer_organization: str = Field(default="", max_length=150)
    referrer_name: str = Field(default="", max_length=150)
    referrer_contact: str = Field(default="", max_length=150)

    _dates = field_validator("date_of_birth", mode="before")(_iso_date)

    @field_validator("email")
    @classmethod
    def email_has_at_sign(cls, value: str) -> str:
        value = value.strip()
        if value and "@" not in value:
            raise ValueError("Enter an email address, like name@example.org.")
        return value


class InquiryStatusIn(Schema):
    status: InquiryStatusName = Field(
        description="Admission and the waitlist have their own steps: not here."
    )
    close_reason: str = Field(
        default="", max_length=20, description="Needed to close: a CloseReason code."
    )
    note: str = Field(default="", max_length=300)


class InquiryLogIn(Schema):
    kind: LoggedEventName
    text: str = Field(max_length=4000, description="What happened.")


class InquiryAssignIn(Schema):
    owner: UUID | None = Field(
        description="A user public id: an intake coordinator or director of the program; "
        "null to leave it unowned."
    )
    next_action: str = Field(default="", max_length=200)
    next_action_due: date | None = None

    _dates = field_validator("next_action_due", mode="before")(_iso_date)


class FunnelStageOut(Schema):
    key: Literal["received", "screened", "decided", "admitted"]
    label: str
    count: int
    percent_of_received: int | None = Field(description="Whole percent; null for the first.")
    percent_of_previous: int | None = Field(description="Whole percent of the step before.")


class FunnelSourceOut(Schema):
    source: InquirySourceName
    label: str
    received: int
    screened: int
    decided: int
    admitted: int


class FunnelDaysOut(Schema):
    n: int = Field(description="Inquiries of the period whose person attended a first session.")
    median: float | None = Field(description="Null when n is below `median_min_n`.")
    p90: int | None = Field(description="Nearest-rank; null when n is below `p90_min_n`.")
    median_min_n: int
    p90_min_n: int
    not_started: int = Field(description="Inquiries of the period without a session yet.")


class FunnelReasonOut(Schema):
    close_reason: str
    label: str
    count: int


class FunnelWaitlistPointOut(Schema):
    on: date
    count: int = Field(description="Episodes of the program on the waitlist that day.")


class FunnelOut(Schema):
    """Figures only, never names: the inquiries received from `start` to `end` (inclusive,
    the organization's dates), as they stand today."""

    program: ProgramRef
    start: date
    end: date
    stages: list[FunnelStageOut]
    sources: list[FunnelSourceOut]
    days_to_first_session: FunnelDaysOut
    closed_reasons: list[FunnelReasonOut]
    closed: int
    referred: int
    waitlist: list[FunnelWaitlistPointOut]


def _user_ref(user: User | None) -> InquiryUserRef | None:
    return None if user is None else InquiryUserRef(public_id=user.public_id, name=user.name)


def _item_fields(inquiry: Inquiry, clinical: bool) -> dict[str, Any]:
    return {
        "public_id": inquiry.public_id,
        "program": program_ref(inquiry.program),
        "scope": "clinical" if clinical else "contact",
        "status": inquiry.status,
        "status_label": inquiry.get_status_display(),
        "status_changed_at": inquiry.status_changed_at,
        "received_at": inquiry.received_at,
        "source": inquiry.source,
        "referrer_organization": inquiry.referrer_organization,
        "display_name": inquiry.display_name,
        "given_name": inquiry.given_name,
        "family_name": inquiry.family_name,
        "preferred_name": inquiry.preferred_name,
        "phone": inquiry.phone,
        "email": inquiry.email,
        "language": inquiry.language,
        "consent_to_contact": inquiry.consent_to_contact,
        "contact_preference": inquiry.contact_preference,
        "preferred_schedule": inquiry.preferred_schedule,
        "payment": inquiry.payment,
        "owner": _user_ref(inquiry.owner),
        "next_action": inquiry.next_action,
        "next_action_due": inquiry.next_action_due,
        "close_reason": inquiry.close_reason,
        "participant_id": inquiry.participant.public_id if inquiry.participant else None,
        "reason": inquiry.reason if clinical else None,
    }


def inquiry_item(inquiry: Inquiry, *, clinical: bool) -> InquiryListItemOut:
    return InquiryListItemOut(**_item_fields(inquiry, clinical))


def inquiry_event_out(event: InquiryEvent) -> InquiryEventOut:
    return InquiryEventOut(
        public_id=event.public_id,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        at=event.at,
        by=_user_ref(event.by),
        from_status=event.from_status,
        to_status=event.to_status,
        text=event.text,
    )


def inquiry_out(
    inquiry: Inquiry, *, clinical: bool, history: list[InquiryEvent] | None
) -> InquiryOut:
    return InquiryOut(
        **_item_fields(inquiry, clinical),
        date_of_birth=inquiry.date_of_birth,
        schedule_notes=inquiry.schedule_notes,
        payer_name=inquiry.payer_name,
        referrer_name=inquiry.referrer_name,
        referrer_contact=inquiry.referrer_contact,
        close_note=inquiry.close_note if clinical else None,
        history=[inquiry_event_out(e) for e in history] if clinical and history is not None
        else None,
    )  # fmt: skip


def funnel_out(figures: Funnel) -> FunnelOut:
    days = figures.days
    return FunnelOut(
        program=program_ref(figures.program),
        start=figures.start,
        end=figures.end,
        stages=[
            FunnelStageOut(
                key=s.key,  # type: ignore[arg-type]  # one of the four keys funnel() makes
                label=s.label,
                count=s.count,
                percent_of_received=s.of_received,
                percent_of_previous=s.of_previous,
            )
            for s in figures.stages
        ],
        sources=[
            FunnelSourceOut(
                source=r.source,  # type: ignore[arg-type]  # an InquirySource code
                label=r.label,
                received=r.received,
                screened=r.screened,
                decided=r.decided,
                admitted=r.admitted,
            )
            for r in figures.sources
        ],
        days_to_first_session=FunnelDaysOut(
            n=days.n,
            median=days.median,
            p90=days.p90,
            median_min_n=days.median_min_n,
            p90_min_n=days.p90_min_n,
            not_started=days.waiting,
        ),
        closed_reasons=[
            FunnelReasonOut(close_reason=r.code, label=r.label, count=r.count)
            for r in figures.closed_reasons
        ],
        closed=figures.closed,
        referred=figures.referred,
        waitlist=[FunnelWaitlistPointOut(on=p.on, count=p.count) for p in figures.waitlist],
    )


# --- the level-of-care decision, admission and the waitlist ------------------------------

LevelName = Literal["inpatient", "residential", "partial", "iop", "outpatient", "refer"]
ClinicianKindName = Literal[
    "therapist", "counselor", "prescriber", "nurse", "case_manager", "peer_specialist"
]
ConsentMethodName = Literal["tablet", "paper", "to_follow"]
WaitlistStatusName = Literal["waiting", "offered", "admitted", "left"]


class LevelOfCareDecisionIn(Schema):
    accept: bool = Field(description="true: the recommendation's level and track; false: override.")
    level: LevelName | None = Field(default=None, description="The level decided (an override).")
    track: UUID | None = Field(default=None, description="Track public id (intensive outpatient).")
    rationale: str = Field(default="", description="The clinical rationale (an override).")
    destination: str = Field(default="", description="Where the person is referred (elsewhere).")


class LevelOfCareDecisionOut(Schema):
    public_id: UUID
    inquiry_status: InquiryStatusName
    recommended_level: LevelName
    accepted: bool
    level: LevelName
    level_label: str
    track: UUID | None
    rationale: str
    destination: str
    decided_by: InquiryUserRef | None
    decided_at: datetime


class AdmissionConsentIn(Schema):
    document: str = Field(description="The consent form's key, e.g. treatment.")
    method: ConsentMethodName
    typed_name: str = Field(default="", description="On the tablet: the name typed.")
    agreed: bool = Field(default=False, description="On the tablet: the box ticked.")
    signed_on: date | None = Field(default=None, description="On paper: the date signed.")


class AdmissionIn(Schema):
    track: UUID = Field(description="Track public id.")
    admitted_on: date
    primary: UUID = Field(description="The primary clinician (a user's public id).")
    primary_role: ClinicianKindName = "therapist"
    others: list[UUID] = Field(default=[], description="More care-team members (users).")
    consents: list[AdmissionConsentIn] = Field(default=[])
    mrn: str = Field(default="", description="For a person without a record yet.")
    date_of_birth: date | None = None
    capacity_override: str = Field(default="", description="Why admit over a full track.")


class FirstSessionOut(Schema):
    date: date
    start_time: str
    series: str


class AdmissionOut(Schema):
    inquiry: UUID
    participant_id: UUID
    episode_id: UUID
    track: UUID | None
    admitted_on: date | None
    first_session: FirstSessionOut | None
    rosters: list[str]
    baseline_reused: list[str]
    baseline_scheduled: list[str]
    plan_task: bool


class WaitlistMoveOut(Schema):
    at: datetime
    by: InquiryUserRef | None
    from_rank: int | None
    to_rank: int | None
    reason: str


class WaitlistEntryOut(Schema):
    public_id: UUID
    position: int
    status: WaitlistStatusName
    inquiry: UUID
    display_name: str
    waiting_since: datetime
    step_down: bool
    offered_start: date | None
    expected_start: date | None
    # Directors and intake coordinators only (null for the front desk): why the order changed.
    moves: list[WaitlistMoveOut] | None


class WaitlistOut(Schema):
    track: UUID
    track_name: str
    program: ProgramRef
    capacity: int
    seats_taken: int
    manages: bool
    entries: list[WaitlistEntryOut]


class WaitlistMoveIn(Schema):
    position: int = Field(description="The new position, 1 is first.")
    reason: str = Field(description="Why the order changes (kept in the history).")


def decision_out(decision: LevelOfCareDecision, inquiry: Inquiry) -> LevelOfCareDecisionOut:
    return LevelOfCareDecisionOut(
        public_id=decision.public_id,
        inquiry_status=inquiry.status,  # type: ignore[arg-type]
        recommended_level=decision.recommended_level,  # type: ignore[arg-type]
        accepted=decision.accepted,
        level=decision.level,  # type: ignore[arg-type]
        level_label=decision.get_level_display(),
        track=decision.track.public_id if decision.track else None,
        rationale=decision.rationale,
        destination=decision.destination,
        decided_by=_user_ref(decision.decided_by),
        decided_at=decision.decided_at,
    )


def admission_out(inquiry: Inquiry, done: Admission) -> AdmissionOut:
    episode = done.episode
    slot = done.first_session
    return AdmissionOut(
        inquiry=inquiry.public_id,
        participant_id=episode.participant.public_id,
        episode_id=episode.public_id,
        track=episode.track.public_id if episode.track else None,
        admitted_on=episode.admitted_on,
        first_session=None
        if slot is None
        else FirstSessionOut(
            date=slot.date, start_time=slot.start_time.isoformat("minutes"), series=slot.series.name
        ),
        rosters=done.rosters,
        baseline_reused=done.baseline_reused,
        baseline_scheduled=done.baseline_scheduled,
        plan_task=done.plan_task is not None,
    )


def waitlist_out(
    track: Track, rows: list[WaitlistRow], *, taken: int, manages: bool
) -> WaitlistOut:
    return WaitlistOut(
        track=track.public_id,
        track_name=track.name,
        program=program_ref(track.program),
        capacity=track.capacity,
        seats_taken=taken,
        manages=manages,
        entries=[
            WaitlistEntryOut(
                public_id=row.entry.public_id,
                position=row.position,
                status=row.entry.status,  # type: ignore[arg-type]
                inquiry=row.entry.inquiry.public_id,
                display_name=row.entry.inquiry.display_name,
                waiting_since=row.entry.waitlisted_at,
                step_down=row.entry.step_down,
                offered_start=row.entry.offered_start,
                expected_start=row.expected_start,
                moves=[
                    WaitlistMoveOut(
                        at=m.at,
                        by=_user_ref(m.by),
                        from_rank=m.from_rank,
                        to_rank=m.to_rank,
                        reason=m.reason,
                    )
                    for m in getattr(row.entry, "moves", [])
                ]
                if manages
                else None,
            )
            for row in rows
        ],
    )
