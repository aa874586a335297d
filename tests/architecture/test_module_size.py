"""Files show the structure: a module past 600 lines becomes a package by sub-domain
(docs/where-code-goes.md), the way scheduling's actions/ and views/ mirror each other."""

from __future__ import annotations

from pathlib import Path

LIMIT = 600
ROOT = Path(__file__).resolve().parents[2]


def too_long(paths: list[Path], limit: int = LIMIT) -> list[str]:
    """`path (lines)` for each module longer than `limit` lines."""
    found = []
    for path in paths:
        lines = len(path.read_text().splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(ROOT)} ({lines})")
    return found


def modules() -> list[Path]:
    return sorted(
        p
        for folder in ("trellis", "tests", "bench")
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts
    )


def test_the_size_check_finds_a_long_module() -> None:
    long_one = ROOT / "tests" / "architecture" / "test_module_size.py"
    assert too_long([long_one], limit=10) == [
        f"tests/architecture/test_module_size.py ({len(long_one.read_text().splitlines())})"
    ]


def test_no_module_is_over_600_lines() -> None:
    assert too_long(modules()) == [], "split it into a package by sub-domain"
