"""The practice API: the safety part, under /api/v1/practice/ (docs/practice.md).

Read-only: a safety plan is written and signed with the participant, on the staff pages
(signing re-enters the password, which an API token cannot do)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.accounts.api import acting_user
from trellis.lib.api import error_responses
from trellis.practice.access import access_episode_safety_plans, access_safety_plan
from trellis.practice.models.safety import SafetyPlan

router = Router()


class SafetySectionOut(Schema):
    key: str
    heading: str
    items: list[str]


class SafetyPlanOut(Schema):
    public_id: str
    version: int
    status: str  # "draft" or "signed"
    signed_at: datetime | None
    signed_by: str
    acknowledged_at: datetime | None
    sections: list[SafetySectionOut]


def safety_plan_out(plan: SafetyPlan) -> SafetyPlanOut:
    return SafetyPlanOut(
        public_id=str(plan.public_id),
        version=plan.version,
        status="signed" if plan.is_signed else "draft",
        signed_at=plan.signed_at,
        signed_by=plan.signed_name,
        acknowledged_at=plan.acknowledged_at,
        sections=[
            SafetySectionOut(key=key, heading=heading, items=items)
            for key, heading, _, items in plan.section_rows()
        ],
    )


@router.get(
    "/episodes/{episode_id}/safety-plans",
    response={200: list[SafetyPlanOut], **error_responses(401, 403, 404)},
)
def list_safety_plans(request: HttpRequest, episode_id: str) -> list[SafetyPlanOut]:
    """Every version of the episode's safety plan, newest first (care team only)."""
    _, plans = access_episode_safety_plans(acting_user(request), episode_id)
    return [safety_plan_out(plan) for plan in plans]


@router.get(
    "/safety-plans/{plan_id}", response={200: SafetyPlanOut, **error_responses(401, 403, 404)}
)
def get_safety_plan(request: HttpRequest, plan_id: str) -> SafetyPlanOut:
    return safety_plan_out(access_safety_plan(acting_user(request), plan_id))
