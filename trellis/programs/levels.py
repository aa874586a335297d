"""Levels of care as versioned codes (edition + level), see docs/domain.md §1.

A level is never a bare number: ASAM's 3rd and 4th editions number and name levels
differently, so the edition travels with the code ("ASAM3:2.1").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LevelOfCare:
    code: str
    label: str
    adult_min_hours: Decimal | None
    adolescent_min_hours: Decimal | None
    max_hours: Decimal | None


LEVELS: dict[str, LevelOfCare] = {
    level.code: level
    for level in [
        LevelOfCare("ASAM3:1", "ASAM 3rd ed. level 1 — outpatient", None, None, Decimal(9)),
        LevelOfCare(
            "ASAM3:2.1",
            "ASAM 3rd ed. level 2.1 — intensive outpatient",
            Decimal(9),
            Decimal(6),
            Decimal(19),
        ),
        LevelOfCare(
            "ASAM3:2.5",
            "ASAM 3rd ed. level 2.5 — partial hospitalization",
            Decimal(20),
            Decimal(20),
            None,
        ),
        # 4th edition (2023) regroups level 2; keep its hours in program settings, not here
        # (docs/domain.md marks the details "verify").
        LevelOfCare("ASAM4:2.1", "ASAM 4th ed. level 2.1 — intensive outpatient", None, None, None),
        LevelOfCare(
            "ASAM4:2.5", "ASAM 4th ed. level 2.5 — high-intensity outpatient", None, None, None
        ),
        LevelOfCare(
            "ASAM4:2.7",
            "ASAM 4th ed. level 2.7 — medically managed intensive outpatient",
            None,
            None,
            None,
        ),
    ]
}

CHOICES = [(level.code, level.label) for level in LEVELS.values()]


def label_of(code: str) -> str:
    level = LEVELS.get(code)
    return level.label if level else code
