"""Library actions: modules, skills, curriculum links and worksheet definitions.

The library is organization set-up (no participant data). Every write is audited in its own
transaction. Worksheet definitions are versioned: importing a definition whose content differs
from the current version makes a new version (the old one stays readable for the entries
written on it); importing the same content again changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.practice.models import CurriculumLink, Skill, SkillModule, WorksheetDefinition
from trellis.practice.worksheets import validate_definition
from trellis.programs.models import Organization
from trellis.scheduling.models import SessionSeries

if TYPE_CHECKING:
    from trellis.accounts.models import User

BUILTIN_WORKSHEETS = Path(__file__).resolve().parent.parent / "worksheets"
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
_FILE_KEYS = {"code", "title", "description", "skill", "fields"}


def builtin_worksheet_files() -> list[Path]:
    """The built-in worksheet definitions shipped with Trellis, sorted by name."""
    return sorted(BUILTIN_WORKSHEETS.glob("*.json"))


# --- worksheet definitions ---------------------------------------------------------------------


def check_worksheet_file(organization: Organization, data: Any) -> dict[str, Any]:
    """A worksheet file's content, checked; `ValidationError` naming every problem.

    The file is an object: code (slug), title, description (optional), skill (optional: the
    name or acronym of a skill in the organization's library) and fields (see
    `practice.worksheets`). Returns the values to store, with `skill` resolved to a Skill.
    """
    if not isinstance(data, dict):
        raise ValidationError("A worksheet file must be a JSON object.")
    problems: list[str] = []
    unknown = set(data) - _FILE_KEYS
    if unknown:
        problems.append(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}.")
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        problems.append("code: lower-case letters, digits and -, at most 50 characters.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        problems.append("title: required, at most 200 characters.")
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append("description: must be text.")
    skill: Skill | None = None
    skill_name = data.get("skill")
    if skill_name is not None:
        if not isinstance(skill_name, str) or not skill_name.strip():
            problems.append("skill: must be a skill's name or acronym.")
        else:
            skill = _find_skill(organization, skill_name)
            if skill is None:
                problems.append(f"skill: no skill named {skill_name!r} in the library.")
    try:
        validate_definition(data.get("fields"))
    except ValidationError as error:
        problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return {
        "code": code,
        "title": str(title).strip(),
        "description": str(description).strip(),
        "skill": skill,
        "fields": data["fields"],
    }


def _find_skill(organization: Organization, name: str) -> Skill | None:
    skills = Skill.objects.filter(module__organization=organization)
    return (
        skills.filter(name__iexact=name.strip()).first()
        or skills.filter(acronym__iexact=name.strip()).first()
    )


@transaction.atomic
def do_import_worksheet(
    actor: User | None, organization: Organization, checked: dict[str, Any]
) -> tuple[WorksheetDefinition, bool]:
    """Store a checked definition: (row, True) for a new version, (current, False) if the
    current version already has this content."""
    current = (
        WorksheetDefinition.objects.select_for_update()
        .filter(organization=organization, code=checked["code"], is_current=True)
        .first()
    )
    if current is not None and _same(current, checked):
        return current, False
    latest = WorksheetDefinition.objects.filter(
        organization=organization, code=checked["code"]
    ).aggregate(latest=Max("version"))["latest"]
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    row = WorksheetDefinition.objects.create(
        organization=organization,
        code=checked["code"],
        version=(latest or 0) + 1,
        title=checked["title"],
        description=checked["description"],
        fields=checked["fields"],
        skill=checked["skill"],
        is_current=True,
        created_by=actor,
    )
    record(
        actor,
        Action.CREATE,
        obj=row,
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "import_worksheets",
        detail={"code": row.code, "version": row.version},
    )
    return row, True


def _same(current: WorksheetDefinition, checked: dict[str, Any]) -> bool:
    skill = checked["skill"]
    return bool(
        current.title == checked["title"]
        and current.description == checked["description"]
        and current.fields == checked["fields"]
        and current.skill_id == (skill.pk if skill else None)
    )


def check_import_worksheets(
    actor: User | None, organization: Organization, files: list[tuple[str, Any]]
) -> list[tuple[WorksheetDefinition, bool]]:
    """Check every (name, data) first; if any is invalid, `ValidationError` naming every
    problem of every file (each prefixed with its name) and nothing is written."""
    problems: list[str] = []
    checked: list[dict[str, Any]] = []
    codes: set[str] = set()
    for name, data in files:
        try:
            values = check_worksheet_file(organization, data)
        except ValidationError as error:
            problems.extend(f"{name}: {message}" for message in error.messages)
            continue
        if values["code"] in codes:
            problems.append(f"{name}: code {values['code']!r} is in another file too.")
        codes.add(values["code"])
        checked.append(values)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return [do_import_worksheet(actor, organization, values) for values in checked]


# --- modules, skills, curriculum links --------------------------------------------------------


@transaction.atomic
def do_save_module(
    actor: User | None,
    organization: Organization,
    *,
    name: str,
    approach: str = "",
    description: str = "",
    position: int = 0,
) -> SkillModule:
    """Create the module of that name, or update its approach, description and position."""
    module, created = SkillModule.objects.update_or_create(
        organization=organization,
        name=name,
        defaults={"approach": approach, "description": description, "position": position},
    )
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        obj=module,
        purpose=Purpose.HOPERAT,
        detail={"module": module.name},
    )
    return module


def check_skill(*, name: str, acronym: str, summary: str, steps: Any, links: Any) -> dict[str, Any]:
    """A skill's values, checked: `ValidationError({field: message})`."""
    errors: dict[str, str] = {}
    if not name.strip() or len(name) > 120:
        errors["name"] = "Name is required, at most 120 characters."
    if len(acronym) > 20:
        errors["acronym"] = "Acronym: at most 20 characters."
    if not summary.strip():
        errors["summary"] = "Summary is required: describe the skill in the program's words."
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
        errors["steps"] = "Steps must be a list of text, none empty."
    if not isinstance(links, list) or not all(
        isinstance(link, dict)
        and isinstance(link.get("label"), str)
        and isinstance(link.get("url"), str)
        and link["url"].startswith("https://")
        for link in links
    ):
        errors["links"] = "Each link needs a label and an https:// address."
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "acronym": acronym.strip(),
        "summary": summary.strip(),
        "steps": [s.strip() for s in steps],
        "links": links,
    }


@transaction.atomic
def do_save_skill(
    actor: User | None,
    module: SkillModule,
    *,
    name: str,
    acronym: str = "",
    summary: str,
    steps: list[str] | None = None,
    links: list[dict[str, str]] | None = None,
    position: int = 0,
    skill: Skill | None = None,
) -> Skill:
    """Create a skill in `module`, or update `skill`; values checked by `check_skill`."""
    values = check_skill(
        name=name, acronym=acronym, summary=summary, steps=steps or [], links=links or []
    )
    if skill is None:
        skill = Skill.objects.create(module=module, position=position, **values)
        action = Action.CREATE
    else:
        for field, value in values.items():
            setattr(skill, field, value)
        skill.module = module
        skill.position = position
        skill.save()
        action = Action.UPDATE
    record(actor, action, obj=skill, purpose=Purpose.HOPERAT, detail={"skill": skill.name})
    return skill


@transaction.atomic
def do_link_topic(
    actor: User | None, series: SessionSeries, topic: str, skill: Skill
) -> CurriculumLink:
    """Link a curriculum topic of a series to a skill (idempotent)."""
    if skill.module.organization_id != series.track.program.organization_id:
        raise ValidationError({"skill": "The skill belongs to another organization's library."})
    if not topic.strip():
        raise ValidationError({"topic": "Topic is required."})
    link, created = CurriculumLink.objects.get_or_create(
        series=series, topic=topic.strip(), skill=skill
    )
    if created:
        record(
            actor,
            Action.CREATE,
            obj=link,
            purpose=Purpose.HOPERAT,
            detail={"series": str(series.public_id)},
        )
    return link


@transaction.atomic
def do_unlink_topic(actor: User | None, link: CurriculumLink) -> None:
    """Remove a curriculum link (the skill is no longer taught under that topic)."""
    record(
        actor,
        Action.DELETE,
        obj=link,
        purpose=Purpose.HOPERAT,
        detail={"series": str(link.series.public_id)},
    )
    link.delete()


@transaction.atomic
def do_set_module_active(actor: User | None, module: SkillModule, *, active: bool) -> SkillModule:
    """Retire a module (`active=False`) or restore it. A retired module's skills are no longer
    offered for assigning or on new diary checklists; everything written with them stays
    readable. Idempotent: no change, no audit event."""
    if module.is_active != active:
        module.is_active = active
        module.save(update_fields=["is_active"])
        record(
            actor,
            Action.UPDATE,
            obj=module,
            purpose=Purpose.HOPERAT,
            detail={"module": module.name, "retired": not active},
        )
    return module


@transaction.atomic
def do_set_skill_active(actor: User | None, skill: Skill, *, active: bool) -> Skill:
    """Retire a skill (`active=False`) or restore it; see `do_set_module_active`."""
    if skill.is_active != active:
        skill.is_active = active
        skill.save(update_fields=["is_active"])
        record(
            actor,
            Action.UPDATE,
            obj=skill,
            purpose=Purpose.HOPERAT,
            detail={"skill": skill.name, "retired": not active},
        )
    return skill
