"""Reads across series, occurrences, closures, rosters and attendance. No writes.

`occurrences_between` is the one place occurrences come from: it expands each series over
the window (recurrence.py, per local date) and lays the materialized exceptions and program
closures over the result, in a fixed number of queries whatever the history.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from trellis.lib.clock import local_today
from trellis.participants.models import Episode
from trellis.programs.models import Membership, Program, Role, Room
from trellis.scheduling import recurrence
from trellis.scheduling.models import (
    HAS_LINK,
    HAS_ROOM,
    Attendance,
    CalendarFeed,
    EpisodeHoursOverride,
    Mode,
    Occurrence,
    OccurrenceStatus,
    ProgramClosure,
    ProgramScheduleSettings,
    RosterMembership,
    SessionNotice,
    SessionSeries,
    SessionSeriesQuerySet,
    is_https_link,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.privacy.access import ParticipantAccess

# Who may lead or cover a session: clinicians and program directors of the program (or of
# the whole organization); never front desk, intake, compliance or administrators.
FACILITATING_ROLES = (Role.CLINICIAN, Role.PROGRAM_DIRECTOR)


@dataclass
class Slot:
    """One occurrence as people see it: the series, with any exception applied."""

    series: SessionSeries
    original_date: date
    index: int
    date: date
    start_time: time
    duration_minutes: int
    starts_at: datetime
    ends_at: datetime
    room: Room | None
    mode: str
    telehealth_url: str
    facilitators: list[User]
    topic: str
    cancelled: bool = False
    cancel_reason: str = ""
    closed: bool = False
    row: Occurrence | None = None
    attendance: list[Attendance] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # conflicts.flag_conflicts fills it

    @property
    def key(self) -> str:
        return f"{self.series.public_id}/{self.original_date:%Y-%m-%d}"

    @property
    def moved(self) -> bool:
        return self.row is not None and self.row.moved_to_date is not None

    @property
    def locked(self) -> bool:
        return self.row is not None and self.row.is_locked

    @property
    def hybrid(self) -> bool:
        return self.mode == Mode.HYBRID

    @property
    def join_url(self) -> str:
        """The video link people follow (telehealth and hybrid sessions), https only."""
        return self.telehealth_url if self.mode in HAS_LINK else ""

    @property
    def place(self) -> str:
        if self.mode == Mode.TELEHEALTH:
            return "Telehealth"
        room = str(self.room.name) if self.room else "Room to be set"
        return f"{room} and video" if self.mode == Mode.HYBRID else room


def series_queryset() -> SessionSeriesQuerySet:
    return (
        SessionSeriesQuerySet(SessionSeries)
        .select_related(
            "track", "track__program", "track__program__organization", "room", "room__site"
        )
        .prefetch_related("facilitators")
    )


def _rows_for(series_ids: list[int], start: date, end: date) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(series_id__in=series_ids)
        .filter(Q(original_date__range=(start, end)) | Q(moved_to_date__range=(start, end)))
        .annotate(has_attendance=Exists(Attendance.objects.filter(occurrence=OuterRef("pk"))))
        .select_related("room", "room__site", "substitute", "substitute_for")
    )


def _slot(series: SessionSeries, index: int, original: date, row: Occurrence | None) -> Slot:
    zone = series.track.program.organization.tz
    day = original
    start_time = series.start_time
    duration = series.duration_minutes
    room = series.room
    mode = series.mode
    url = series.telehealth_url
    facilitators = list(series.facilitators.all())
    topic = series.topic_for(index)
    cancelled, reason = False, ""
    if row is not None:
        day = row.moved_to_date or original
        start_time = row.moved_start_time or start_time
        duration = row.moved_duration_minutes or duration
        if row.mode:
            mode = row.mode
            # The row keeps a room or link only where it differs from the series'.
            room = (row.room or series.room) if row.mode in HAS_ROOM else None
            url = (row.telehealth_url or url) if row.mode in HAS_LINK else url
        elif row.room is not None:
            room = row.room
        if row.substitute is not None:
            facilitators = [f for f in facilitators if f.pk != row.substitute_for_id]
            facilitators.append(row.substitute)
        topic = row.topic or topic
        cancelled = row.status == OccurrenceStatus.CANCELLED
        reason = row.cancel_reason
    starts_at = recurrence.aware(day, start_time, zone)
    return Slot(
        series=series,
        original_date=original,
        index=index,
        date=day,
        start_time=start_time,
        duration_minutes=duration,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration),
        room=room,
        mode=mode,
        # Only https links reach a page, a feed or the API, whatever an older row holds.
        telehealth_url=url if is_https_link(url) else "",
        facilitators=facilitators,
        topic=topic,
        cancelled=cancelled,
        cancel_reason=reason,
        row=row,
    )


def expand(series: SessionSeries, start: date, end: date) -> list[tuple[int, date]]:
    """(index, original local date) of a series' rule between two dates."""
    return list(recurrence.local_dates(series.rule, series.dtstart, start, end))


def occurrences_between(series_list: Iterable[SessionSeries], start: date, end: date) -> list[Slot]:
    """Every occurrence whose (possibly moved) local date is in [start, end], sorted by time.

    Four queries at most: the materialized rows, closures, and (through series_queryset's
    prefetch, done by the caller) facilitators. Moved occurrences are found from either end.
    """
    series_list = list(series_list)
    if not series_list or end < start:
        return []
    by_id = {s.pk: s for s in series_list}
    rows = _rows_for(list(by_id), start, end)
    rows_by_key = {(r.series_id, r.original_date): r for r in rows}
    program_ids = {s.track.program_id for s in series_list}
    closures = {
        (c.program_id, c.date): c
        for c in ProgramClosure.objects.filter(program_id__in=program_ids, date__range=(start, end))
    }
    slots: list[Slot] = []
    for series in series_list:
        produced: set[date] = set()
        for index, original in expand(series, start, end):
            produced.add(original)
            slots.append(_slot(series, index, original, rows_by_key.get((series.pk, original))))
        for row in rows:
            if row.series_id != series.pk or row.original_date in produced:
                continue
            in_rule = [
                i
                for i, d in recurrence.local_dates(
                    series.rule, series.dtstart, row.original_date, row.original_date
                )
            ]
            # Kept: a row the rule no longer produces (the series was split after this
            # session had attendance). It happened; it stays, under its own series.
            kept = not in_rule and getattr(row, "has_attendance", False)
            if in_rule or kept:
                slots.append(_slot(series, in_rule[0] if in_rule else 0, row.original_date, row))
    result = []
    for slot in slots:
        if not start <= slot.date <= end:
            continue
        closure = closures.get((slot.series.track.program_id, slot.date))
        if closure is not None and not slot.cancelled:
            slot.cancelled, slot.closed, slot.cancel_reason = True, True, closure.reason
        result.append(slot)
    result.sort(key=lambda s: (s.starts_at, s.series.name, s.series.pk))
    return result


def find_slot(series_public_id: uuid.UUID | str, original: date) -> Slot | None:
    """One occurrence by its series and original date, or None if the rule has no such date."""
    series = series_queryset().filter(public_id=series_public_id).first()
    if series is None or not recurrence.in_schedule_calendar(original):
        return None
    # The occurrence may have moved up to any date: search its row first, then the rule.
    row = (
        Occurrence.objects.filter(series=series, original_date=original)
        .annotate(has_attendance=Exists(Attendance.objects.filter(occurrence=OuterRef("pk"))))
        .select_related("room", "room__site", "substitute", "substitute_for")
        .first()
    )
    produced = expand(series, original, original)
    if not produced and not (row is not None and row.has_attendance):
        return None
    slot = _slot(series, produced[0][0] if produced else 0, original, row)
    closure = ProgramClosure.objects.filter(
        program_id=series.track.program_id, date=slot.date
    ).first()
    if closure is not None and not slot.cancelled:
        slot.cancelled, slot.closed, slot.cancel_reason = True, True, closure.reason
    return slot


def attendance_not_taken(slot: Slot, now: datetime) -> bool:
    """A session that was expected to run (not cancelled, not on a closure day), has ended
    by `now`, and has no attendance marked (nor was marked complete). Slots need their row's
    `has_attendance` (occurrences_between and find_slot annotate it). Its end is an aware
    instant built in the program's zone, so "ended" is the program's evening, not UTC's."""
    if slot.cancelled or slot.ends_at > now:
        return False
    row = slot.row
    return row is None or not (getattr(row, "has_attendance", False) or row.is_locked)


def program_series(program: Program, start: date, end: date) -> SessionSeriesQuerySet:
    return series_queryset().filter(track__program=program).overlapping(start, end)


def roster_for(
    series_ids: Iterable[int],
    start: date,
    end: date,
    episode_ids: Iterable[int] | None = None,
    *,
    with_people: bool = True,
) -> dict[int, list[RosterMembership]]:
    """Roster memberships by series, overlapping the window: with episode and participant,
    by name, for pages; bare and unordered (`with_people=False`) for arithmetic such as the
    hours ledger, where loading thousands of people would dominate the cost."""
    memberships = RosterMembership.objects.filter(series_id__in=list(series_ids)).overlapping(
        start, end
    )
    if episode_ids is not None:
        memberships = memberships.filter(episode_id__in=list(episode_ids))
    if with_people:
        memberships = (
            memberships.select_related("episode", "episode__participant")
            .prefetch_related("episode__status_changes")
            .order_by("episode__participant__family_name", "episode__participant__given_name", "pk")
        )
    else:
        memberships = memberships.only("series_id", "episode_id", "start_date", "end_date")
    by_series: dict[int, list[RosterMembership]] = defaultdict(list)
    for membership in memberships:
        by_series[membership.series_id].append(membership)
    return by_series


def expected_at(membership: RosterMembership, episode: Episode, day: date) -> bool:
    """Whether a person is expected at a session of the membership's series on `day`: on its
    roster that day (rolling admission) and in the program by the episode's status history
    (not planned, waitlisted, on hold or discharged that day).

    The one rule for rosters and the attendance page, the hours ledger (scheduled hours) and
    attendance flags and alerts; `episode` needs its `status_changes` prefetched in lists."""
    return membership.active_on(day) and episode.in_program_on(day)


def expected_episodes(slot: Slot, roster: dict[int, list[RosterMembership]]) -> list[Episode]:
    """Episodes expected at this occurrence (`expected_at`), from a roster with people."""
    return [
        m.episode for m in roster.get(slot.series.pk, []) if expected_at(m, m.episode, slot.date)
    ]


def attendance_for(slots: Iterable[Slot]) -> None:
    """Attach each slot's attendance rows (with who marked them) in one query."""
    slots = list(slots)
    row_ids = [s.row.pk for s in slots if s.row is not None]
    rows: dict[int, list[Attendance]] = defaultdict(list)
    if row_ids:
        for attendance in Attendance.objects.filter(occurrence_id__in=row_ids).select_related(
            "marked_by", "episode", "episode__participant"
        ):
            rows[attendance.occurrence_id].append(attendance)
    for slot in slots:
        slot.attendance = rows.get(slot.row.pk, []) if slot.row is not None else []


def series_for_episodes(
    episode_ids: Iterable[int], start: date, end: date
) -> SessionSeriesQuerySet:
    """Series any of these episodes is rostered on during the window."""
    return (
        series_queryset()
        .filter(
            pk__in=RosterMembership.objects.filter(episode_id__in=list(episode_ids))
            .overlapping(start, end)
            .values("series_id")
        )
        .overlapping(start, end)
    )


def series_for_facilitator(user: User, start: date, end: date) -> SessionSeriesQuerySet:
    substituted = Occurrence.objects.filter(substitute=user).filter(
        Q(original_date__range=(start - timedelta(days=31), end + timedelta(days=31)))
    )
    return (
        series_queryset()
        .filter(Q(facilitators=user) | Q(pk__in=substituted.values("series_id")))
        .overlapping(start, end)
        .distinct()
    )


def attendance_marks(
    episode_ids: list[int], start: date, end: date
) -> dict[tuple[int, int], Attendance]:
    """The attendance of these episodes over the window, by (occurrence id, episode id)."""
    marks = Attendance.objects.filter(episode_id__in=episode_ids, session_date__range=(start, end))
    return {(a.occurrence_id, a.episode_id): a for a in marks}


def participant_feeds(participant_id: int) -> list[CalendarFeed]:
    """The live calendar links to a participant's schedule (the chart's and their own page)."""
    return list(
        CalendarFeed.objects.filter(
            participant_id=participant_id, revoked_at__isnull=True
        ).select_related("created_by")
    )


def feed_for_token_hash(token_hash: str) -> CalendarFeed | None:
    """The live feed a secret URL names (only the token's hash is stored)."""
    return (
        CalendarFeed.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related(
            "participant", "participant__organization", "user", "room", "room__site", "created_by"
        )
        .first()
    )


def hours_override_for(episode: Episode) -> EpisodeHoursOverride | None:
    """The episode's weekly-hours override, if it has one (whatever its dates)."""
    return EpisodeHoursOverride.objects.filter(episode=episode).select_related("set_by").first()


def staff_feed_details(program: Program) -> bool:
    """Whether the program shows session names in its staff calendar feeds (off unless set)."""
    return ProgramScheduleSettings.objects.filter(program=program, staff_feed_details=True).exists()


def notice_prefills_excused(program: Program) -> bool:
    """Whether a "can't come" notice suggests Excused on the sheet (off unless set)."""
    return ProgramScheduleSettings.objects.filter(
        program=program, notice_prefills_excused=True
    ).exists()


def notices_for_slot(slot: Slot) -> dict[int, SessionNotice]:
    """The notices people sent about this occurrence, by episode id (one query)."""
    found = SessionNotice.objects.filter(series=slot.series, original_date=slot.original_date)
    return {n.episode_id: n for n in found}


def notices_for_episodes(
    episode_ids: list[int], start: date, end: date
) -> dict[tuple[int, date], SessionNotice]:
    """A participant's own notices for occurrences from `start` to `end` (original dates),
    by (series id, original date) (one query)."""
    found = SessionNotice.objects.filter(
        episode_id__in=episode_ids, original_date__gte=start, original_date__lte=end
    )
    return {(n.series_id, n.original_date): n for n in found}


UPCOMING_DAYS = 21
PAST_DAYS = 28


def participant_schedule(access: ParticipantAccess) -> dict[str, Any]:
    """Upcoming sessions and recent attendance of the open episodes of a record the caller
    opened (`privacy.access.access_participant`, audited): the chart's Schedule tab, the
    participant's own page and API."""
    episodes = [e for e in access.episodes if e.is_open]
    today = local_today(access.participant.organization.tz)
    return episodes_schedule(
        episodes, today, timezone.now(), past_days=PAST_DAYS, upcoming_days=UPCOMING_DAYS
    )


def upcoming_with_notices(
    access: ParticipantAccess, upcoming: list[Slot]
) -> list[tuple[Slot, SessionNotice | None]]:
    """The participant's upcoming sessions (`participant_schedule`), each with the notice
    they sent for it, if any (one query)."""
    ids = [e.pk for e in access.episodes if e.is_open]
    originals = [s.original_date for s in upcoming]
    notices = notices_for_episodes(ids, min(originals), max(originals)) if originals else {}
    return [(s, notices.get((s.series.pk, s.original_date))) for s in upcoming]


# A room is retired only when no session uses it within this horizon (series without an end
# are expanded this far; anything later is a year away and its series still names the room).
ROOM_HORIZON_DAYS = 366


def sessions_in_room(room: Room, start: date, days: int = ROOM_HORIZON_DAYS) -> list[Slot]:
    """Sessions held in `room` from `start` on (not cancelled), in five queries: series that
    name the room and series with a single session moved into it."""
    end = start + timedelta(days=days)
    moved_in = Occurrence.objects.filter(room=room).values("series_id")
    series = (
        series_queryset()
        .filter(Q(room=room) | Q(pk__in=moved_in))
        .overlapping(start - timedelta(days=days), end)
    )
    return [
        s
        for s in occurrences_between(series, start, end)
        if not s.cancelled
        and s.mode != Mode.TELEHEALTH
        and s.room is not None
        and s.room.pk == room.pk
    ]


def clinical_staff(program: Program) -> QuerySet[User]:
    """Staff who may cover a session of `program` (FACILITATING_ROLES), by name."""
    from trellis.accounts.models import User

    members = (
        Membership.objects.active()
        .filter(organization_id=program.organization_id, role__in=FACILITATING_ROLES)
        .filter(Q(program=program) | Q(program__isnull=True))
    )
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name")


def episodes_schedule(
    episodes: list[Episode], today: date, now: datetime, *, past_days: int, upcoming_days: int
) -> dict[str, Any]:
    """Upcoming sessions and recent attendance of these (open) episodes, for a page that has
    opened them (a participant's own schedule, the chart's tab, a guardian's view): "upcoming"
    (slots from now on), "past" ((slot, attendance mark or None), newest first), "today"."""
    start, end = today - timedelta(days=past_days), today + timedelta(days=upcoming_days)
    ids = [e.pk for e in episodes]
    slots = occurrences_between(series_for_episodes(ids, start, end), start, end)
    roster = roster_for({s.series.pk for s in slots}, start, end, ids)
    mine: list[Slot] = [
        s for s in slots if any(m.active_on(s.date) for m in roster.get(s.series.pk, []))
    ]
    marks = attendance_marks(ids, start, today)
    past = []
    for slot in mine:
        if slot.date > today:
            continue
        mark = next(
            (marks[(slot.row.pk, i)] for i in ids if slot.row and (slot.row.pk, i) in marks), None
        )
        past.append((slot, mark))
    upcoming = [s for s in mine if s.date >= today and not (s.date == today and s.ends_at < now)]
    return {"upcoming": upcoming, "past": list(reversed(past)), "today": today}
