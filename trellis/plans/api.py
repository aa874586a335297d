"""Plans over JSON, mounted at /api/v1/plans/ (trellis/api.py). Same access and audit as the
pages: care team and directors read; they and the care team write drafts. Signing stays on
the pages (it needs the password re-entered)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.audit.models import Action
from trellis.lib.api import MAX_COUNTER, error_responses
from trellis.plans import actions, diagnoses, queries
from trellis.plans import content as plan_content
from trellis.plans.access import access_clinical_episode
from trellis.plans.models import PlanTemplate, PlanVersion

router = Router(tags=["plans"])


class DiagnosisOut(Schema):
    code: str
    title: str


class DiagnosisQuery(Schema):
    q: str = Field(default="", max_length=60, description="Code prefix or words of the title.")


class ProgressOut(Schema):
    objective: str = Field(description="Objective key")
    value: float | None
    met: bool | None
    source: str


class VersionOut(Schema):
    public_id: UUID
    number: int
    status: str
    revision: int = Field(description="Send back with edits (optimistic concurrency).")
    content: plan_content.PlanContent
    signed_at: datetime | None
    signer_name: str
    signer_credentials: str
    unchanged_from_template: bool
    acknowledged_at: datetime | None


class VersionSummaryOut(Schema):
    number: int
    status: str
    signed_at: datetime | None


class PlanOut(Schema):
    public_id: UUID
    episode: UUID
    review_due_on: date | None
    review_reason: str
    versions: list[VersionSummaryOut]
    current: VersionOut | None = Field(description="The latest signed version.")
    progress: list[ProgressOut]


class DraftIn(Schema):
    revision: int = Field(ge=0, le=MAX_COUNTER)
    content: plan_content.PlanContent


class StartIn(Schema):
    template: UUID | None = None


class PlanConflictOut(Schema):
    detail: str
    current: VersionOut


def version_out(version: PlanVersion) -> VersionOut:
    return VersionOut(
        public_id=version.public_id,
        number=version.number,
        status=version.status,
        revision=version.revision,
        content=plan_content.load(version.content),
        signed_at=version.signed_at,
        signer_name=version.signer_name,
        signer_credentials=version.signer_credentials,
        unchanged_from_template=version.unchanged_from_template,
        acknowledged_at=version.acknowledged_at,
    )


@router.get("/diagnoses", response={200: list[DiagnosisOut], **error_responses(401, 403)})
def search_diagnoses(request: HttpRequest, filters: Query[DiagnosisQuery]) -> list[DiagnosisOut]:
    """Search the bundled ICD-10-CM subset (check it against the current fiscal year)."""
    acting_user(request)
    return [DiagnosisOut(code=d.code, title=d.title) for d in diagnoses.search(filters.q)]


@router.get(
    "/participants/{public_id}",
    response={200: PlanOut, **error_responses(401, 403, 404)},
    summary="A participant's treatment plan",
)
def get_plan(request: HttpRequest, public_id: str) -> PlanOut:
    """The plan of the participant's current episode you may open clinically: versions,
    the latest signed version and its objectives' progress."""
    ca = access_clinical_episode(acting_user(request), public_id)
    tab = queries.plan_tab(ca.episode)
    if tab.plan is None:
        raise_not_found()
    assert tab.plan is not None  # noqa: S101  # raise_not_found raised
    progress = []
    if tab.current is not None:
        for block in tab.current.problems:
            for goal in block.goals:
                progress += [
                    ProgressOut(
                        objective=row.objective.key,
                        value=row.progress.value if row.progress else None,
                        met=row.progress.met if row.progress else None,
                        source=row.progress.source if row.progress else "",
                    )
                    for row in goal.objectives
                ]
    return PlanOut(
        public_id=tab.plan.public_id,
        episode=ca.episode.public_id,
        review_due_on=tab.plan.review_due_on,
        review_reason=tab.plan.review_reason,
        versions=[
            VersionSummaryOut(number=v.number, status=v.status, signed_at=v.signed_at)
            for v in tab.versions
        ],
        current=version_out(tab.current.version) if tab.current else None,
        progress=progress,
    )


def raise_not_found() -> None:
    from django.http import Http404

    raise Http404


@router.get(
    "/participants/{public_id}/versions/{number}",
    response={200: VersionOut, **error_responses(401, 403, 404)},
)
def get_version(request: HttpRequest, public_id: str, number: int) -> VersionOut:
    ca = access_clinical_episode(acting_user(request), public_id)
    version = queries.version_numbered(ca.episode, number)
    if version is None:
        raise_not_found()
    assert version is not None  # noqa: S101  # raise_not_found raised
    return version_out(version)


@router.post(
    "/participants/{public_id}/draft",
    response={201: VersionOut, **error_responses(401, 403, 404, 422)},
    summary="Open the draft (new plan, or a revision of the signed one)",
)
def start_draft(request: HttpRequest, public_id: str, payload: StartIn) -> Status[VersionOut]:
    user = acting_user(request)
    ca = access_clinical_episode(user, public_id, action=Action.UPDATE)
    ca.require_write()
    template = None
    if payload.template is not None:
        template = PlanTemplate.objects.filter(
            public_id=payload.template, program_id=ca.episode.program_id
        ).first()
    return Status(201, version_out(actions.check_start_plan(user, ca.episode, template=template)))


@router.put(
    "/participants/{public_id}/draft",
    response={200: VersionOut, 409: PlanConflictOut, **error_responses(401, 403, 404, 422)},
    summary="Save the draft",
)
def save_draft(
    request: HttpRequest, public_id: str, payload: DraftIn
) -> VersionOut | Status[PlanConflictOut]:
    """Replace the draft's content. `revision` must be the one you read: if someone saved in
    between, nothing is written and 409 returns what is saved now."""
    user = acting_user(request)
    ca = access_clinical_episode(user, public_id, action=Action.UPDATE)
    ca.require_write()
    draft = queries.draft_of(ca.episode)
    if draft is None:
        raise_not_found()
    assert draft is not None  # noqa: S101  # raise_not_found raised
    try:
        saved = actions.check_save_draft(user, draft, payload.content, revision=payload.revision)
    except actions.EditConflict as conflict:
        return Status(
            409,
            PlanConflictOut(
                detail="The draft was saved by someone else since you read it.",
                current=version_out(conflict.current),
            ),
        )
    return version_out(saved)
