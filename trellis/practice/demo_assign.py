"""Demo practice: twelve weeks of assignments and entries with realistic adherence, made
through the real actions on the demo's day.

At some of the past weeks' group sessions the facilitator assigned the skill taught that
evening to everyone present (`do_assign_to_present`, one batch per session, dated the
session's day); people then logged practice (`do_record_entry`, dated the evening they wrote
it, sometimes a day late) according to their habit: most are faithful, some sporadic, a few
stopped after a couple of weeks. A few said they couldn't do it. Finally the missed sweep runs
on the demo's day, so past-due practice is missed, exactly as the periodic job leaves it.

The portal participant (user `participant`) gets every session they attended, a faithful
habit and practice still open this week, so `/practice/me/` and the chart's Practice tab
have something to show. Deterministic: the same seed and day give the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from trellis.accounts.models import User
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign_to_present,
    do_could_not,
    do_record_entry,
    present_episodes,
    sweep_missed,
)
from trellis.practice.models import Skill, WorksheetDefinition
from trellis.practice.models.assignments import Assignment, AssignmentStatus, Frequency
from trellis.practice.queries.library import skill_for_occurrence
from trellis.programs.models import Organization
from trellis.scheduling.models import ATTENDED, Attendance, Occurrence, SessionKind
from trellis.scheduling.queries import attendance_for, find_slot

# What people wrote about a practice, in the demo's own words.
HAPPENED = [
    "Asked my manager for a day off and stayed calm when she hesitated.",
    "Noticed the urge, named it and waited ten minutes before deciding.",
    "Used it at dinner when the conversation got tense.",
    "Tried it on the bus on the way home; it helped a bit.",
    "Practised in the morning before work.",
    "Forgot at first, then did it in the evening.",
    "Talked to my sister about the weekend plans.",
    "Went for a walk instead of scrolling in bed.",
]
NEXT_TIME = ["Start earlier.", "Write the steps on a card.", "", "Practise with a friend first."]
COULD_NOT = ["I was sick most of the week.", "Work shifts changed; no time.", "Family visit."]
HABITS = ["faithful", "sporadic", "stopped"]
WEIGHTS = [55, 35, 10]
CHANCE = {"faithful": 0.88, "sporadic": 0.4, "stopped": 0.85}
SHARE_OF_SESSIONS = 0.25  # sessions at which practice was assigned (all of the portal person's)


def seed_assignments(
    organization: Organization, *, rng: random.Random, weeks: int = 12, today: date
) -> int:
    """Assignments and entries for the past `weeks` (see the module docstring); returns how
    many assignments were made. Call after the schedule (attendance) and the library."""
    # The portal participant: the demo's one participant with a sign-in (user `participant`).
    portal = (
        User.objects.filter(participant__organization=organization, participant__isnull=False)
        .order_by("pk")
        .first()
    )
    library = [
        str(public_id)
        for public_id in Skill.objects.filter(module__organization=organization, is_active=True)
        .order_by("pk")
        .values_list("public_id", flat=True)
    ]
    worksheet = WorksheetDefinition.objects.filter(
        organization=organization, code="skill-practice-log", is_current=True
    ).first()
    occurrences = list(
        Occurrence.objects.filter(
            series__track__program__organization=organization,
            series__kind=SessionKind.GROUP,
            original_date__range=(today - timedelta(weeks=weeks), today),
            attendance__isnull=False,
        )
        .select_related("series")
        .distinct()
        .order_by("original_date", "pk")
    )
    habits: dict[int, tuple[str, date | None]] = {}
    made: list[Assignment] = []
    portal_was_there = (
        set(
            Attendance.objects.filter(
                episode__participant__user=portal, status__in=ATTENDED
            ).values_list("occurrence_id", flat=True)
        )
        if portal is not None
        else set()
    )
    # The portal person's practice from their last session is still open on the demo's day;
    # what came before is history (done, since they log everything).
    portal_days = [o.original_date for o in occurrences if o.pk in portal_was_there]
    portal_last = max(portal_days, default=today)
    for occurrence in occurrences:
        chosen = rng.random() < SHARE_OF_SESSIONS
        if not (chosen or occurrence.pk in portal_was_there):
            continue
        skill = skill_for_occurrence(occurrence)
        if skill is None and worksheet is None:
            continue
        slot = find_slot(occurrence.series.public_id, occurrence.original_date)
        if slot is None or slot.cancelled or not slot.facilitators or slot.date > today:
            continue
        attendance_for([slot])
        if not present_episodes(slot):
            continue
        portal_there = occurrence.pk in portal_was_there
        # No skill linked to tonight's topic: a practice log of any skill they used.
        with_sheet = worksheet is not None and (skill is None or rng.random() < 0.3)
        if rng.random() < 0.5:
            frequency, times, due = Frequency.ONCE, 1, slot.date + timedelta(days=2)
        else:
            frequency, times, due = Frequency.TIMES, 3, slot.date + timedelta(days=6)
        if portal_there and slot.date >= portal_last:
            # This week's practice, still open on the demo's day for them to log.
            frequency, times, due = Frequency.TIMES, 3, max(due, today + timedelta(days=2))
        elif portal_there:
            frequency, times, due = Frequency.ONCE, 1, slot.date + timedelta(days=2)
        if skill is None:
            title = "Use any skill this week and fill in the practice log"
        else:
            name = f"{skill.acronym} ({skill.name})" if skill.acronym else skill.name
            title = f"Practise {name}" + (" and fill in the log" if with_sheet else " and log it")
        data = AssignmentData(
            title=title,
            starts_on=slot.date,
            due_on=due,
            skill=skill,
            worksheet=worksheet if with_sheet else None,
            frequency=frequency,
            times_required=times,
        )
        facilitator = min(slot.facilitators, key=lambda user: user.pk)
        rows = do_assign_to_present(facilitator, slot, data, today=slot.date)
        for assignment in sorted(rows, key=lambda row: row.episode_id):  # a fixed order
            habit: tuple[str, date | None] = ("faithful", None)  # the portal person's
            if portal is None or assignment.participant.user_id != portal.pk:
                if assignment.episode_id not in habits:
                    habits[assignment.episode_id] = _habit(rng, slot.date)
                habit = habits[assignment.episode_id]
            _practise(assignment, habit, rng, (today, library), portal)
        made.extend(rows)
    sweep_missed(organization.pk, today)
    return len(made)


def _habit(rng: random.Random, first: date) -> tuple[str, date | None]:
    habit = rng.choices(HABITS, weights=WEIGHTS)[0]
    return habit, first + timedelta(days=rng.randint(7, 21)) if habit == "stopped" else None


def _practise(
    assignment: Assignment,
    habit: tuple[str, date | None],
    rng: random.Random,
    day_and_library: tuple[date, list[str]],
    portal: User | None,
) -> None:
    """The entries one person logged for one assignment, each on the evening it happened or
    (one in ten) a day later. Nothing is written after the demo's day. A practice log of
    "any skill" names one of the library's skills (their public ids in `library`)."""
    kind, stopped_on = habit
    today, library = day_and_library
    own = portal if portal is not None and assignment.participant.user_id == portal.pk else None
    times = assignment.times_required
    last = min(assignment.due_on, today)
    span = (last - assignment.starts_on).days + 1
    days = sorted(assignment.starts_on + timedelta(days=rng.randrange(span)) for _ in range(times))
    logged = 0
    for day in days:
        if stopped_on is not None and day >= stopped_on:
            break
        if own is None and rng.random() >= CHANCE[kind]:
            continue  # (the portal person logs all of their past practice)
        written = min(today, day + timedelta(days=1 if rng.random() < 0.1 else 0))
        if own is not None and (
            written >= today or (assignment.due_on >= today and logged + 1 >= times)
        ):
            break  # leave the portal person's current practice open to log in the demo
        rating = rng.randint(3, 9) if kind == "faithful" else rng.randint(1, 8)
        key = f"demo-{assignment.public_id.hex[:20]}-{logged}"
        if assignment.worksheet is not None:
            used = assignment.skill.public_id if assignment.skill else rng.choice(library)
            answers = {
                "situation": rng.choice(HAPPENED),
                "skill": str(used),
                "how_it_went": rating,
                "next_time": rng.choice(NEXT_TIME),
            }
            data = EntryData(practiced_on=day, idempotency_key=key, answers=answers)
        else:
            data = EntryData(
                practiced_on=day,
                idempotency_key=key,
                rating=rating,
                what_happened=rng.choice(HAPPENED),
            )
        do_record_entry(own, assignment, data, today=written)
        logged += 1
    if logged == 0 and kind == "sporadic" and rng.random() < 0.25:
        assignment.refresh_from_db(fields=["status"])
        if assignment.status == AssignmentStatus.ASSIGNED:
            do_could_not(own, assignment, rng.choice(COULD_NOT))
