"""The weekly hours ledger and attendance flags.

Hours are counted per ISO week in the program's zone (docs/architecture.md, "Time"):

- scheduled: minutes of every occurrence the person was expected at (on the roster that day,
  not cancelled) plus walk-ins;
- attended: minutes actually attended (duration less lateness and early leaving);
- projected: attended so far plus the still-to-come, unmarked occurrences of the week.

They are compared with the program's minimum and maximum (ASAM 2.1: adults 9-19, adolescents
6-19, docs/domain.md §1) or an episode's override for a payer's rule.

Flags (thresholds from settings, defaults below): attended less than the minimum last week;
N unexcused absences in a row; M absences of any kind within D days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone

from trellis.participants.models import Episode
from trellis.scheduling import recurrence
from trellis.scheduling.models import (
    ABSENT,
    Attendance,
    AttendanceStatus,
    EpisodeHoursOverride,
)
from trellis.scheduling.queries import (
    Slot,
    expected_at,
    occurrences_between,
    roster_for,
    series_for_episodes,
)

DEFAULT_CONSECUTIVE_UNEXCUSED = 2
DEFAULT_ABSENCES_IN_WINDOW = 3
DEFAULT_WINDOW_DAYS = 14


def consecutive_unexcused_threshold() -> int:
    return int(
        getattr(settings, "TRELLIS_ATTENDANCE_CONSECUTIVE_UNEXCUSED", DEFAULT_CONSECUTIVE_UNEXCUSED)
    )


def absences_threshold() -> int:
    return int(
        getattr(settings, "TRELLIS_ATTENDANCE_ABSENCES_IN_WINDOW", DEFAULT_ABSENCES_IN_WINDOW)
    )


def window_days() -> int:
    return int(getattr(settings, "TRELLIS_ATTENDANCE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


@dataclass
class WeekHours:
    episode: Episode
    week_start: date
    min_hours: Decimal
    max_hours: Decimal
    scheduled_minutes: int = 0
    attended_minutes: int = 0
    remaining_minutes: int = 0
    attended_by_day: dict[date, int] = field(default_factory=dict)
    # Sessions per day the person was expected at and has no mark for: past ones ("not
    # marked", someone has to mark them) apart from ones still to come.
    unmarked_by_day: dict[date, int] = field(default_factory=dict)
    upcoming_by_day: dict[date, int] = field(default_factory=dict)
    absent_by_day: dict[date, int] = field(default_factory=dict)

    @property
    def scheduled(self) -> Decimal:
        return hours(self.scheduled_minutes)

    @property
    def attended(self) -> Decimal:
        return hours(self.attended_minutes)

    @property
    def projected(self) -> Decimal:
        return hours(self.attended_minutes + self.remaining_minutes)

    def _band(self, value: Decimal) -> str:
        if value < self.min_hours:
            return "below"
        if value > self.max_hours:
            return "above"
        return "within"

    @property
    def band(self) -> str:
        """ "below" / "within" / "above" the range, by projected hours (attended for the past)."""
        return self._band(self.projected)

    @property
    def attended_band(self) -> str:
        """ "below" / "within" / "above" the range, by hours attended so far."""
        return self._band(self.attended)

    def days(self) -> list[DayHours]:
        result = []
        for n in range(7):
            day = self.week_start + timedelta(days=n)
            result.append(
                DayHours(
                    day,
                    hours(self.attended_by_day.get(day, 0)),
                    unmarked=self.unmarked_by_day.get(day, 0),
                    upcoming=self.upcoming_by_day.get(day, 0),
                    absent=self.absent_by_day.get(day, 0),
                )
            )
        return result


@dataclass(frozen=True)
class DayHours:
    """One person's day on the dashboard: hours attended, and what else that day holds."""

    day: date
    hours: Decimal
    unmarked: int = 0
    upcoming: int = 0
    absent: int = 0


def _limits(
    episodes: Sequence[Episode],
    week_start: date,
    overrides: Sequence[EpisodeHoursOverride] | None = None,
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each episode's weekly range: its override where the override covers this week, else
    its program's. Pass the episodes' `overrides` when the caller has read them already."""
    if overrides is None:
        overrides = list(
            EpisodeHoursOverride.objects.filter(episode_id__in=[e.pk for e in episodes])
        )
    covering = {
        o.episode_id: (o.min_hours_per_week, o.max_hours_per_week)
        for o in overrides
        if o.covers_week(week_start)
    }
    return {
        e.pk: covering.get(e.pk, (e.program.min_hours_per_week, e.program.max_hours_per_week))
        for e in episodes
    }


def week_hours(
    episodes: Sequence[Episode],
    week_start: date,
    *,
    now: datetime | None = None,
    slots: list[Slot] | None = None,
) -> dict[int, WeekHours]:
    """Hours of the ISO week starting `week_start` for each episode, in six queries.

    Episodes must come with `program` loaded. Pass `slots` when the caller has already
    expanded the week's occurrences for these episodes' series.
    """
    weeks = weeks_hours(episodes, week_start, 1, now=now, slots=slots)
    return {episode_id: entries[0] for episode_id, entries in weeks.items()}


def weeks_hours(
    episodes: Sequence[Episode],
    first_monday: date,
    weeks: int,
    *,
    now: datetime | None = None,
    slots: list[Slot] | None = None,
) -> dict[int, list[WeekHours]]:
    """Hours of `weeks` ISO weeks from `first_monday` for each episode, oldest week first,
    in the same six queries as one week (the participant's progress page reads several).

    Episodes must come with `program` loaded. Pass `slots` when the caller has already
    expanded these weeks' occurrences for these episodes' series.
    """
    now = now or timezone.now()
    mondays = [first_monday + timedelta(weeks=n) for n in range(max(1, weeks))]
    last_day = mondays[-1] + timedelta(days=6)
    episode_ids = [e.pk for e in episodes]
    ledgers: dict[date, dict[int, WeekHours]] = {}
    overrides = (
        list(EpisodeHoursOverride.objects.filter(episode_id__in=episode_ids)) if episodes else []
    )
    for monday in mondays:
        limits = _limits(episodes, monday, overrides)
        ledgers[monday] = {e.pk: WeekHours(e, monday, *limits[e.pk]) for e in episodes}
    result = {e.pk: [ledgers[m][e.pk] for m in mondays] for e in episodes}
    if not episodes:
        return result

    def entry_for(episode_id: int, day: date) -> WeekHours | None:
        week = ledgers.get(day - timedelta(days=day.weekday()))
        return week.get(episode_id) if week is not None else None

    prefetch_related_objects(list(episodes), "status_changes")
    if slots is None:
        slots = occurrences_between(
            series_for_episodes(episode_ids, first_monday, last_day), first_monday, last_day
        )
    roster = roster_for(
        {s.series.pk for s in slots}, first_monday, last_day, episode_ids, with_people=False
    )
    # Marks as plain tuples: a program's week is thousands of rows, and model instances
    # would cost more than the arithmetic. Only the status is needed per (occurrence, episode).
    marks: dict[tuple[int, int], str] = {}
    for (
        occurrence_id,
        episode_id,
        status,
        minutes_attended,
        scheduled_minutes,
        is_walk_in,
        day,
    ) in Attendance.objects.filter(
        episode_id__in=episode_ids, session_date__range=(first_monday, last_day)
    ).values_list(
        "occurrence_id",
        "episode_id",
        "status",
        "minutes_attended",
        "scheduled_minutes",
        "is_walk_in",
        "session_date",
    ):
        marks[(occurrence_id, episode_id)] = status
        entry = entry_for(episode_id, day)
        if entry is None:
            continue
        if status in ABSENT:
            entry.absent_by_day[day] = entry.absent_by_day.get(day, 0) + 1
        entry.attended_minutes += minutes_attended
        entry.attended_by_day[day] = entry.attended_by_day.get(day, 0) + minutes_attended
        if is_walk_in:
            entry.scheduled_minutes += scheduled_minutes
    for slot in slots:
        if slot.cancelled:
            continue
        for membership in roster.get(slot.series.pk, []):
            expected = entry_for(membership.episode_id, slot.date)
            if expected is None or not expected_at(membership, expected.episode, slot.date):
                continue
            mark = marks.get((slot.row.pk, membership.episode_id)) if slot.row else None
            if mark == AttendanceStatus.CANCELLED_BY_PROGRAM:
                continue
            expected.scheduled_minutes += slot.duration_minutes
            if mark is None and slot.ends_at > now:
                expected.remaining_minutes += slot.duration_minutes
                upcoming = expected.upcoming_by_day
                upcoming[slot.date] = upcoming.get(slot.date, 0) + 1
            elif mark is None:
                unmarked = expected.unmarked_by_day
                unmarked[slot.date] = unmarked.get(slot.date, 0) + 1
    return result


@dataclass(frozen=True)
class Flag:
    code: str
    label: str


def flags_for(
    episodes: Sequence[Episode],
    today: date,
    *,
    last_week: dict[int, WeekHours] | None = None,
    now: datetime | None = None,
) -> dict[int, list[Flag]]:
    """Attendance flags per episode as of `today` (a local date in the program's zone)."""
    flags: dict[int, list[Flag]] = defaultdict(list)
    if not episodes:
        return flags
    last_monday = recurrence.iso_week_start(today) - timedelta(days=7)
    if last_week is None:
        last_week = week_hours(episodes, last_monday, now=now)
    prefetch_related_objects(list(episodes), "status_changes")
    # People on hold, planned, waitlisted or discharged today raise no attendance flags: the
    # same status history that decides who is expected at a session (queries.expected_at).
    episodes = [e for e in episodes if e.in_program_on(today)]
    for episode in episodes:
        entry = last_week[episode.pk]
        # Someone admitted, on hold or back part-way through last week was never expected to
        # reach the minimum.
        whole_week = episode.in_program_throughout(last_monday, last_monday + timedelta(days=6))
        if whole_week and entry.attended < entry.min_hours:
            flags[episode.pk].append(
                Flag("below_minimum", f"Below minimum last week ({entry.attended} h)")
            )
    run_needed = consecutive_unexcused_threshold()
    window = window_days()
    needed = absences_threshold()
    lookback = today - timedelta(days=max(window, 28))
    # (status, date) pairs, oldest first: plain tuples, as a program's month of marks is
    # thousands of rows and model instances would cost more than the arithmetic.
    history: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for episode_id, status, session_date in (
        Attendance.objects.filter(
            episode_id__in=[e.pk for e in episodes], session_date__range=(lookback, today)
        )
        .exclude(status=AttendanceStatus.CANCELLED_BY_PROGRAM)
        .order_by("session_date", "occurrence__series__start_time", "pk")
        .values_list("episode_id", "status", "session_date")
    ):
        history[episode_id].append((status, session_date))
    for episode in episodes:
        marks = history.get(episode.pk, [])
        run = 0
        for status, _ in reversed(marks):
            if status != AttendanceStatus.ABSENT_UNEXCUSED:
                break
            run += 1
        if run >= run_needed:
            flags[episode.pk].append(Flag("unexcused_run", f"{run} unexcused absences in a row"))
        since = today - timedelta(days=window - 1)
        absences = sum(1 for status, day in marks if status in ABSENT and day >= since)
        if absences >= needed:
            flags[episode.pk].append(
                Flag("absences_in_window", f"{absences} absences in {window} days")
            )
    return flags


def program_today(episode_or_zone_source: Episode) -> date:
    return episode_or_zone_source.program.organization.today()


def totals(entries: Iterable[WeekHours]) -> Decimal:
    return sum((e.attended for e in entries), Decimal(0))
