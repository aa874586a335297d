"""Reads for the assignments part: the library choices for the assign form, "who
practised" for the attendance page, and the practice a note reviews (a fixed number of
queries for any group size)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.models.assignments import (
    Assignment,
    AssignmentStatus,
    Frequency,
    PracticeEntry,
)

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


# --- practice reviewed (progress and group notes) ------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One thing a person did (or could not do) since it was last reviewed: a logged entry,
    or "I couldn't do it" on an assignment. `reason` and `detail` are the participant's own
    words: filled only for a reader on the care team (`full`)."""

    kind: str  # "entry" | "could_not"
    public_id: str  # the entry's, or the assignment's for "could_not"
    episode_id: int
    title: str
    day: date
    rating: int | None = None
    could_not: bool = False
    reason: str = ""
    detail: str = ""


def _entry_text(entry: PracticeEntry) -> str:
    """The participant's words of an entry, in one line: what happened for a skill, the
    text answers of a worksheet (first level), at most 500 characters."""
    answers = entry.answers if isinstance(entry.answers, dict) else {}
    parts = [str(v).strip() for v in answers.values() if isinstance(v, str) and v.strip()]
    text = " · ".join(parts)
    return text if len(text) <= 500 else text[:499] + "…"


def practice_to_review(
    episode_ids: Collection[int],
    *,
    up_to: datetime,
    full_ids: Collection[int],
    series_id: int | None,
) -> dict[int, list[ReviewItem]]:
    """Per episode, the practice not yet reviewed, written by `up_to` (entries, oldest day
    first, then "couldn't do it"). Episodes in `full_ids` (the reader is on their care team)
    get every assignment and the participant's words; the others only assignments given at
    a session of `series_id` (the facilitator's own group), without the words. Two queries
    for any number of people."""
    full = set(full_ids)
    limited = [i for i in episode_ids if i not in full]
    scope = Q(episode_id__in=[i for i in episode_ids if i in full])
    if series_id is not None and limited:
        scope |= Q(episode_id__in=limited, occurrence__series_id=series_id)
    assignments = Assignment.objects.filter(scope)
    entries = (
        PracticeEntry.objects.filter(
            assignment__in=assignments, reviewed_at__isnull=True, submitted_at__lte=up_to
        )
        .select_related("assignment")
        .order_by("practiced_on", "submitted_at", "pk")
    )
    could_not = (
        assignments.filter(
            could_not_at__isnull=False,
            could_not_at__lte=up_to,
            could_not_reviewed_at__isnull=True,
        )
        .select_related("episode__program__organization")
        .order_by("could_not_at", "pk")
    )
    found: dict[int, list[ReviewItem]] = {i: [] for i in episode_ids}
    for e in entries:
        words = e.episode_id in full
        found[e.episode_id].append(
            ReviewItem(
                "entry",
                str(e.public_id),
                e.episode_id,
                e.assignment.title,
                e.practiced_on,
                rating=e.rating,
                detail=_entry_text(e) if words else "",
            )
        )
    for a in could_not:
        words = a.episode_id in full
        # The organization's date of the "couldn't do it", never the server's.
        tz = a.episode.program.organization.tz
        day = timezone.localtime(a.could_not_at, tz).date() if a.could_not_at else a.due_on
        found[a.episode_id].append(
            ReviewItem(
                "could_not",
                str(a.public_id),
                a.episode_id,
                a.title,
                day,
                could_not=True,
                reason=a.could_not_reason if words else "",
            )
        )
    return found
