"""Practice's tables, one module per part (docs/practice.md).

Each module's models are re-exported here, so Django and callers find them as
`trellis.practice.models.<Name>`. A new module adds one import block and its names to
`__all__`."""

from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Frequency,
    PracticeEntry,
)
from trellis.practice.models.diary import DiaryCard, DiaryCardConfig, RowKind
from trellis.practice.models.library import (
    CurriculumLink,
    Skill,
    SkillModule,
    WorksheetDefinition,
)
from trellis.practice.models.safety import SafetyPlan, UnsafeReport

__all__ = [
    "OPEN_ASSIGNMENT_STATUSES",
    "Assignment",
    "AssignmentStatus",
    "CurriculumLink",
    "DiaryCard",
    "DiaryCardConfig",
    "Frequency",
    "PracticeEntry",
    "RowKind",
    "SafetyPlan",
    "Skill",
    "SkillModule",
    "UnsafeReport",
    "WorksheetDefinition",
]
