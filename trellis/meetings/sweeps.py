"""Periodic sweeps that turn other apps' state into worklist items (registered in plugins.py).

The worklist never imports clinical apps (docs/architecture.md), so these live in the work
layer, which may read plans, notes and scheduling and writes through the worklist's actions.
Every sweep is idempotent: each item has a dedupe key, so running twice (or late, after a
worker restart) raises it once; tasks whose condition has cleared are closed by the sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from trellis.meetings.models import MeetingSeries
from trellis.notes.models import RESTRICTED_KINDS, Note, NoteStatus
from trellis.participants.models import Episode, EpisodeStatus
from trellis.plans.queries import reviews_due
from trellis.programs.models import Program
from trellis.scheduling.hours import consecutive_unexcused_threshold, flags_for
from trellis.scheduling.recurrence import iso_week_start
from trellis.worklist.actions import do_close_cleared, do_raise_alert
from trellis.worklist.models import AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User

UNSIGNED_AFTER = timedelta(hours=24)
REVIEW_TASK_DAYS = 7


def _open_episodes(program: Program) -> list[Episode]:
    return list(
        Episode.objects.filter(
            program=program, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]
        ).select_related("participant", "program", "program__organization")
    )


def raise_attendance_alerts(now: datetime | None = None) -> int:
    """Hours below the minimum last week, and unexcused absences in a row (scheduling's
    flags), as alerts to the primary clinician: once per episode and ISO week."""
    now = now or timezone.now()
    raised = 0
    for program in Program.objects.filter(is_active=True).select_related("organization"):
        episodes = _open_episodes(program)
        if not episodes:
            continue
        today = now.astimezone(program.organization.tz).date()
        week = iso_week_start(today)
        by_id = {e.pk: e for e in episodes}
        for episode_id, flags in flags_for(episodes, today, now=now).items():
            episode = by_id[episode_id]
            for flag in flags:
                if flag.code == "below_minimum":
                    kind, key = AlertKind.BELOW_MINIMUM_HOURS, "below-minimum"
                    title = "Attended fewer hours than the program minimum last week"
                elif flag.code == "unexcused_run":
                    kind, key = AlertKind.UNEXCUSED_ABSENCES, "unexcused"
                    title = f"{consecutive_unexcused_threshold()}+ unexcused absences in a row"
                else:
                    continue
                with transaction.atomic():
                    alert = do_raise_alert(
                        None,
                        participant=episode.participant,
                        episode=episode,
                        kind=kind,
                        priority=Priority.NORMAL,
                        title=title,
                        detail=flag.label,
                        source=f"scheduling.episode:{episode.public_id}",
                        dedupe_key=f"scheduling:{key}:{episode.public_id}:{week:%G-W%V}",
                        now=now,
                    )
                raised += alert.created_at == now
    return raised


def raise_plan_review_tasks(now: datetime | None = None) -> int:
    """A task for the primary clinician when a plan review is due within a week; closed
    when the review is done (the due date moves on)."""
    now = now or timezone.now()
    raised = 0
    current: set[str] = set()
    for program in Program.objects.filter(is_active=True).select_related("organization"):
        today = now.astimezone(program.organization.tz).date()
        episodes = Episode.objects.filter(
            program=program, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]
        )
        for plan in reviews_due(episodes, within_days=REVIEW_TASK_DAYS, on=today).select_related(
            "episode__program"
        ):
            due = plan.review_due_on
            assert due is not None  # noqa: S101  # reviews_due filters on it
            source = f"plans.review:{plan.public_id}:{due.isoformat()}"
            current.add(source)
            alert = do_raise_alert(
                None,
                participant=plan.episode.participant,
                episode=plan.episode,
                kind=AlertKind.PLAN_REVIEW_DUE,
                priority=Priority.HIGH if due <= today else Priority.NORMAL,
                title=f"Treatment plan review due {due:%b} {due.day}",
                source=source,
                dedupe_key=f"plans:review:{plan.public_id}:{due.isoformat()}",
                due_at=datetime.combine(due, datetime.min.time(), tzinfo=program.organization.tz)
                + timedelta(hours=17),
                now=now,
            )
            raised += alert.created_at == now
    do_close_cleared("plans.review:", current)
    return raised


def _raise_note_tasks(
    notes: QuerySet[Note],
    *,
    prefix: str,
    kind: AlertKind,
    priority: Priority,
    title: str,
    owner: Callable[[Note], User | None],
    dedupe_key: Callable[[Note], str],
    due_in: timedelta,
    now: datetime,
) -> int:
    """One task per note, for its owner; tasks of `prefix` whose note moved on are closed."""
    raised = 0
    current: set[str] = set()
    for note in notes:
        who = owner(note)
        if note.kind in RESTRICTED_KINDS or who is None:
            continue
        source = f"{prefix}:{note.public_id}"
        current.add(source)
        alert = do_raise_alert(
            None,
            participant=note.episode.participant,
            episode=note.episode,
            kind=kind,
            priority=priority,
            title=title,
            source=source,
            dedupe_key=dedupe_key(note),
            owner=who,
            due_at=now + due_in,
            now=now,
        )
        raised += alert.created_at == now
    do_close_cleared(f"{prefix}:", current)
    return raised


def raise_note_tasks(now: datetime | None = None) -> int:
    """Notes awaiting co-signature (a task for the supervisor) and notes unsigned 24 hours
    after the session (a task for the author). Restricted notes are left out: a task would
    tell others that such a note exists. Both close when the note moves on."""
    now = now or timezone.now()
    raised = _raise_note_tasks(
        Note.objects.filter(
            status=NoteStatus.AWAITING_COSIGN, cosigner__isnull=False
        ).select_related("episode", "episode__participant", "episode__program", "cosigner"),
        prefix="notes.cosign",
        kind=AlertKind.NOTE_AWAITING_COSIGN,
        priority=Priority.NORMAL,
        title="Progress note awaiting your co-signature",
        owner=lambda note: note.cosigner,
        dedupe_key=lambda note: f"notes:cosign:{note.public_id}:{note.revision}",
        due_in=timedelta(days=2),
        now=now,
    )
    return raised + _raise_note_tasks(
        Note.objects.filter(
            status__in=[NoteStatus.DRAFT, NoteStatus.RETURNED],
            session_end__lt=now - UNSIGNED_AFTER,
        ).select_related("episode", "episode__participant", "episode__program", "author"),
        prefix="notes.unsigned",
        kind=AlertKind.NOTE_UNSIGNED,
        priority=Priority.HIGH,
        title="Progress note still unsigned 24 hours after the session",
        owner=lambda note: note.author,
        dedupe_key=lambda note: f"notes:unsigned:{note.public_id}",
        due_in=timedelta(days=1),
        now=now,
    )


def materialize_all() -> int:
    from trellis.meetings.actions import do_materialize

    made = 0
    for series in MeetingSeries.objects.filter(is_active=True).select_related(
        "program__organization"
    ):
        made += len(do_materialize(series))
    return made


@task
def materialize_meetings() -> int:
    return materialize_all()


@task
def attendance_alerts() -> int:
    return raise_attendance_alerts()


@task
def plan_review_tasks() -> int:
    return raise_plan_review_tasks()


@task
def note_tasks() -> int:
    return raise_note_tasks()
