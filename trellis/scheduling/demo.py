"""Demo schedules: series on every track and weeks of realistic attendance.

Called by seed_demo after programs, tracks, staff and episodes exist. Deterministic for a
given `rng`. Series and closures go through actions; the history (occurrence rows,
roster periods, attendance) is bulk-inserted, because a year of a large program is tens of
thousands of rows and seeding must stay quick. Bulk rows get the audit events their actions
write (do_add_to_roster, do_record_attendance), appended in batches with
`audit.trail.record_many`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction

from trellis.accounts.models import User
from trellis.audit.models import Action
from trellis.audit.trail import EventSpec, record_many
from trellis.participants.demo import recently_discharged
from trellis.participants.models import Episode
from trellis.programs.models import (
    ClinicianKind,
    Delivery,
    Membership,
    Organization,
    Role,
    Room,
    Track,
)
from trellis.scheduling import actions, recurrence
from trellis.scheduling.actions import SeriesData
from trellis.scheduling.models import (
    Attendance,
    AttendanceStatus,
    Mode,
    Occurrence,
    RosterMembership,
    SessionSeries,
    minutes_attended,
)
from trellis.scheduling.queries import expected_at, occurrences_between, series_queryset

DBT_TOPICS = [
    "Mindfulness: wise mind",
    "Distress tolerance: TIPP",
    "Emotion regulation: check the facts",
    "Interpersonal effectiveness: DEAR MAN",
]
PROCESS_TOPICS = ["Check-in and goals", "Relapse prevention", "Values", "Family and supports"]
EVENT_BATCH = 2000  # audit events appended per record_many call


Plan = tuple[str, str, int, str, list[str]]  # name, BYDAY rule, minutes, mode, topics


def _plans(track: Track) -> list[Plan]:
    """(name, rrule, minutes, mode, topics) for a track, by its name. Every session starts
    when the track's hours begin and is cut to end by the time they end."""
    name = track.name.lower()
    if "after school" in name:
        return [
            ("After-school skills", "FREQ=WEEKLY;BYDAY=MO,TH", 150, Mode.IN_PERSON, DBT_TOPICS),
            ("After-school group", "FREQ=WEEKLY;BYDAY=TU", 150, Mode.IN_PERSON, PROCESS_TOPICS),
        ]
    if "even" in name:
        return [
            ("DBT skills", "FREQ=WEEKLY;BYDAY=MO,WE", 150, Mode.IN_PERSON, DBT_TOPICS),
            ("Process group", "FREQ=WEEKLY;BYDAY=TH", 180, Mode.TELEHEALTH, PROCESS_TOPICS),
            ("Skills practice", "FREQ=WEEKLY;BYDAY=TU", 120, Mode.HYBRID, []),
        ]
    if "week" in name:
        return [
            ("Weekend skills", "FREQ=WEEKLY;BYDAY=SA", 240, Mode.TELEHEALTH, DBT_TOPICS),
            ("Weekend process", "FREQ=WEEKLY;BYDAY=SU", 270, Mode.TELEHEALTH, PROCESS_TOPICS),
        ]
    return [
        ("Morning skills", "FREQ=WEEKLY;BYDAY=MO,WE", 180, Mode.IN_PERSON, DBT_TOPICS),
        ("Morning process", "FREQ=WEEKLY;BYDAY=TU,TH", 150, Mode.IN_PERSON, PROCESS_TOPICS),
    ]


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass
class _Bookings:
    """Who and what is taken when, so no room or facilitator is booked twice: weekly rules
    from one first date, so two bookings clash when they share a weekday and overlap."""

    taken: dict[object, list[tuple[frozenset[str], int, int]]] = field(default_factory=dict)

    def free(self, what: object, days: frozenset[str], begins: int, ends: int) -> bool:
        return not any(
            days & other_days and begins < other_ends and other_begins < ends
            for other_days, other_begins, other_ends in self.taken.get(what, [])
        )

    def book(self, what: object, days: frozenset[str], begins: int, ends: int) -> None:
        self.taken.setdefault(what, []).append((days, begins, ends))


def _delivery_order(track: Track) -> int:
    """In-person tracks choose rooms first; hybrid tracks may fall back to video."""
    order: dict[str, int] = {Delivery.IN_PERSON: 0, Delivery.HYBRID: 1}
    return order.get(track.delivery, 2)


def _facilitators_by_program(organization: Organization) -> dict[int, list[User]]:
    """Each program's clinicians, group therapists and counselors before prescribers."""
    result: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.active()
        .filter(organization=organization, role=Role.CLINICIAN, program__isnull=False)
        .select_related("user", "user__staff_profile")
        .order_by("pk")
    )
    for membership in memberships:
        result.setdefault(membership.program_id or 0, []).append(membership.user)
    kinds = {m.user_id: m.clinician_kind for m in memberships}
    for users in result.values():
        users.sort(key=lambda u: kinds.get(u.pk) == ClinicianKind.PRESCRIBER)
    return result


def _series_plans(organization: Organization, first: date) -> list[tuple[Track, SeriesData]]:
    """Every demo series, placed so that no room or facilitator is in two places at once and
    every session keeps its track's hours."""
    rooms = sorted(
        Room.objects.filter(site__organization=organization), key=lambda r: (r.capacity, r.pk)
    )
    staff = _facilitators_by_program(organization)
    tracks = sorted(
        Track.objects.filter(program__organization=organization).select_related("program"),
        key=lambda t: (_delivery_order(t), t.program_id, t.pk),
    )
    bookings = _Bookings()
    result = []
    first_track: dict[int, int] = {}
    for track in tracks:
        first_track[track.program_id] = min(first_track.get(track.program_id, track.pk), track.pk)
    for track in tracks:
        opens = track.day_starts_at or time(9, 0)
        window = (_minutes(track.day_ends_at) if track.day_ends_at else 24 * 60) - _minutes(opens)
        for offset, (name, rule, minutes, planned_mode, topics) in enumerate(_plans(track)):
            minutes = min(minutes, window)
            days = frozenset(recurrence.parse_rule(rule).days)
            begins, ends = _minutes(opens), _minutes(opens) + minutes
            # A telehealth track meets by video; an in-person track never by video alone.
            mode_chosen = planned_mode
            if track.delivery == Delivery.TELEHEALTH:
                mode_chosen = Mode.TELEHEALTH
            elif track.delivery == Delivery.IN_PERSON and planned_mode == Mode.TELEHEALTH:
                mode_chosen = Mode.IN_PERSON
            room = None
            if mode_chosen in (Mode.IN_PERSON, Mode.HYBRID):
                room = next(
                    (
                        r
                        for r in rooms
                        if r.capacity >= track.capacity and bookings.free(r, days, begins, ends)
                    ),
                    None,
                )
                if room is None and track.delivery == Delivery.IN_PERSON:
                    raise RuntimeError(f"Demo schedule: no free room for {track} {name}.")
                if room is None:
                    mode_chosen = Mode.TELEHEALTH
            people = staff.get(track.program_id, [])
            rotated = (
                people[offset % len(people) :] + people[: offset % len(people)] if people else []
            )
            facilitator = next(
                (u for u in rotated if bookings.free(u.pk, days, begins, ends)), None
            )
            if facilitator is None:
                raise RuntimeError(f"Demo schedule: no free facilitator for {track} {name}.")
            bookings.book(facilitator.pk, days, begins, ends)
            facilitators = [facilitator]
            if offset == 0 and track.pk == first_track[track.program_id]:
                # A supervised trainee co-facilitates the program's first group (and writes
                # its notes, which their supervisor co-signs), when free at that hour.
                trainee = next(
                    (
                        u
                        for u in _trainees(people, facilitators)
                        if bookings.free(u.pk, days, begins, ends)
                    ),
                    None,
                )
                if trainee is not None:
                    bookings.book(trainee.pk, days, begins, ends)
                    facilitators.append(trainee)
            if room is not None:
                bookings.book(room, days, begins, ends)
            result.append(
                (
                    track,
                    SeriesData(
                        name=name,
                        start_time=opens,
                        duration_minutes=minutes,
                        rrule=rule,
                        dtstart=first,
                        capacity=track.capacity,
                        mode=mode_chosen,
                        room=room,
                        telehealth_url=""
                        if mode_chosen == Mode.IN_PERSON
                        else "https://telehealth.example.test/trellis-demo",
                        facilitators=facilitators,
                        topics=list(topics),
                    ),
                )
            )
    return result


def _joined(session_mode: str, episode_id: int) -> str:
    """How a person joined: a hybrid session is joined by video by about a third of people
    (by id, not by the random stream, so the rest of the demo stays as it was)."""
    if session_mode == Mode.HYBRID:
        return Mode.TELEHEALTH if episode_id % 3 == 0 else Mode.IN_PERSON
    return Mode.TELEHEALTH if session_mode == Mode.TELEHEALTH else Mode.IN_PERSON


def _trainees(clinicians: list[Any], facilitators: list[Any]) -> list[Any]:
    return [
        c
        for c in clinicians
        if c not in facilitators
        and getattr(getattr(c, "staff_profile", None), "is_trainee", False)
        and c.staff_profile.supervisor_id is not None
    ]


def seed_schedule_history(
    organization: Organization,
    *,
    rng: random.Random,
    weeks: int = 12,
    today: date | None = None,
) -> None:
    today = today or organization.today()
    first = recurrence.iso_week_start(today) - timedelta(weeks=weeks)
    # The history reaches back to the admission of anyone discharged recently, so the hours
    # on their discharge summary cover the whole stay.
    admissions = [e.admitted_on for e in recently_discharged(organization, today) if e.admitted_on]
    if weeks and admissions:
        first = min(first, recurrence.iso_week_start(min(admissions)))
    with transaction.atomic():
        created = [
            actions.do_create_series(None, track, data)
            for track, data in _series_plans(organization, first)
        ]
        for program in organization.programs.order_by("pk"):
            # One holiday in the history: the Wednesday five weeks ago.
            holiday = recurrence.iso_week_start(today) - timedelta(weeks=5) + timedelta(days=2)
            if holiday >= first:
                actions.do_add_closure(None, program, holiday, "Holiday closure")
        _rosters(created, first)
        _attendance(created, first, today - timedelta(days=1), rng)


def _rosters(series_list: list[SessionSeries], first: date) -> None:
    by_track: dict[int, list[SessionSeries]] = {}
    for series in series_list:
        by_track.setdefault(series.track_id, []).append(series)
    memberships: list[RosterMembership] = []
    episodes = Episode.objects.filter(
        track_id__in=list(by_track), admitted_on__isnull=False
    ).select_related("participant")
    for episode in episodes:
        start = max(episode.admitted_on or first, first)
        end = episode.discharged_on
        if end is not None and end < start:
            continue
        memberships.extend(
            RosterMembership(episode=episode, series=series, start_date=start, end_date=end)
            for series in by_track[episode.track_id or 0]
        )
    RosterMembership.objects.bulk_create(memberships, batch_size=1000)
    for offset in range(0, len(memberships), EVENT_BATCH):
        record_many(
            None,
            [
                EventSpec(
                    Action.CREATE,
                    participant=m.episode.participant,
                    obj=m,
                    detail={"series": str(m.series.public_id), "start": f"{m.start_date:%Y-%m-%d}"},
                )
                for m in memberships[offset : offset + EVENT_BATCH]
            ],
        )


def _attendance(
    series_list: list[SessionSeries], first: date, last: date, rng: random.Random
) -> None:
    if last < first:
        return
    series = list(series_queryset().filter(pk__in=[s.pk for s in series_list]))
    slots = [s for s in occurrences_between(series, first, last) if not s.cancelled]
    roster: dict[int, list[RosterMembership]] = {}
    memberships = (
        RosterMembership.objects.filter(series__in=series)
        .select_related("episode__participant")
        .prefetch_related("episode__status_changes")
    )
    for membership in memberships:
        roster.setdefault(membership.series_id, []).append(membership)
    # Each person has a steady reliability; about one in twelve drifts away in their last
    # three weeks (the "dropping out" pattern the flags are for).
    reliability: dict[int, float] = {}
    drifting: set[int] = set()
    rows = [
        Occurrence(series=slot.series, original_date=slot.original_date, completed_at=slot.ends_at)
        for slot in slots
    ]
    Occurrence.objects.bulk_create(rows, batch_size=1000)
    saved = {
        (o.series_id, o.original_date): o
        for o in Occurrence.objects.filter(series__in=series, original_date__range=(first, last))
    }
    marks = []
    events = []
    for slot in slots:
        occurrence = saved[(slot.series.pk, slot.original_date)]
        for membership in roster.get(slot.series.pk, []):
            if not expected_at(membership, membership.episode, slot.date):
                continue  # nobody marks people on hold: they are not expected
            episode_id = membership.episode_id
            if episode_id not in reliability:
                reliability[episode_id] = rng.uniform(0.78, 0.97)
                if rng.random() < 0.08:
                    drifting.add(episode_id)
            chance = reliability[episode_id]
            if episode_id in drifting and (last - slot.date).days < 21:
                chance = 0.3
            roll = rng.random()
            late = 0
            if roll < chance:
                status = AttendanceStatus.PRESENT
                if rng.random() < 0.12:
                    status, late = AttendanceStatus.LATE, rng.choice([5, 10, 15, 20, 30])
            elif roll < chance + (1 - chance) * 0.4:
                status = AttendanceStatus.ABSENT_EXCUSED
            else:
                status = AttendanceStatus.ABSENT_UNEXCUSED
            marks.append(
                Attendance(
                    occurrence=occurrence,
                    episode_id=episode_id,
                    status=status,
                    minutes_late=late,
                    mode=_joined(slot.mode, episode_id),
                    minutes_attended=minutes_attended(status, slot.duration_minutes, late, 0),
                    session_date=slot.date,
                    scheduled_minutes=slot.duration_minutes,
                    marked_at=slot.ends_at,
                )
            )
            events.append(
                EventSpec(
                    Action.CREATE,
                    participant=membership.episode.participant,
                    object_type="scheduling.attendance",
                    object_id=slot.key,
                    detail={
                        "episode": str(membership.episode.public_id),
                        "status": status,
                        "previous": "",
                        "walk_in": False,
                        "correction": None,
                    },
                )
            )
    Attendance.objects.bulk_create(marks, batch_size=2000)
    for offset in range(0, len(events), EVENT_BATCH):
        record_many(None, events[offset : offset + EVENT_BATCH])
