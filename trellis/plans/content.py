"""The document a plan version holds, how a page's form becomes one, and what signing needs.

Shape (stored as JSON in PlanVersion.content and PlanTemplate.content):

    problems       [{key, description, diagnosis}]          diagnosis: an ICD-10-CM code
    goals          [{key, problem, words}]                  words: the participant's own
    objectives     [{key, goal, description, kind, due_on, instrument, comparator, target,
                     rating, rating_note}]
    interventions  [{key, modality, frequency, responsible, responsible_name, objectives}]
    strengths, discharge_criteria                           text

Keys are stable across versions, so a note can name the objective it addressed and a
comparison can pair rows of two versions.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date
from typing import Any

from django.http import QueryDict
from pydantic import BaseModel, Field, ValidationError, field_validator

from trellis.plans import diagnoses


class ObjectiveKind(enum.StrEnum):
    MEASURE = "measure_target"
    ATTENDANCE = "attendance_target"
    PRACTICE = "practice_target"
    CUSTOM = "custom"


OBJECTIVE_KIND_LABELS = {
    ObjectiveKind.MEASURE: "Measure target (instrument score)",
    ObjectiveKind.ATTENDANCE: "Attendance target (% of scheduled sessions attended)",
    ObjectiveKind.PRACTICE: "Practice target (% of assigned practice done)",
    ObjectiveKind.CUSTOM: "Custom (rated by the clinician, 0–100)",
}


class Comparator(enum.StrEnum):
    LT = "lt"
    LE = "le"
    GE = "ge"
    GT = "gt"


COMPARATOR_LABELS = {
    Comparator.LT: "below",
    Comparator.LE: "at most",
    Comparator.GE: "at least",
    Comparator.GT: "above",
}


def new_key() -> str:
    return secrets.token_hex(6)


class Problem(BaseModel):
    key: str = Field(default_factory=new_key, max_length=24)
    description: str = Field(default="", max_length=2000)
    diagnosis: str = Field(default="", max_length=10)

    @field_validator("diagnosis")
    @classmethod
    def known_code(cls, value: str) -> str:
        value = value.strip().upper()
        if value and diagnoses.find(value) is None:
            raise ValueError(f"{value} is not in the diagnosis list: search by code or words.")
        return value


class Goal(BaseModel):
    key: str = Field(default_factory=new_key, max_length=24)
    problem: str = Field(default="", max_length=24)
    words: str = Field(default="", max_length=2000)


class Objective(BaseModel):
    key: str = Field(default_factory=new_key, max_length=24)
    goal: str = Field(default="", max_length=24)
    description: str = Field(default="", max_length=2000)
    kind: ObjectiveKind = ObjectiveKind.CUSTOM
    due_on: date | None = None
    instrument: str = Field(default="", max_length=20)
    comparator: Comparator | None = None
    target: float | None = None
    rating: int | None = Field(default=None, ge=0, le=100)
    rating_note: str = Field(default="", max_length=2000)

    @property
    def target_label(self) -> str:
        if self.kind == ObjectiveKind.CUSTOM:
            return "clinician rating"
        if self.comparator is None or self.target is None:
            return "no target yet"
        what = self.instrument or {
            ObjectiveKind.ATTENDANCE: "attendance",
            ObjectiveKind.PRACTICE: "practice",
        }.get(self.kind, "value")
        return f"{what} {COMPARATOR_LABELS[self.comparator]} {self.target:g}{self.unit}"

    @property
    def unit(self) -> str:
        """ "%" for the targets measured as a share (attendance, practice), else nothing."""
        return "%" if self.kind in PERCENT_KINDS else ""

    @property
    def target_note(self) -> str:
        """The target as a page shows it beside the description: nothing when the
        description already says exactly that ("PCL-5 below 10"), so it is not read twice."""
        label = self.target_label
        return "" if _plain(self.description) == _plain(label) else label


PERCENT_KINDS = frozenset({ObjectiveKind.ATTENDANCE, ObjectiveKind.PRACTICE})


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


class Intervention(BaseModel):
    key: str = Field(default_factory=new_key, max_length=24)
    modality: str = Field(default="", max_length=300)
    frequency: str = Field(default="", max_length=150)
    responsible: str = Field(default="", max_length=40, description="Staff public id")
    responsible_name: str = Field(default="", max_length=200)
    objectives: list[str] = Field(default_factory=list)


class PlanContent(BaseModel):
    problems: list[Problem] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    strengths: str = Field(default="", max_length=5000)
    discharge_criteria: str = Field(default="", max_length=5000)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def goals_of(self, problem_key: str) -> list[Goal]:
        return [g for g in self.goals if g.problem == problem_key]

    def objectives_of(self, goal_key: str) -> list[Objective]:
        return [o for o in self.objectives if o.goal == goal_key]

    def objective(self, key: str) -> Objective | None:
        return next((o for o in self.objectives if o.key == key), None)


def load(data: dict[str, Any] | None) -> PlanContent:
    return PlanContent.model_validate(data or {})


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two documents say the same thing (ignoring row keys, which differ between a
    template and a plan started from it only if rows were added)."""

    def strip(doc: dict[str, Any]) -> Any:
        content = load(doc).to_json()
        return {
            name: (
                [{k: v for k, v in row.items() if k != "key"} for row in value]
                if isinstance(value, list)
                else value.strip()
            )
            for name, value in content.items()
        }

    return bool(strip(a) == strip(b))


# Sections signing needs, in the order a reader meets them (the error names the first).
SECTION_LABELS = {
    "problems": "Problems",
    "goals": "Goals",
    "objectives": "Objectives",
    "interventions": "Interventions",
    "strengths": "Strengths",
    "discharge_criteria": "Discharge criteria",
}


def missing_for_signing(content: PlanContent) -> dict[str, str]:
    """What stops this content from being signed, by section: {section: message}."""
    errors: dict[str, str] = {}
    if not any(p.description.strip() for p in content.problems):
        errors["problems"] = "Problems is empty: describe at least one problem."
    if not any(g.words.strip() for g in content.goals):
        errors["goals"] = "Goals is empty: write at least one goal in the participant's words."
    if not content.objectives:
        errors["objectives"] = "Objectives is empty: add at least one measurable objective."
    else:
        for number, objective in enumerate(content.objectives, start=1):
            problem = _objective_problem(objective)
            if problem:
                errors["objectives"] = f"Objectives: objective {number} {problem}."
                break
    if not content.interventions:
        errors["interventions"] = "Interventions is empty: add at least one intervention."
    elif any(
        not (i.modality.strip() and i.frequency.strip() and i.responsible)
        for i in content.interventions
    ):
        errors["interventions"] = (
            "Interventions: every intervention needs a modality, a frequency and who does it."
        )
    if not content.strengths.strip():
        errors["strengths"] = "Strengths is empty: name the participant's strengths."
    if not content.discharge_criteria.strip():
        errors["discharge_criteria"] = (
            "Discharge criteria is empty: say what has to be true to step down or finish."
        )
    return errors


def _objective_problem(objective: Objective) -> str:
    if not objective.description.strip():
        return "has no description"
    if objective.due_on is None:
        return "has no target date"
    if objective.kind == ObjectiveKind.MEASURE and not objective.instrument:
        return "has no instrument"
    if objective.kind != ObjectiveKind.CUSTOM and (
        objective.comparator is None or objective.target is None
    ):
        return "has no target value"
    return ""


# --- The plan editor's form: one HTML form with rows named "<section>-<key>-<field>". ---

ROW_FIELDS = {
    "problems": ["description", "diagnosis"],
    "goals": ["problem", "words"],
    "objectives": [
        "goal",
        "description",
        "kind",
        "due_on",
        "instrument",
        "comparator",
        "target",
        "rating",
        "rating_note",
    ],
    "interventions": ["modality", "frequency", "responsible", "objectives"],
}


class ContentErrors(Exception):
    """Fields that are not valid, by form field name; `partial` is the document without
    just those values, so the editor can show everything else the person typed."""

    def __init__(self, errors: dict[str, str], partial: PlanContent) -> None:
        super().__init__("The plan has invalid fields.")
        self.errors = errors
        self.partial = partial


def from_form(data: QueryDict, staff_names: dict[str, str]) -> PlanContent:
    """Read the editor's fields into a document, rows in page order; rows ticked "remove"
    are dropped (with the goals and objectives under them). Raises ContentErrors naming
    the row fields that are not valid (a date that is not a date, a rating over 100)."""
    rows: dict[str, dict[str, dict[str, Any]]] = {section: {} for section in ROW_FIELDS}
    removed: set[str] = set()
    for name in data:
        section, _, rest = name.partition("-")
        key, _, field = rest.rpartition("-")
        if section not in ROW_FIELDS or not key:
            continue
        if field == "remove":
            removed.add(key)
            continue
        if field not in ROW_FIELDS[section]:
            continue
        row = rows[section].setdefault(key, {"key": key})
        if field == "objectives":
            row[field] = data.getlist(name)
        else:
            value = data.get(name, "").strip()
            row[field] = value if value != "" or field not in _OPTIONAL else None
    errors: dict[str, str] = {}
    problems = _rows(Problem, rows["problems"], removed, errors)
    removed |= {g["key"] for g in rows["goals"].values() if g.get("problem") in removed}
    goals = _rows(Goal, rows["goals"], removed, errors)
    removed |= {o["key"] for o in rows["objectives"].values() if o.get("goal") in removed}
    objectives = _rows(Objective, rows["objectives"], removed, errors)
    interventions = _rows(Intervention, rows["interventions"], removed, errors)
    for intervention in interventions:
        intervention.responsible_name = staff_names.get(intervention.responsible, "")
        if intervention.responsible and not intervention.responsible_name:
            intervention.responsible = ""
        intervention.objectives = [k for k in intervention.objectives if k not in removed]
    document = PlanContent(
        problems=problems,
        goals=goals,
        objectives=objectives,
        interventions=interventions,
        strengths=data.get("strengths", "").strip(),
        discharge_criteria=data.get("discharge_criteria", "").strip(),
    )
    if errors:
        raise ContentErrors(errors, document)
    return document


_OPTIONAL = {"due_on", "comparator", "target", "rating"}


def _rows[M: BaseModel](
    model: type[M], rows: dict[str, dict[str, Any]], removed: set[str], errors: dict[str, str]
) -> list[M]:
    parsed = []
    for key, row in rows.items():
        if key in removed:
            continue
        try:
            parsed.append(model.model_validate(row))
        except ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else ""
                message = str(problem["msg"]).removeprefix("Value error, ")
                errors[f"{model.__name__.lower()}s-{key}-{field}"] = message
                row.pop(field, None)
            # Keep the row without the refused values: its text is not lost.
            parsed.append(model.model_validate(row))
    return parsed


def add_row(content: PlanContent, what: str) -> PlanContent:
    """The editor's "add" buttons: "problem", "goal:<problem key>", "objective:<goal key>",
    "intervention"."""
    kind, _, parent = what.partition(":")
    if kind == "problem":
        content.problems.append(Problem())
    elif kind == "goal" and any(p.key == parent for p in content.problems):
        content.goals.append(Goal(problem=parent))
    elif kind == "objective" and any(g.key == parent for g in content.goals):
        content.objectives.append(Objective(goal=parent))
    elif kind == "intervention":
        content.interventions.append(Intervention())
    return content


# --- Reading a version as lines of text: the comparison page diffs these. ---


def as_lines(content: PlanContent) -> list[tuple[str, str]]:
    """(section, line) pairs in reading order, one fact per line."""
    lines: list[tuple[str, str]] = []
    for n, problem in enumerate(content.problems, start=1):
        diagnosis = diagnoses.find(problem.diagnosis) if problem.diagnosis else None
        lines.append(("Problems", f"Problem {n}: {problem.description}"))
        if diagnosis:
            lines.append(("Problems", f"Problem {n} diagnosis: {diagnosis.label}"))
        for goal in content.goals_of(problem.key):
            lines.append(("Goals", f"Goal (problem {n}): “{goal.words}”"))
            for objective in content.objectives_of(goal.key):
                due = objective.due_on.isoformat() if objective.due_on else "no date"
                note = f" — {objective.target_note}" if objective.target_note else ""
                lines.append(("Objectives", f"Objective: {objective.description}{note}, by {due}"))
    lines.extend(
        (
            "Interventions",
            f"Intervention: {i.modality}, {i.frequency} — "
            f"{i.responsible_name or 'nobody assigned'}",
        )
        for i in content.interventions
    )
    lines.extend(("Strengths", line) for line in content.strengths.splitlines() if line.strip())
    lines.extend(
        ("Discharge criteria", line)
        for line in content.discharge_criteria.splitlines()
        if line.strip()
    )
    return lines
