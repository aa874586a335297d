"""Reads for the assignments part: the library choices for the assign form, and "who
practised" for the attendance page (a fixed number of queries for any group size)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.models.assignments import Assignment, AssignmentStatus, Frequency

if TYPE_CHECKING:
    from trellis.programs.models import Organization


def library_choices(
    organization: Organization,
) -> tuple[list[Skill], list[WorksheetDefinition]]:
    skills = list(
        Skill.objects.filter(
            module__organization=organization, is_active=True, module__is_active=True
        )
        .select_related("module")
        .order_by("module__position", "module__name", "position", "name")
    )
    worksheets = list(
        WorksheetDefinition.objects.filter(organization=organization, is_current=True).order_by(
            "title"
        )
    )
    return skills, worksheets


def entries_done(assignment: Assignment) -> int:
    """Entries that count (one a day for daily practice); `entries` prefetched."""
    entries = list(assignment.entries.all())
    if assignment.frequency == Frequency.DAILY:
        return len({e.practiced_on for e in entries})
    return len(entries)


@dataclass
class BatchRow:
    assignment: Assignment
    done: int

    @property
    def practised(self) -> bool:
        return self.done > 0


@dataclass
class Batch:
    title: str
    due_on: object
    rows: list[BatchRow] = field(default_factory=list)

    @property
    def practised_count(self) -> int:
        return sum(1 for r in self.rows if r.practised)

    @property
    def done_count(self) -> int:
        return sum(1 for r in self.rows if r.assignment.status == AssignmentStatus.DONE)


def who_practised(assignments: list[Assignment]) -> list[Batch]:
    """Group a session's assignments by batch (one "assign to everyone" action each)."""
    batches: dict[object, Batch] = {}
    for a in assignments:
        key = a.batch or a.public_id
        batch = batches.setdefault(key, Batch(title=a.title, due_on=a.due_on))
        batch.rows.append(BatchRow(a, entries_done(a)))
    return list(batches.values())
