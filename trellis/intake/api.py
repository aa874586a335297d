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

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record_many
from trellis.intake.access import (
    InquiryAccess,
    access_inquiry,
    inquiry_programs,
    inquiry_role,
    may_own_inquiry,
)
from trellis.intake.actions import (
    InquiryDetails,
    check_change_inquiry_status,
    check_create_inquiry,
    do_assign_inquiry,
    do_log_inquiry_event,
)
from trellis.intake.queries import (
    clinical_inquiry_program_ids,
    default_funnel_period,
    funnel,
    funnel_period_errors,
    funnel_programs,
    inquiry_history,
    inquiry_list,
)
from trellis.intake.schemas import (
    FunnelOut,
    InquiryAssignIn,
    InquiryEventOut,
    InquiryIn,
    InquiryLogIn,
    InquiryOut,
    InquiryPageOut,
    InquiryStatusIn,
    InquiryStatusName,
    funnel_out,
    inquiry_event_out,
    inquiry_item,
    inquiry_out,
)
from trellis.intake.views.funnel import record_funnel_view
from trellis.lib.api import PageQuery, error_responses
from trellis.privacy.access import deny_object

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
