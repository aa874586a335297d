"""The practice API: the library part, under /api/v1/practice/ (docs/practice.md).

The library is organization set-up: every staff member and participant of the organization
reads it; program directors and organization administrators import worksheet definitions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.accounts.models import User
from trellis.lib.api import NOT_FOUND, error_responses
from trellis.lib.ids import lookup_id
from trellis.practice.actions.library import check_import_worksheets
from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.queries.library import (
    library_modules,
    library_organization,
    may_edit_library,
)
from trellis.programs.models import Organization

router = Router()


class SkillOut(Schema):
    public_id: str
    module: str
    name: str
    acronym: str
    label: str
    summary: str
    steps: list[str]
    links: list[dict[str, str]]


class ModuleOut(Schema):
    public_id: str
    name: str
    approach: str
    description: str
    skills: list[SkillOut]


class WorksheetOut(Schema):
    public_id: str
    code: str
    version: int
    title: str
    description: str
    is_current: bool
    skill_id: str | None
    fields: list[dict[str, Any]]


class WorksheetIn(Schema):
    code: str
    title: str
    description: str = ""
    skill: str | None = None
    fields: list[dict[str, Any]]


class ImportErrorOut(Schema):
    detail: str
    problems: list[str]


def _organization(user: User, request: HttpRequest) -> Organization:
    """The caller's library: for staff in several organizations, `?organization=<public id>`
    chooses (default: the first by name), as the library pages' selector does."""
    organization = library_organization(user, request.GET.get("organization"))
    if organization is None:
        raise PermissionDenied("The library is for the organization's staff and participants.")
    return organization


def _skill_out(skill: Skill, module_name: str) -> SkillOut:
    return SkillOut(
        public_id=str(skill.public_id),
        module=module_name,
        name=skill.name,
        acronym=skill.acronym,
        label=skill.label,
        summary=skill.summary,
        steps=list(skill.steps),
        links=list(skill.links),
    )


def _worksheet_out(row: WorksheetDefinition) -> WorksheetOut:
    return WorksheetOut(
        public_id=str(row.public_id),
        code=row.code,
        version=row.version,
        title=row.title,
        description=row.description,
        is_current=row.is_current,
        skill_id=str(row.skill.public_id) if row.skill else None,
        fields=row.fields,
    )


@router.get("/library", response={200: list[ModuleOut], **error_responses(401, 403)})
def list_library(request: HttpRequest) -> list[ModuleOut]:
    """The organization's modules and their skills, in teaching order."""
    organization = _organization(acting_user(request), request)
    return [
        ModuleOut(
            public_id=str(module.public_id),
            name=module.name,
            approach=module.approach,
            description=module.description,
            skills=[_skill_out(skill, module.name) for skill in module.skills.all()],
        )
        for module in library_modules(organization)
    ]


@router.get("/skills/{skill_id}", response={200: SkillOut, **error_responses(401, 403, 404)})
def get_skill(request: HttpRequest, skill_id: str) -> SkillOut:
    organization = _organization(acting_user(request), request)
    skill = (
        Skill.objects.filter(
            module__organization=organization, is_active=True, public_id=lookup_id(skill_id)
        )
        .select_related("module")
        .first()
    )
    if skill is None:
        raise Http404(NOT_FOUND)
    return _skill_out(skill, skill.module.name)


@router.get("/worksheets", response={200: list[WorksheetOut], **error_responses(401, 403)})
def list_worksheets(request: HttpRequest, all_versions: bool = False) -> list[WorksheetOut]:
    """The current worksheet definitions (every version with `all_versions=true`)."""
    organization = _organization(acting_user(request), request)
    rows = WorksheetDefinition.objects.filter(organization=organization).select_related("skill")
    if not all_versions:
        rows = rows.filter(is_current=True)
    return [_worksheet_out(row) for row in rows.order_by("code", "-version")]


@router.get("/worksheets/{code}", response={200: WorksheetOut, **error_responses(401, 403, 404)})
def get_worksheet(request: HttpRequest, code: str, version: int | None = None) -> WorksheetOut:
    """One worksheet definition: the current version, or `version`."""
    organization = _organization(acting_user(request), request)
    rows = WorksheetDefinition.objects.filter(organization=organization, code=code)
    row = (
        (rows.filter(version=version) if version is not None else rows.filter(is_current=True))
        .select_related("skill")
        .first()
    )
    if row is None:
        raise Http404(NOT_FOUND)
    return _worksheet_out(row)


@router.post(
    "/worksheets",
    response={
        200: WorksheetOut,
        201: WorksheetOut,
        400: ImportErrorOut,
        **error_responses(401, 403, 422),
    },
)
def import_worksheet(request: HttpRequest, payload: WorksheetIn) -> Status[Any]:
    """Import a definition, checked as `manage.py import_worksheets` checks it: 201 with the
    new version, 200 if the current version already has this content, 400 naming every
    problem (nothing stored). Directors and organization administrators only."""
    user = acting_user(request)
    organization = _organization(user, request)
    if not may_edit_library(user, organization):
        raise PermissionDenied("Only program directors import worksheets.")
    data = payload.dict(exclude_none=True)
    try:
        [(row, created)] = check_import_worksheets(user, organization, [("definition", data)])
    except ValidationError as error:
        return Status(
            400,
            ImportErrorOut(detail="The definition was refused.", problems=error.messages),
        )
    return Status(201 if created else 200, _worksheet_out(row))
