"""Practice pages: the library part (docs/practice.md).

The library is the organization's set-up, not participant data: every staff member of the
organization reads it; program directors and organization administrators edit it. A
participant reads a skill of their own organization's library (`/practice/skills/<id>/`).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.lib.ids import lookup_id
from trellis.practice.actions.library import (
    check_import_worksheets,
    do_link_topic,
    do_save_module,
    do_save_skill,
    do_unlink_topic,
)
from trellis.practice.models import CurriculumLink, Skill, SkillModule, WorksheetDefinition
from trellis.practice.queries.library import (
    current_worksheets,
    library_modules,
    library_organization,
    may_edit_library,
)
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Organization
from trellis.scheduling.models import SessionSeries

LARGEST_UPLOAD = 200_000


def _staff_organization(request: AuthedRequest) -> Organization:
    """The organization whose library a staff member reads."""
    organization = library_organization(request.user)
    if organization is None:
        raise PermissionDenied("This page is for program staff.")
    return organization


def _may_edit(request: AuthedRequest, organization: Organization) -> bool:
    return may_edit_library(request.user, organization)


def _editor_organization(request: AuthedRequest) -> Organization:
    organization = _staff_organization(request)
    if not _may_edit(request, organization):
        raise PermissionDenied("Only program directors edit the skills library.")
    return organization


@staff_required()
def library(request: AuthedRequest) -> HttpResponse:
    organization = _staff_organization(request)
    return render(
        request,
        "practice/library/library.html",
        {
            "modules": list(library_modules(organization)),
            "worksheets": list(current_worksheets(organization)),
            "may_edit": _may_edit(request, organization),
        },
    )


@require_POST
@staff_required()
def add_module(request: AuthedRequest) -> HttpResponse:
    organization = _editor_organization(request)
    name = request.POST.get("name", "").strip()
    if not name or len(name) > 120:
        messages.error(request, "Module name: required, at most 120 characters.")
    else:
        do_save_module(
            request.user,
            organization,
            name=name,
            approach=request.POST.get("approach", "").strip()[:60],
            description=request.POST.get("description", "").strip(),
            position=SkillModule.objects.filter(organization=organization).count(),
        )
        messages.success(request, f"Module {name} saved.")
    return redirect("practice:library")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _links(text: str) -> list[dict[str, str]]:
    links = []
    for line in _lines(text):
        label, _, url = line.rpartition("|")
        links.append({"label": label.strip() or url.strip(), "url": url.strip()})
    return links


@staff_required()
def edit_skill(request: AuthedRequest, skill_id: str | None = None) -> HttpResponse:
    """Add a skill, or edit one (`skill_id`): directors and administrators only."""
    organization = _editor_organization(request)
    modules = list(SkillModule.objects.filter(organization=organization))
    skill = None
    if skill_id is not None:
        skill = _skill_of(organization, skill_id)
    values: dict[str, Any] = {
        "module": str(skill.module.public_id) if skill else "",
        "name": skill.name if skill else "",
        "acronym": skill.acronym if skill else "",
        "summary": skill.summary if skill else "",
        "steps": "\n".join(skill.steps) if skill else "",
        "links": "\n".join(f"{link['label']} | {link['url']}" for link in skill.links)
        if skill
        else "",
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        module = next((m for m in modules if str(m.public_id) == values["module"]), None)
        try:
            if module is None:
                raise ValidationError({"module": "Choose a module of this library."})
            saved = do_save_skill(
                request.user,
                module,
                name=values["name"],
                acronym=values["acronym"],
                summary=values["summary"],
                steps=_lines(values["steps"]),
                links=_links(values["links"]),
                position=skill.position if skill else module.skills.count(),
                skill=skill,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, f"{saved.label} saved.")
            return redirect("practice:skill", skill_id=saved.public_id)
    return render(
        request,
        "practice/library/skill_form.html",
        {"skill": skill, "modules": modules, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


def _skill_of(organization: Organization, skill_id: str) -> Skill:
    skill = (
        Skill.objects.filter(
            module__organization=organization, is_active=True, public_id=lookup_id(skill_id)
        )
        .select_related("module")
        .prefetch_related("worksheets")
        .first()
    )
    if skill is None:
        raise Http404
    return skill


@login_required
def skill_page(request: AuthedRequest, skill_id: str) -> HttpResponse:
    """The program's description of one skill: for the participant (phone width) and staff."""
    participant = getattr(request.user, "participant", None)
    organization = library_organization(request.user)
    if organization is None:
        raise PermissionDenied("This page is for the program's participants and staff.")
    skill = _skill_of(organization, skill_id)
    worksheets = [w for w in skill.worksheets.all() if w.is_current]
    return render(
        request,
        "practice/library/skill.html",
        {
            "skill": skill,
            "worksheets": worksheets,
            "may_edit": participant is None and _may_edit(request, organization),
        },
    )


@staff_required()
def worksheets(request: AuthedRequest) -> HttpResponse:
    """Worksheet definitions: every version; directors import a file (checked exactly as
    `manage.py import_worksheets`; a refused file stores nothing)."""
    organization = _staff_organization(request)
    may_edit = _may_edit(request, organization)
    problems: list[str] = []
    text = ""
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Only program directors import worksheets.")
        text = request.POST.get("definition", "")
        try:
            if len(text) > LARGEST_UPLOAD:
                raise ValidationError(f"A definition is at most {LARGEST_UPLOAD} characters.")
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise ValidationError(
                    f"Line {error.lineno}, column {error.colno}: {error.msg}."
                ) from error
            [(row, created)] = check_import_worksheets(
                request.user, organization, [("definition", data)]
            )
        except ValidationError as error:
            problems = error.messages
        else:
            state = "imported as a new version" if created else "unchanged"
            messages.success(request, f"{row.title}: version {row.version} {state}.")
            return redirect("practice:worksheets")
    rows = WorksheetDefinition.objects.filter(organization=organization).select_related("skill")
    return render(
        request,
        "practice/library/worksheets.html",
        {
            "definitions": list(rows.order_by("title", "-version")),
            "may_edit": may_edit,
            "problems": problems,
            "text": text,
        },
        status=400 if problems else 200,
    )


@staff_required()
def curriculum(request: AuthedRequest) -> HttpResponse:
    """Which skills each series' curriculum topics teach; directors link and unlink."""
    organization = _staff_organization(request)
    may_edit = _may_edit(request, organization)
    series_list = list(
        SessionSeries.objects.filter(track__program__organization=organization)
        .select_related("track", "track__program")
        .order_by("track__program__name", "track__name", "name")
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Only program directors edit the curriculum links.")
        if request.POST.get("unlink"):
            link = CurriculumLink.objects.filter(
                series__track__program__organization=organization,
                pk=_int(request.POST.get("unlink")),
            ).first()
            if link is None:
                raise Http404
            do_unlink_topic(request.user, link)
            messages.success(request, "Link removed.")
            return redirect("practice:curriculum")
        series = next(
            (s for s in series_list if str(s.public_id) == request.POST.get("series")), None
        )
        skill = Skill.objects.filter(
            module__organization=organization, public_id=lookup_id(request.POST.get("skill"))
        ).first()
        topic = request.POST.get("topic", "")
        if series is None or skill is None or topic not in (series.topics or []):
            messages.error(request, "Choose a series, one of its topics and a skill.")
        else:
            do_link_topic(request.user, series, topic, skill)
            messages.success(request, f"{topic} now teaches {skill.label}.")
        return redirect("practice:curriculum")
    links: dict[tuple[int, str], list[CurriculumLink]] = {}
    for link in CurriculumLink.objects.filter(
        series__in=[s.pk for s in series_list]
    ).select_related("skill"):
        links.setdefault((link.series_id, link.topic), []).append(link)
    rows = [
        (series, [(topic, links.get((series.pk, topic), [])) for topic in series.topics or []])
        for series in series_list
        if series.topics
    ]
    skills = Skill.objects.filter(module__organization=organization, is_active=True)
    return render(
        request,
        "practice/library/curriculum.html",
        {
            "rows": rows,
            "skills": list(skills.select_related("module")) if may_edit else [],
            "may_edit": may_edit,
        },
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


urlpatterns: list[URLPattern] = [
    path("practice/library/curriculum/", curriculum, name="curriculum"),
    path("practice/library/", library, name="library"),
    path("practice/library/modules/", add_module, name="module-add"),
    path("practice/library/skills/new/", edit_skill, name="skill-add"),
    path("practice/library/skills/<str:skill_id>/edit/", edit_skill, name="skill-edit"),
    path("practice/library/worksheets/", worksheets, name="worksheets"),
    path("practice/skills/<str:skill_id>/", skill_page, name="skill"),
]
