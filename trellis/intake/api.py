"""Inquiries and the funnel over JSON, under /api/v1/intake/: the same access gate, actions
and audit trail as the pages (docs/api.md, "Intake").

Opening one inquiry goes through `access_inquiry` (a view event, or a deny event and the 404
that a missing inquiry gets). A list records one `list` event per inquiry it returned. Moving
an inquiry, logging a call and assigning it are for the program's intake coordinators and
directors (the front desk gets the same audited 404 as for an inquiry it may not see); the
front desk reads contact details and status and takes new inquiries."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record_list, record_many
from trellis.intake.access import (
    InquiryAccess,
    access_inquiry,
    access_screening,
    access_waitlist,
    access_waitlist_entry,
    inquiry_programs,
    inquiry_role,
    may_decide_level_of_care,
    may_own_inquiry,
)
from trellis.intake.actions import (
    AdmissionDetails,
    ConsentEntry,
    InquiryDetails,
    check_admit,
    check_change_inquiry_status,
    check_create_inquiry,
    check_decide_level_of_care,
    check_move_entry,
    do_assign_inquiry,
    do_log_inquiry_event,
    do_seed_consent_documents,
)
from trellis.intake.queries import (
    active_consents,
    care_team_candidates,
    clinical_inquiry_program_ids,
    default_funnel_period,
    funnel,
    funnel_period_errors,
    funnel_programs,
    inquiry_history,
    inquiry_list,
    program_rules,
    screening_facts,
    screening_view,
    seats_taken,
    waitlist_rows,
)
from trellis.intake.rules import recommend
from trellis.intake.schemas import (
    AdmissionIn,
    AdmissionOut,
    FunnelOut,
    InquiryAssignIn,
    InquiryEventOut,
    InquiryIn,
    InquiryLogIn,
    InquiryOut,
    InquiryPageOut,
    InquiryStatusIn,
    InquiryStatusName,
    LevelOfCareDecisionIn,
    LevelOfCareDecisionOut,
    WaitlistMoveIn,
    WaitlistOut,
    admission_out,
    decision_out,
    funnel_out,
    inquiry_event_out,
    inquiry_item,
    inquiry_out,
    waitlist_out,
)
from trellis.intake.views.funnel import record_funnel_view
from trellis.lib.api import PageQuery, error_responses
from trellis.privacy.access import deny_object
from trellis.programs.models import Program, Track

if TYPE_CHECKING:
    from trellis.intake.models import Inquiry

router = Router(tags=["intake"])


class InquiryQuery(PageQuery):
    program: UUID | None = Field(default=None, description="Program public id.")
    status: InquiryStatusName | None = Field(default=None, description="Inquiry status.")


class FunnelQuery(Schema):
    program: UUID = Field(description="A program you direct.")
    start: date | None = Field(default=None, description="First day; default 90 days back.")
    end: date | None = Field(default=None, description="Last day; default today.")


def _out(opened: InquiryAccess) -> InquiryOut:
    inquiry = opened.inquiry
    history = inquiry_history(inquiry)[::-1] if opened.clinical else None
    return inquiry_out(inquiry, clinical=opened.clinical, history=history)


def _open_for_work(user: User, inquiry_id: str) -> InquiryAccess:
    """The inquiry, for a change: the program's intake coordinators and directors only (the
    front desk gets the audited 404, as for the history it may not read)."""
    return access_inquiry(user, inquiry_id, clinical=True, action=Action.UPDATE)


@router.get(
    "/inquiries",
    response={200: InquiryPageOut, **error_responses(401, 403, 422)},
    summary="Inquiries you may see",
)
def list_inquiries(request: HttpRequest, filters: Query[InquiryQuery]) -> InquiryPageOut:
    """Inquiries of the programs whose inquiries you work, newest first. The front desk's
    items carry `reason: null`. Each inquiry returned is recorded in the audit trail."""
    user = acting_user(request)
    inquiries = inquiry_list(user, program=filters.program, status=filters.status)
    count = inquiries.count()
    page: list[Inquiry] = list(inquiries[filters.offset : filters.offset + filters.limit])
    clinical = clinical_inquiry_program_ids(user)
    detail = {
        "program": str(filters.program or ""),
        "status": filters.status or "",
        "offset": filters.offset,
        "limit": filters.limit,
        "results": count,
        "via": "api",
    }
    # One event per inquiry shown (most have no participant record yet, so a per-person
    # list event would name nobody); an empty page still records the search.
    specs = [
        EventSpec(
            Action.LIST,
            participant=inquiry.participant,
            obj=inquiry,
            purpose=Purpose.HOPERAT,
            detail=detail,
        )
        for inquiry in page
    ] or [
        EventSpec(Action.LIST, object_type="intake.inquiry", purpose=Purpose.HOPERAT, detail=detail)
    ]
    record_many(user, specs)
    return InquiryPageOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        items=[inquiry_item(i, clinical=i.program_id in clinical) for i in page],
    )


@router.post(
    "/inquiries",
    response={201: InquiryOut, **error_responses(401, 403, 422)},
    summary="Record a new inquiry",
)
def create_inquiry(request: HttpRequest, payload: InquiryIn) -> Status[InquiryOut]:
    """A phone call, a referral or a walk-in, for a program whose inquiries you work
    (directors, intake coordinators, front desk). Nothing is written unless all is valid."""
    user = acting_user(request)
    program = next((p for p in inquiry_programs(user) if p.public_id == payload.program), None)
    if program is None:
        raise ValidationError({"program": "Unknown program, or not one whose inquiries you work."})
    details = InquiryDetails(
        **{field.name: getattr(payload, field.name) for field in fields(InquiryDetails)}
    )
    inquiry = check_create_inquiry(user, program, details)
    role = inquiry_role(user, program)
    clinical = role is not None and role[1]
    # The creation is audited; reading back what was just entered is not a new view.
    history = inquiry_history(inquiry)[::-1] if clinical else None
    return Status(201, inquiry_out(inquiry, clinical=clinical, history=history))


@router.get(
    "/inquiries/{inquiry_id}",
    response={200: InquiryOut, **error_responses(401, 403, 404)},
    summary="One inquiry",
)
def get_inquiry(request: HttpRequest, inquiry_id: str) -> InquiryOut:
    """Contact details and status; for intake coordinators and directors also the reason in
    the person's words and the history."""
    return _out(access_inquiry(acting_user(request), inquiry_id))


@router.post(
    "/inquiries/{inquiry_id}/status",
    response={200: InquiryOut, **error_responses(401, 403, 404, 422)},
    summary="Move an inquiry to another status",
)
def change_inquiry_status(
    request: HttpRequest, inquiry_id: str, payload: InquiryStatusIn
) -> InquiryOut:
    """Along the inquiry's transitions (docs/intake-and-discharge.md). Closing needs a
    `close_reason`; admission and the waitlist have their own steps."""
    user = acting_user(request)
    opened = _open_for_work(user, inquiry_id)
    check_change_inquiry_status(
        user, opened.inquiry, payload.status, close_reason=payload.close_reason, note=payload.note
    )
    return _out(opened)


@router.post(
    "/inquiries/{inquiry_id}/events",
    response={201: InquiryEventOut, **error_responses(401, 403, 404, 422)},
    summary="Log a call, a note or a message sent",
)
def log_inquiry_event(
    request: HttpRequest, inquiry_id: str, payload: InquiryLogIn
) -> Status[InquiryEventOut]:
    user = acting_user(request)
    opened = _open_for_work(user, inquiry_id)
    event = do_log_inquiry_event(user, opened.inquiry, payload.kind, payload.text)
    return Status(201, inquiry_event_out(event))


@router.post(
    "/inquiries/{inquiry_id}/assign",
    response={200: InquiryOut, **error_responses(401, 403, 404, 422)},
    summary="Choose who works an inquiry and what happens next",
)
def assign_inquiry(request: HttpRequest, inquiry_id: str, payload: InquiryAssignIn) -> InquiryOut:
    """The owner must be an intake coordinator or director of the inquiry's program."""
    user = acting_user(request)
    opened = _open_for_work(user, inquiry_id)
    owner: User | None = None
    if payload.owner is not None:
        owner = User.objects.filter(public_id=payload.owner, is_active=True).first()
        if owner is None or not may_own_inquiry(owner, opened.inquiry.program):
            raise ValidationError(
                {"owner": "Choose an intake coordinator or director of the program."}
            )
    if payload.next_action_due is not None and not payload.next_action.strip():
        raise ValidationError({"next_action": "Say what the next action is for its due date."})
    do_assign_inquiry(
        user,
        opened.inquiry,
        owner=owner,
        next_action=payload.next_action,
        next_action_due=payload.next_action_due,
    )
    return _out(opened)


@router.get(
    "/funnel",
    response={200: FunnelOut, **error_responses(401, 403, 404, 422)},
    summary="The intake funnel of a program",
)
def get_funnel(request: HttpRequest, filters: Query[FunnelQuery]) -> FunnelOut:
    """For the program's directors: figures only, never names (the page /intake/funnel/
    shows the same). Reading it is one audited view."""
    user = acting_user(request)
    program = next((p for p in funnel_programs(user) if p.public_id == filters.program), None)
    if program is None:
        raise deny_object(
            user, object_type="intake.funnel", object_id=filters.program, purpose=Purpose.HOPERAT
        )
    default_start, default_end = default_funnel_period(program)
    end = filters.end or default_end
    start = filters.start or min(default_start, end)
    errors = funnel_period_errors(program, start, end)
    if errors:
        raise ValidationError(errors)
    figures = funnel(program, start, end)
    record_funnel_view(user, figures)
    return funnel_out(figures)


# --- the level-of-care decision, admission, the waitlist -----------------------------------


@router.post(
    "/inquiries/{inquiry_id}/decision",
    response={201: LevelOfCareDecisionOut, **error_responses(401, 403, 404, 422)},
    summary="Decide the level of care",
)
def decide_level_of_care(
    request: HttpRequest, inquiry_id: str, payload: LevelOfCareDecisionIn
) -> Status[LevelOfCareDecisionOut]:
    """Accept the screening's recommendation or override it with a rationale, as on the
    screening page: the program's directors and clinicians decide (`may_decide_level_of_care`);
    an intake coordinator who may read the screening gets 403, anyone else the audited 404.
    A level elsewhere needs a `destination` and moves the inquiry to "referred"."""
    user = acting_user(request)
    inquiry = access_screening(user, inquiry_id, action=Action.UPDATE).inquiry
    if not may_decide_level_of_care(user, inquiry.program):
        raise PermissionDenied("Only a director or clinician of the program decides.")
    view = screening_view(inquiry)
    if view.screening is None or not view.screening.is_complete:
        raise ValidationError({"__all__": "The screening is not complete yet."})
    rules, _own = program_rules(inquiry.program)
    recommendation = recommend(rules, screening_facts(inquiry, view))
    track = None
    if payload.track is not None:
        track = next(
            (t for t in _open_tracks(inquiry.program) if t.public_id == payload.track), None
        )
        if track is None:
            raise ValidationError({"track": "Choose an open track of this program."})
    decision = check_decide_level_of_care(
        user,
        inquiry,
        recommendation,
        accept=payload.accept,
        level=payload.level or "",
        track=track,
        rationale=payload.rationale,
        destination=payload.destination,
    )
    return Status(201, decision_out(decision, inquiry))


def _open_tracks(program: Program) -> list[Track]:
    return list(program.tracks.filter(is_active=True).order_by("name"))


def _admission_details(inquiry: Inquiry, payload: AdmissionIn) -> AdmissionDetails:
    """The payload's public ids as the records `check_admit` takes; an unknown one is a 422 on
    its field (as the page's choices)."""
    program = inquiry.program
    errors: dict[str, str] = {}
    track = next((t for t in _open_tracks(program) if t.public_id == payload.track), None)
    if track is None:
        errors["track"] = f"Choose one of {program.name}'s tracks."
    staff = {u.public_id: (u, kind) for u, kind in care_team_candidates(program)}
    primary = staff.get(payload.primary)
    if primary is None:
        errors["primary"] = "Choose a clinician or director of the program."
    others = []
    for public_id in payload.others:
        if public_id not in staff:
            errors["others"] = "Each care-team member must be a clinician or director here."
        elif primary is None or public_id != primary[0].public_id:
            others.append(staff[public_id])
    do_seed_consent_documents(None, program)
    documents = {d.key: d for d in active_consents(program)}
    consents = []
    for entry in payload.consents:
        document = documents.get(entry.document)
        if document is None:
            errors[f"consent_{entry.document[:40]}"] = "Not a current consent form here."
            continue
        consents.append(
            ConsentEntry(
                document=document,
                method=entry.method,
                typed_name=entry.typed_name,
                agreed=entry.agreed,
                signed_on=entry.signed_on,
            )
        )
    if errors or track is None or primary is None:
        raise ValidationError(errors)
    return AdmissionDetails(
        track=track,
        admitted_on=payload.admitted_on,
        primary=primary[0],
        primary_role=payload.primary_role,
        others=others,
        consents=consents,
        mrn=payload.mrn,
        date_of_birth=payload.date_of_birth,
        capacity_override=payload.capacity_override,
    )


@router.post(
    "/inquiries/{inquiry_id}/admit",
    response={201: AdmissionOut, **error_responses(401, 403, 404, 422)},
    summary="Admit a decided inquiry",
)
def admit_inquiry(
    request: HttpRequest, inquiry_id: str, payload: AdmissionIn
) -> Status[AdmissionOut]:
    """The admission page's one transaction (`check_admit`): the track (a full one needs a
    `capacity_override` reason), the date, the care team, each required consent and, for a
    person without a record, MRN and date of birth. For the program's directors and intake
    coordinators; nothing is written unless everything is valid."""
    user = acting_user(request)
    inquiry = access_inquiry(
        user, inquiry_id, clinical=True, paperwork=True, action=Action.UPDATE
    ).inquiry
    done = check_admit(user, inquiry, _admission_details(inquiry, payload))
    return Status(201, admission_out(inquiry, done))


@router.get(
    "/waitlists/{track_id}",
    response={200: WaitlistOut, **error_responses(401, 403, 404)},
    summary="A track's waitlist, in order",
)
def get_waitlist(request: HttpRequest, track_id: str) -> WaitlistOut:
    """Who waits, in order, since when and their expected start (as the waitlist page).
    Directors and intake coordinators also read each reordering and its reason; the front
    desk gets `moves: null`. One `list` event per person shown."""
    user = acting_user(request)
    gate = access_waitlist(user, track_id)
    track = gate.track
    rows = waitlist_rows(track, track.program.organization.today())
    record_list(
        user,
        object_type="intake.waitlistentry",
        participants=[row.entry.episode.participant for row in rows],
        purpose=Purpose.HOPERAT,
        role=gate.role,
        detail={"track": str(track.public_id), "via": "api"},
    )
    return waitlist_out(track, rows, taken=seats_taken(track), manages=gate.manages)


@router.post(
    "/waitlists/{track_id}/entries/{waitlist_entry_id}/move",
    response={200: WaitlistOut, **error_responses(401, 403, 404, 422)},
    summary="Move someone on a waitlist",
)
def move_waitlist_entry(
    request: HttpRequest, track_id: str, waitlist_entry_id: str, payload: WaitlistMoveIn
) -> WaitlistOut:
    """To another position, with the reason (kept, encrypted, in the entry's history). For
    the program's directors and intake coordinators. Answers the waitlist as it now is."""
    user = acting_user(request)
    entry = access_waitlist_entry(user, waitlist_entry_id)
    if str(entry.track.public_id) != str(track_id):
        raise deny_object(
            user,
            object_type="intake.waitlistentry",
            object_id=waitlist_entry_id,
            purpose=Purpose.HOPERAT,
        )
    check_move_entry(user, entry, payload.position, payload.reason)
    track = entry.track
    rows = waitlist_rows(track, track.program.organization.today())
    return waitlist_out(track, rows, taken=seats_taken(track), manages=True)
