"""Assignments: assign practice to one person or to everyone present in a session, log an
entry (idempotently), "couldn't do it", excuse, and the sweep that marks past-due ones missed.

Every write is one transaction with its audit events. Bad input raises `ValidationError`
with a message naming the field, before anything is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Frequency,
    PracticeEntry,
)
from trellis.practice.worksheets import clean_answers
from trellis.programs.models import Organization
from trellis.scheduling.models import ATTENDED

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode, Participant
    from trellis.scheduling.queries import Slot

MAX_NOTE = 2000
MAX_REASON = 1000
MAX_DAYS = 31


@dataclass(frozen=True)
class AssignmentData:
    """What to practise, how often and by when (the same for one person or a group)."""

    title: str
    due_on: date
    starts_on: date
    skill: Skill | None = None
    worksheet: WorksheetDefinition | None = None
    frequency: str = Frequency.ONCE
    times_required: int = 1
    note: str = ""


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def check_assignment(data: AssignmentData, organization_id: int, today: date) -> int:
    """The number of entries that complete it, or `ValidationError` naming the field."""
    errors: dict[str, str] = {}
    if data.skill is None and data.worksheet is None:
        errors["skill"] = "Choose a skill or a worksheet to practise."
    if data.skill is not None and data.skill.module.organization_id != organization_id:
        errors["skill"] = "This skill is not in your organization's library."
    elif (
        data.worksheet is None
        and data.skill is not None
        and not (data.skill.is_active and data.skill.module.is_active)
    ):
        errors["skill"] = "This skill is retired from the library: choose another."
    if data.worksheet is not None:
        if data.worksheet.organization_id != organization_id:
            errors["worksheet"] = "This worksheet is not in your organization's library."
        elif not data.worksheet.is_current:
            errors["worksheet"] = (
                "This worksheet version has been replaced; choose the current one."
            )
    if not data.title.strip():
        errors["title"] = "Give the assignment a short title."
    elif len(data.title) > 200:
        errors["title"] = "The title is at most 200 characters."
    if len(data.note) > MAX_NOTE:
        errors["note"] = f"The note is at most {MAX_NOTE} characters."
    if data.due_on < data.starts_on:
        errors["due_on"] = "The due date is before the start date."
    elif data.due_on < today:
        errors["due_on"] = "The due date is in the past."
    elif (data.due_on - data.starts_on).days >= 92:
        errors["due_on"] = "The due date is more than three months away."
    times = 1
    if data.frequency == Frequency.ONCE:
        times = 1
    elif data.frequency == Frequency.TIMES:
        times = data.times_required
        if not 1 <= times <= MAX_DAYS:
            errors["times_required"] = f"Times must be between 1 and {MAX_DAYS}."
    elif data.frequency == Frequency.DAILY:
        times = (data.due_on - data.starts_on).days + 1
        if times > MAX_DAYS:
            errors["due_on"] = f"Daily practice runs at most {MAX_DAYS} days."
    else:
        errors["frequency"] = "Choose once, a number of times, or daily."
    if errors:
        raise ValidationError(errors)
    return times


def _build(
    actor: User | None,
    episode: Episode,
    data: AssignmentData,
    times: int,
    *,
    occurrence_id: int | None = None,
    batch: uuid.UUID | None = None,
) -> Assignment:
    return Assignment(
        participant=episode.participant,
        episode=episode,
        skill=data.skill,
        worksheet=data.worksheet,
        title=data.title.strip(),
        note=data.note.strip(),
        frequency=data.frequency,
        times_required=times,
        starts_on=data.starts_on,
        due_on=data.due_on,
        occurrence_id=occurrence_id,
        batch=batch,
        assigned_by=_actor(actor),
    )


@transaction.atomic
def do_assign(
    actor: User | None,
    episode: Episode,
    data: AssignmentData,
    *,
    batch: uuid.UUID | None = None,
    today: date | None = None,
) -> Assignment:
    """Assign practice to one person (their open episode). `batch` (the form's hidden key)
    makes a double submit store one assignment: the second gets the first back. `today` is
    the organization's date the assignment is made on (default: now; the demo replays past
    weeks)."""
    if batch is not None:
        existing = Assignment.objects.filter(batch=batch, episode=episode).first()
        if existing is not None:
            return existing
    if not episode.is_open:
        raise ValidationError({"participant": "This person's episode is not open."})
    organization = episode.program.organization
    times = check_assignment(data, organization.pk, today or organization.today())
    assignment = _build(actor, episode, data, times, batch=batch)
    assignment.save()
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=assignment,
        purpose=Purpose.TREAT,
    )
    return assignment


def present_episodes(slot: Slot) -> list[Episode]:
    """Everyone marked present, late or left early at the session (slot.attendance loaded)."""
    return [a.episode for a in slot.attendance if a.status in ATTENDED]


@transaction.atomic
def do_assign_to_present(
    actor: User | None,
    slot: Slot,
    data: AssignmentData,
    *,
    episode_ids: Sequence[uuid.UUID] | None = None,
    batch: uuid.UUID | None = None,
    today: date | None = None,
) -> list[Assignment]:
    """One batch: the same practice for everyone present at `slot` (or the chosen ones of
    them). Naming anyone who was not present refuses the whole batch; nothing is stored.
    `batch` (the form's hidden key) makes a double submit store one batch. `today` as in
    `do_assign`."""
    if batch is not None:
        existing = list(Assignment.objects.filter(batch=batch))
        if existing:
            return existing
    if slot.row is None:
        raise ValidationError({"participants": "Nobody has been marked present yet."})
    present = {e.public_id: e for e in present_episodes(slot)}
    if episode_ids is None:
        chosen = list(present.values())
    else:
        missing = [i for i in episode_ids if i not in present]
        if missing:
            raise ValidationError(
                {"participants": "Some of the people chosen were not present at this session."}
            )
        chosen = [present[i] for i in dict.fromkeys(episode_ids)]
    if not chosen:
        raise ValidationError({"participants": "Nobody has been marked present yet."})
    organization = slot.series.track.program.organization
    times = check_assignment(data, organization.pk, today or organization.today())
    batch = batch or uuid.uuid4()
    rows = [_build(actor, e, data, times, occurrence_id=slot.row.pk, batch=batch) for e in chosen]
    Assignment.objects.bulk_create(rows)
    for row in rows:
        record(
            actor,
            Action.CREATE,
            participant=row.participant,
            obj=row,
            purpose=Purpose.TREAT,
            detail={"batch": str(batch), "occurrence": slot.key},
        )
    return rows


def _refresh_status(assignment: Assignment) -> None:
    if assignment.status == AssignmentStatus.EXCUSED:
        return
    if assignment.frequency == Frequency.DAILY:
        count = assignment.entries.values("practiced_on").distinct().count()
    else:
        count = assignment.entries.count()
    new = (
        AssignmentStatus.DONE
        if count >= assignment.times_required
        else AssignmentStatus.IN_PROGRESS
        if count
        else assignment.status
    )
    if new != assignment.status:
        assignment.status = new
        assignment.status_changed_at = timezone.now()
        assignment.save(update_fields=["status", "status_changed_at"])


@dataclass(frozen=True)
class EntryData:
    practiced_on: date
    idempotency_key: str
    rating: int | None = None
    answers: Mapping[str, Any] | None = None
    what_happened: str = ""


def _check_entry(assignment: Assignment, data: EntryData, today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not data.idempotency_key or len(data.idempotency_key) > 64:
        errors["idempotency_key"] = "The form is missing its submission key; reload the page."
    if data.practiced_on > today:
        errors["practiced_on"] = "The day you practised can't be in the future."
    elif data.practiced_on < assignment.starts_on:
        errors["practiced_on"] = "That day is before this practice was assigned."
    if data.rating is not None and not 0 <= data.rating <= 10:
        errors["rating"] = "How it went is a number from 0 to 10."
    if assignment.status == AssignmentStatus.EXCUSED:
        errors["assignment"] = "This practice was excused; there is nothing to log."
    answers: dict[str, Any] = {}
    if assignment.worksheet is not None:
        skill_ids = frozenset(
            str(p)
            for p in Skill.objects.filter(
                module__organization_id=assignment.worksheet.organization_id
            ).values_list("public_id", flat=True)
        )
        try:
            answers = clean_answers(
                assignment.worksheet.fields,
                dict(data.answers or {}),
                today=today,
                skill_ids=skill_ids,
            )
        except ValidationError as exc:
            errors.update({k: "; ".join(v) for k, v in exc.message_dict.items()})
    else:
        if data.rating is None:
            errors["rating"] = "Say how it went, from 0 to 10."
        if len(data.what_happened) > 4000:
            errors["what_happened"] = "What happened is at most 4000 characters."
        answers = {"what_happened": data.what_happened.strip()}
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def do_record_entry(
    actor: User | None, assignment: Assignment, data: EntryData, *, today: date | None = None
) -> PracticeEntry:
    """Log one practice. The same idempotency key again returns the first entry (a double
    submit from a flaky phone stores one entry). `today` is the organization's date it is
    written on (default: now; an earlier `practiced_on` is late-entered)."""
    existing = PracticeEntry.objects.filter(idempotency_key=data.idempotency_key).first()
    if existing is not None and data.idempotency_key:
        if existing.assignment_id != assignment.pk:
            raise ValidationError({"idempotency_key": "This submission key was already used."})
        return existing
    today = today or assignment.episode.program.organization.today()
    answers = _check_entry(assignment, data, today)
    rating = data.rating
    if rating is None and isinstance(answers.get("how_it_went"), int):
        rating = answers["how_it_went"]
    entry = PracticeEntry(
        assignment=assignment,
        participant=assignment.participant,
        episode=assignment.episode,
        practiced_on=data.practiced_on,
        late_entered=data.practiced_on < today,
        worksheet=assignment.worksheet,
        answers=answers,
        rating=rating,
        idempotency_key=data.idempotency_key,
        entered_by=_actor(actor),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Two submits raced: the other one stored it first.
        return PracticeEntry.objects.get(idempotency_key=data.idempotency_key)
    _refresh_status(assignment)
    record(
        actor,
        Action.CREATE,
        participant=assignment.participant,
        obj=entry,
        purpose=Purpose.PATRQT
        if actor is not None and _is_own(actor, assignment)
        else Purpose.TREAT,
        detail={"assignment": str(assignment.public_id)},
    )
    return entry


def _is_own(actor: User, assignment: Assignment) -> bool:
    participant = getattr(actor, "participant", None)
    return participant is not None and participant.pk == assignment.participant_id


@transaction.atomic
def do_could_not(actor: User | None, assignment: Assignment, reason: str) -> Assignment:
    """The participant says they couldn't do it, and why (encrypted)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say briefly what got in the way."})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"The reason is at most {MAX_REASON} characters."})
    if assignment.status not in OPEN_ASSIGNMENT_STATUSES:
        raise ValidationError({"assignment": "This practice is no longer open."})
    assignment.could_not_at = timezone.now()
    assignment.could_not_reason = reason
    assignment.save(update_fields=["could_not_at", "could_not_reason"])
    record(
        actor,
        Action.UPDATE,
        participant=assignment.participant,
        obj=assignment,
        purpose=Purpose.PATRQT,
        detail={"could_not": True},
    )
    return assignment


@transaction.atomic
def do_excuse(actor: User | None, assignment: Assignment) -> Assignment:
    """Staff excuse an open or missed assignment: it no longer counts against adherence."""
    if assignment.status in {AssignmentStatus.DONE, AssignmentStatus.EXCUSED}:
        raise ValidationError({"assignment": "Only open or missed practice can be excused."})
    assignment.status = AssignmentStatus.EXCUSED
    assignment.status_changed_at = timezone.now()
    assignment.save(update_fields=["status", "status_changed_at"])
    record(
        actor,
        Action.UPDATE,
        participant=assignment.participant,
        obj=assignment,
        purpose=Purpose.TREAT,
        detail={"status": AssignmentStatus.EXCUSED},
    )
    return assignment


@transaction.atomic
def sweep_missed(organization_id: int, today: date) -> int:
    """Mark the organization's open assignments due before `today` (its own date) missed.
    Idempotent: a second run finds nothing open and past due."""
    stale = list(
        Assignment.objects.filter(
            episode__program__organization_id=organization_id,
            status__in=OPEN_ASSIGNMENT_STATUSES,
            due_on__lt=today,
        ).select_related("participant")
    )
    now = timezone.now()
    for a in stale:
        a.status = AssignmentStatus.MISSED
        a.status_changed_at = now
    Assignment.objects.bulk_update(stale, ["status", "status_changed_at"])
    for a in stale:
        record(
            None,
            Action.UPDATE,
            participant=a.participant,
            obj=a,
            purpose=Purpose.HOPERAT,
            detail={"status": AssignmentStatus.MISSED},
            actor_label="practice.sweep",
        )
    return len(stale)


@transaction.atomic
def do_mark_reviewed(
    actor: User | None,
    entry_ids: Sequence[str],
    could_not_ids: Sequence[str],
    *,
    reviewed_in: str,
    now: datetime | None = None,
) -> int:
    """Mark practice reviewed by a signed note (`reviewed_in`: "notes.progress:<id>" or
    "notes.group:<entry id>"), inside the note's signing transaction. Only what is not yet
    reviewed is marked: practice reviewed once is never offered again. One audit event per
    person. Returns how many entries and "couldn't do it"s were marked."""
    now = now or timezone.now()
    entries = list(
        PracticeEntry.objects.select_for_update()
        .filter(public_id__in=list(entry_ids), reviewed_at__isnull=True)
        .select_related("participant")
    )
    assignments = list(
        Assignment.objects.select_for_update()
        .filter(
            public_id__in=list(could_not_ids),
            could_not_at__isnull=False,
            could_not_reviewed_at__isnull=True,
        )
        .select_related("participant")
    )
    PracticeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        reviewed_at=now, reviewed_by=_actor(actor), reviewed_in=reviewed_in[:80]
    )
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(could_not_reviewed_at=now)
    people: dict[int, Participant] = {}
    counts: dict[int, list[int]] = {}
    for kind, rows in ((0, entries), (1, assignments)):
        for row in rows:
            people[row.participant_id] = row.participant
            counts.setdefault(row.participant_id, [0, 0])[kind] += 1
    for pid, participant in people.items():
        record(
            actor,
            Action.UPDATE,
            participant=participant,
            object_type="practice.review",
            object_id=reviewed_in[:80],
            purpose=Purpose.TREAT,
            detail={"entries": counts[pid][0], "could_not": counts[pid][1]},
        )
    return len(entries) + len(assignments)


def do_sweep_missed(now: datetime | None = None) -> int:
    """The periodic sweep (practice.tasks.mark_missed): every organization on its own date.

    An assignment due on a day is missed only once that day has ended in the organization's
    zone (its programs' zone), never when UTC's date has moved on: at 10 pm in Chicago the
    day's practice is still on time. Safe to run twice or late: each organization is one
    transaction, and what is already missed is not open any more."""
    now = now or timezone.now()
    return sum(
        sweep_missed(organization.pk, now.astimezone(organization.tz).date())
        for organization in Organization.objects.order_by("pk")
    )
