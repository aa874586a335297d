"""Demo: the substance-use program's own diary card (after the diary history): its urge row
names a target, its use row a unit, and it adds a checklist of the library's skills. Cards
already written keep their rows; the new checklist row is simply missing on them."""

from __future__ import annotations

from typing import Any

from trellis.practice.actions.diary import do_configure_diary
from trellis.practice.models.diary import DEFAULT_ROWS, DEFAULT_RULES
from trellis.programs.models import Organization, Program

SUD_PROGRAM = "Adult Substance Use IOP"


def seed_diary_config(organization: Organization) -> None:
    program = Program.objects.filter(organization=organization, name=SUD_PROGRAM).first()
    if program is None:
        return
    rows: list[dict[str, Any]] = []
    for row in DEFAULT_ROWS:
        row = dict(row)
        if row["key"] == "use_urge":
            row["target"] = "alcohol or drugs"
        if row["key"] == "used":
            row["unit"] = "drinks or times"
        rows.append(row)
    rows.insert(
        len(rows) - 1,
        {"key": "skills_ticked", "label": "Skills I used today", "kind": "skill_checklist"},
    )
    do_configure_diary(
        None,
        program,
        rows=rows,
        risk_rules=[*DEFAULT_RULES, {"row": "use_urge", "at_least": 5}],
        backfill=3,
    )
