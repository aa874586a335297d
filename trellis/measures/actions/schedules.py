"""Check-in schedules: a program's default schedules, the sweep that creates the check-ins
that are due, and the sweep that marks the missed ones. Atomic and audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.choices import Weekday
from trellis.measures.actions.checkins import do_get_or_create_administration
from trellis.measures.models import (
    OPEN_ADMINISTRATION,
    Administration,
    AdministrationStatus,
    Schedule,
    ScheduleKind,
    ScheduleOverride,
)
from trellis.measures.registry import DEFAULT_CODES
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import Program
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass(frozen=True)
class DefaultSchedule:
    kind: str
    weekday: int | None = None
    offset_days: int = 0
    window_days: int = 3


DEFAULT_SCHEDULES = (
    DefaultSchedule(ScheduleKind.ADMISSION, window_days=7),
    DefaultSchedule(ScheduleKind.WEEKLY, weekday=Weekday.TUESDAY, window_days=3),
    DefaultSchedule(ScheduleKind.DISCHARGE, window_days=7),
    DefaultSchedule(ScheduleKind.AFTER_DISCHARGE, offset_days=30, window_days=14),
    DefaultSchedule(ScheduleKind.AFTER_DISCHARGE, offset_days=90, window_days=14),
)


@transaction.atomic
def do_create_default_schedules(actor: User | None, program: Program) -> list[Schedule]:
    """PHQ-9 and GAD-7 at admission, every Tuesday, at discharge, and 30 and 90 days after."""
    created = []
    for code in DEFAULT_CODES:
        for default in DEFAULT_SCHEDULES:
            schedule = Schedule.objects.create(
                program=program,
                instrument_code=code,
                kind=default.kind,
                weekday=default.weekday,
                offset_days=default.offset_days,
                window_days=default.window_days,
            )
            created.append(schedule)
    record(
        actor,
        Action.CREATE,
        object_type="measures.schedule",
        object_id=str(program.public_id),
        purpose=Purpose.HOPERAT,
        actor_label="" if actor else "system",
        detail={"defaults": len(created)},
    )
    return created


def due_date_for(
    schedule: Schedule, episode: Episode, today: date, override: ScheduleOverride | None
) -> date | None:
    """The date this schedule offers a check-in to this episode on or before `today`, when one
    is still inside its window; None when nothing is due."""
    if override is not None and override.skip:
        return None
    window = timedelta(days=schedule.window_days)
    due: date | None = None
    if schedule.kind == ScheduleKind.ADMISSION:
        due = episode.admitted_on
    elif schedule.kind == ScheduleKind.WEEKLY:
        if episode.status != EpisodeStatus.ACTIVE or episode.admitted_on is None:
            return None
        weekday = (
            override.weekday if override and override.weekday is not None else schedule.weekday
        )
        assert weekday is not None  # noqa: S101  # the weekly constraint requires one
        due = today - timedelta(days=(today.weekday() - weekday) % 7)
        if due <= episode.admitted_on:
            return None  # the admission check-in is the baseline
    elif schedule.kind == ScheduleKind.DISCHARGE:
        due = episode.discharged_on
    elif schedule.kind == ScheduleKind.AFTER_DISCHARGE and episode.discharged_on is not None:
        due = episode.discharged_on + timedelta(days=schedule.offset_days)
    if due is None or due > today or today >= due + window:
        return None
    return due


def do_schedule_checkins(on: date | None = None) -> list[Administration]:
    """Create the check-ins that are due (idempotent: one per episode, schedule and date).

    Due dates are each program's own date (`on` overrides it, for tests and back-fills)."""
    created: list[Administration] = []
    programs = Program.objects.filter(is_active=True).select_related("organization")
    for program in programs:
        today = on or program.organization.today()
        schedules = list(program.measure_schedules.filter(is_active=True))
        if not schedules and not program.measure_schedules.exists():
            schedules = do_create_default_schedules(None, program)
        if not schedules:
            continue
        episodes = (
            Episode.objects.filter(
                program=program, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.DISCHARGED]
            )
            .filter(admitted_on__isnull=False)
            .select_related("participant", "program__organization")
        )
        episodes = episodes.exclude(
            status=EpisodeStatus.DISCHARGED, discharged_on__lt=today - timedelta(days=120)
        )
        overrides = {
            (o.episode_id, o.schedule_id): o
            for o in ScheduleOverride.objects.filter(schedule__in=schedules)
        }
        since = today - timedelta(days=120)
        existing = set(
            Administration.objects.filter(schedule__in=schedules, due_on__gte=since).values_list(
                "episode_id", "schedule_id", "due_on"
            )
        )
        answered = _completed_times(program, since)
        for episode in episodes:
            for schedule in schedules:
                due = due_date_for(
                    schedule, episode, today, overrides.get((episode.pk, schedule.pk))
                )
                if due is None or (episode.pk, schedule.pk, due) in existing:
                    continue
                starts = datetime.combine(due, time.min, tzinfo=program.organization.tz)
                ends = starts + timedelta(days=schedule.window_days)
                times = answered.get((episode.pk, schedule.instrument_code), [])
                if any(starts <= at < ends for at in times):
                    continue  # answered inside this window already (by hand, on paper, demo)
                try:
                    with transaction.atomic():
                        administration, made = do_get_or_create_administration(
                            None,
                            episode,
                            schedule.instrument_code,
                            due_on=due,
                            schedule=schedule,
                            window_days=schedule.window_days,
                        )
                except IntegrityError:
                    continue  # another sweep made it first
                if made:
                    created.append(administration)
    return created


def _completed_times(program: Program, since: date) -> dict[tuple[int, str], list[datetime]]:
    """When each episode's check-ins of each instrument were completed, since `since`."""
    times: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    rows = Administration.objects.filter(
        episode__program=program,
        status=AdministrationStatus.COMPLETED,
        completed_at__isnull=False,
        due_on__gte=since,
    ).values_list("episode_id", "instrument_code", "completed_at")
    for episode_id, code, at in rows:
        if at is not None:
            times[(episode_id, code)].append(at)
    return times


def do_mark_missed(now: datetime | None = None) -> int:
    """Expire open check-ins past their window; two missed in a row raise an alert."""
    now = now or timezone.now()
    expired = list(
        Administration.objects.filter(status__in=OPEN_ADMINISTRATION, expires_at__lte=now)
        .select_related("episode__program", "participant")
        .order_by("due_on")
    )
    for administration in expired:
        with transaction.atomic():
            changed = Administration.objects.filter(
                pk=administration.pk, status__in=OPEN_ADMINISTRATION
            ).update(status=AdministrationStatus.MISSED, link_token_hash="")
            if not changed:
                continue
            record(
                None,
                Action.UPDATE,
                participant=administration.participant,
                obj=administration,
                purpose=Purpose.TREAT,
                actor_label="system",
                detail={"missed": True},
            )
            previous = (
                Administration.objects.filter(
                    episode_id=administration.episode_id,
                    instrument_code=administration.instrument_code,
                    due_on__lt=administration.due_on,
                )
                .exclude(status=AdministrationStatus.CANCELLED)
                .order_by("-due_on")
                .first()
            )
            if previous is not None and previous.status == AdministrationStatus.MISSED:
                do_raise_alert(
                    None,
                    participant=administration.participant,
                    episode=administration.episode,
                    kind=AlertKind.MISSED_CHECKINS,
                    priority=Priority.NORMAL,
                    title="Two check-ins in a row were missed",
                    source=f"measures.administration:{administration.public_id}",
                    dedupe_key=f"measures:missed:{administration.public_id}",
                )
    return len(expired)
