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
from django.http.response import HttpResponseBase
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
    do_set_module_active,
    do_set_skill_active,
    do_unlink_topic,
)
from trellis.practice.models import CurriculumLink, Skill, SkillModule, WorksheetDefinition
from trellis.practice.queries.library import (
    current_worksheets,
    library_modules,
    library_organization,
    may_edit_library,
    retired_library,
    staff_organizations,
)
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Organization
from trellis.scheduling.models import SessionSeries

LARGEST_UPLOAD = 200_000


CHOSEN_ORGANIZATION = "practice_library_organization"


def _chosen(request: AuthedRequest) -> str | None:
    """The organization a staff member chose on the library's selector (`?organization=`,
    remembered in their session for the library's other pages and forms)."""
    choice = request.GET.get("organization")
    if choice:
        request.session[CHOSEN_ORGANIZATION] = choice
        return choice
    remembered = request.session.get(CHOSEN_ORGANIZATION)
    return str(remembered) if remembered else None


def _staff_organization(request: AuthedRequest) -> Organization:
    """The organization whose library a staff member reads (see `library_organization`)."""
    organization = library_organization(request.user, _chosen(request))
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
    may_edit = _may_edit(request, organization)
    organizations = staff_organizations(request.user)
    return render(
        request,
        "practice/library/library.html",
        {
            "organization": organization,
            "organizations": organizations if len(organizations) > 1 else [],
            "modules": list(library_modules(organization)),
            "worksheets": list(current_worksheets(organization)),
            "may_edit": may_edit,
            **(retired_library(organization) if may_edit else {}),
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
    """A skill of the organization's library, retired ones included (old assignments,
    entries and curriculum links still open them; the page says it is retired)."""
    skill = (
        Skill.objects.filter(module__organization=organization, public_id=lookup_id(skill_id))
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
    if participant is None:  # staff: the skill's own organization, if they work in it
        skill_org = Organization.objects.filter(
            pk__in=[o.pk for o in staff_organizations(request.user)],
            skill_modules__skills__public_id=lookup_id(skill_id),
        ).first()
        organization = skill_org or organization
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
    ).select_related("skill", "skill__module"):
        links.setdefault((link.series_id, link.topic), []).append(link)
    rows = [
        (series, [(topic, links.get((series.pk, topic), [])) for topic in series.topics or []])
        for series in series_list
        if series.topics
    ]
    skills = Skill.objects.filter(
        module__organization=organization, is_active=True, module__is_active=True
    )
    return render(
        request,
        "practice/library/curriculum.html",
        {
            "rows": rows,
            "skills": list(skills.select_related("module")) if may_edit else [],
            "may_edit": may_edit,
        },
    )


def _library_item(organization: Organization, kind: str, item_id: str) -> Skill | SkillModule:
    item: Skill | SkillModule | None
    if kind == "skill":
        item = (
            Skill.objects.filter(module__organization=organization, public_id=lookup_id(item_id))
            .select_related("module")
            .first()
        )
    else:
        item = SkillModule.objects.filter(
            organization=organization, public_id=lookup_id(item_id)
        ).first()
    if item is None:
        raise Http404
    return item


@staff_required()
def retire(request: AuthedRequest, kind: str, item_id: str) -> HttpResponse:
    """Retire a skill or a module: a confirmation page, then the POST (editors only)."""
    organization = _editor_organization(request)
    item = _library_item(organization, kind, item_id)
    name = item.label if isinstance(item, Skill) else item.name
    if request.method == "POST":
        if isinstance(item, Skill):
            do_set_skill_active(request.user, item, active=False)
        else:
            do_set_module_active(request.user, item, active=False)
        messages.success(request, f"{name} retired. Restore it from the library's Retired list.")
        return redirect("practice:library")
    skills = list(item.skills.filter(is_active=True)) if isinstance(item, SkillModule) else []
    return render(
        request,
        "practice/library/retire.html",
        {"item": item, "kind": kind, "name": name, "module_skills": skills},
    )


@require_POST
@staff_required()
def restore(request: AuthedRequest, kind: str, item_id: str) -> HttpResponse:
    organization = _editor_organization(request)
    item = _library_item(organization, kind, item_id)
    if isinstance(item, Skill):
        do_set_skill_active(request.user, item, active=True)
        messages.success(request, f"{item.label} restored.")
    else:
        do_set_module_active(request.user, item, active=True)
        messages.success(request, f"{item.name} restored.")
    return redirect("practice:library")


def retire_skill(request: AuthedRequest, skill_id: str) -> HttpResponseBase:
    return retire(request, "skill", skill_id)


def retire_module(request: AuthedRequest, module_id: str) -> HttpResponseBase:
    return retire(request, "module", module_id)


def restore_skill(request: AuthedRequest, skill_id: str) -> HttpResponseBase:
    return restore(request, "skill", skill_id)


def restore_module(request: AuthedRequest, module_id: str) -> HttpResponseBase:
    return restore(request, "module", module_id)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


urlpatterns: list[URLPattern] = [
    path("practice/library/curriculum/", curriculum, name="curriculum"),
    path("practice/library/", library, name="library"),
    path("practice/library/modules/", add_module, name="module-add"),
    path("practice/library/skills/new/", edit_skill, name="skill-add"),
    path("practice/library/skills/<str:skill_id>/edit/", edit_skill, name="skill-edit"),
    path("practice/library/worksheets/", worksheets, name="worksheets"),
    path("practice/library/skills/<str:skill_id>/retire/", retire_skill, name="skill-retire"),
    path("practice/library/skills/<str:skill_id>/restore/", restore_skill, name="skill-restore"),
    path("practice/library/modules/<str:module_id>/retire/", retire_module, name="module-retire"),
    path(
        "practice/library/modules/<str:module_id>/restore/", restore_module, name="module-restore"
    ),
    path("practice/skills/<str:skill_id>/", skill_page, name="skill"),
]
