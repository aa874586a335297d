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
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction

from trellis.audit.models import Action
from trellis.audit.trail import EventSpec, record_many
from trellis.participants.models import Episode
from trellis.programs.models import Membership, Organization, Role, Room, Track
from trellis.scheduling import actions, recurrence
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


def _plans(track: Track) -> list[tuple[str, str, time, int, str, list[str]]]:
    """(name, rrule, start, minutes, mode, topics) for a track, by its name."""
    name = track.name.lower()
    if "even" in name:
        return [
            ("DBT skills", "FREQ=WEEKLY;BYDAY=MO,WE", time(18, 0), 150, Mode.IN_PERSON, DBT_TOPICS),
            ("Process group", "FREQ=WEEKLY;BYDAY=TH", time(18, 0), 180, Mode.TELEHEALTH,
             PROCESS_TOPICS),
            ("Skills practice", "FREQ=WEEKLY;BYDAY=TU", time(18, 0), 120, Mode.IN_PERSON, []),
        ]  # fmt: skip
    if "week" in name:
        return [
            ("Weekend skills", "FREQ=WEEKLY;BYDAY=SA", time(9, 0), 240, Mode.IN_PERSON, DBT_TOPICS),
            ("Weekend process", "FREQ=WEEKLY;BYDAY=SU", time(10, 0), 300, Mode.IN_PERSON,
             PROCESS_TOPICS),
        ]  # fmt: skip
    return [
        ("Morning skills", "FREQ=WEEKLY;BYDAY=MO,WE", time(9, 0), 180, Mode.IN_PERSON, DBT_TOPICS),
        ("Morning process", "FREQ=WEEKLY;BYDAY=TU,TH", time(9, 0), 150, Mode.IN_PERSON,
         PROCESS_TOPICS),
    ]  # fmt: skip


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
    rooms = list(Room.objects.filter(site__organization=organization).order_by("pk"))
    with transaction.atomic():
        created: list[SessionSeries] = []
        for program in organization.programs.order_by("pk"):
            clinicians = [
                m.user
                for m in Membership.objects.active()
                .filter(organization=organization, role=Role.CLINICIAN)
                .filter(program=program)
                .select_related("user")
                .order_by("pk")
            ]
            for t_index, track in enumerate(program.tracks.order_by("pk")):
                for p_index, (name, rule, at, minutes, mode, topics) in enumerate(_plans(track)):
                    room = rooms[(t_index + p_index) % len(rooms)] if rooms else None
                    in_person = mode == Mode.IN_PERSON and room is not None
                    facilitators = (
                        [clinicians[(t_index + p_index) % len(clinicians)]] if clinicians else []
                    )
                    if t_index == p_index == 0:
                        # A supervised trainee co-facilitates the program's first group (and
                        # writes its notes, which their supervisor co-signs).
                        facilitators += _trainees(clinicians, facilitators)[:1]
                    created.append(
                        actions.do_create_series(
                            None,
                            track,
                            actions.SeriesData(
                                name=name,
                                start_time=at,
                                duration_minutes=minutes,
                                rrule=rule,
                                dtstart=first,
                                capacity=max(track.capacity, 12),
                                mode=Mode.IN_PERSON if in_person else Mode.TELEHEALTH,
                                room=room if in_person else None,
                                telehealth_url=""
                                if in_person
                                else "https://telehealth.example.test/trellis-demo",
                                facilitators=facilitators,
                                topics=list(topics),
                            ),
                        )
                    )
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
                    mode=Mode.TELEHEALTH if slot.mode == Mode.TELEHEALTH else Mode.IN_PERSON,
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
