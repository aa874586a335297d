"""Library queries: the organization's skills and "the skill taught tonight"."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from trellis.accounts.models import User
from trellis.practice.models import CurriculumLink, Skill, SkillModule, WorksheetDefinition
from trellis.privacy.policy import grants_for
from trellis.programs.models import Organization
from trellis.scheduling.models import Occurrence, SessionSeries
from trellis.scheduling.queries import expand


def library_modules(organization: Organization) -> QuerySet[SkillModule]:
    """Active modules with their active skills prefetched (two queries)."""
    return SkillModule.objects.filter(organization=organization, is_active=True).prefetch_related(
        Prefetch("skills", queryset=Skill.objects.filter(is_active=True).order_by("position"))
    )


def current_worksheets(organization: Organization) -> QuerySet[WorksheetDefinition]:
    return WorksheetDefinition.objects.filter(
        organization=organization, is_current=True
    ).select_related("skill")


def topic_of(series: SessionSeries, original_date: date, occurrence: Occurrence | None) -> str:
    """The curriculum topic of one occurrence: its own topic, or the series' rotation."""
    if occurrence is not None and occurrence.topic:
        return occurrence.topic
    for index, day in expand(series, original_date, original_date):
        if day == original_date:
            return series.topic_for(index)
    return ""


def skills_for_occurrence(occurrence: Occurrence) -> list[Skill]:
    """The skills taught in this occurrence (by its topic's curriculum links), in order."""
    topic = topic_of(occurrence.series, occurrence.original_date, occurrence)
    if not topic:
        return []
    links = (
        CurriculumLink.objects.filter(series=occurrence.series_id, topic=topic)
        .select_related("skill", "skill__module")
        .order_by("skill__position", "skill__name")
    )
    return [link.skill for link in links if link.skill.is_active]


def skill_for_occurrence(occurrence: Occurrence) -> Skill | None:
    """ "The skill taught tonight": the first skill linked to the occurrence's topic."""
    skills = skills_for_occurrence(occurrence)
    return skills[0] if skills else None


def staff_organizations(user: User) -> list[Organization]:
    """The organizations a staff member works in (by name)."""
    zones = grants_for(user).zones
    return list(Organization.objects.filter(pk__in=zones).order_by("name")) if zones else []


def library_organization(user: User, choice: str | None = None) -> Organization | None:
    """The organization whose library `user` reads: a participant's own; for staff, the one
    they chose (`choice`: an organization's public id, from the library's selector) if they
    work in it, else their only one — or, working in several and having chosen none, the
    first by name; None for anyone else. (Trellis keeps no "current organization" for staff:
    other apps take the program from the URL or ask for it, so the library asks too.)"""
    participant = getattr(user, "participant", None)
    if participant is not None:
        organization: Organization = participant.organization
        return organization
    organizations = staff_organizations(user)
    chosen = next((o for o in organizations if str(o.public_id) == (choice or "")), None)
    return chosen or (organizations[0] if organizations else None)


def retired_library(organization: Organization) -> dict[str, list[Any]]:
    """Retired modules, and retired skills of active modules, for the library's editors."""
    return {
        "retired_modules": list(
            SkillModule.objects.filter(organization=organization, is_active=False)
        ),
        "retired_skills": list(
            Skill.objects.filter(
                module__organization=organization, module__is_active=True, is_active=False
            ).select_related("module")
        ),
    }


def may_edit_library(user: User, organization: Organization) -> bool:
    """Program directors (of the organization or one of its programs) and organization
    administrators edit the library; everyone else on staff reads it."""
    grants = grants_for(user)
    if organization.pk in grants.clinical_orgs or grants.administers(organization.pk):
        return True
    return bool(grants.clinical_programs) and (
        organization.programs.filter(pk__in=grants.clinical_programs).exists()
    )
