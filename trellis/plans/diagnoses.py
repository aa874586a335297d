"""The bundled, searchable ICD-10-CM subset (data/icd10cm_iop.tsv).

The list is a working subset for IOPs, not the code set: it must be checked against the
current fiscal year's ICD-10-CM before use (docs/plans-and-notes.md).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "icd10cm_iop.tsv"


@dataclass(frozen=True)
class Diagnosis:
    code: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


@functools.cache
def all_diagnoses() -> tuple[Diagnosis, ...]:
    rows = []
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, title = line.split("\t", 1)
        rows.append(Diagnosis(code.strip(), title.strip()))
    return tuple(rows)


@functools.cache
def _by_code() -> dict[str, Diagnosis]:
    return {d.code: d for d in all_diagnoses()}


def find(code: str) -> Diagnosis | None:
    return _by_code().get(code.strip().upper())


def search(text: str, limit: int = 20) -> list[Diagnosis]:
    """Codes whose code starts with, or whose title contains, every word of `text`."""
    words = text.lower().split()[:6]
    if not words:
        return list(all_diagnoses()[:limit])
    found = []
    for diagnosis in all_diagnoses():
        haystack = diagnosis.label.lower()
        if all(diagnosis.code.lower().startswith(w) or w in haystack for w in words):
            found.append(diagnosis)
            if len(found) == limit:
                break
    return found
