"""Demo notes: a few signed individual-session notes for every active participant with a
primary clinician, addressing their plan's objectives. Called by seed_demo (after plans)."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from trellis.notes import actions
from trellis.notes.models import (
    Modality,
    NoteFormat,
    NoteKind,
    RiskLevel,
    Service,
    default_format_for,
)
from trellis.participants.models import Episode, EpisodeStatus
from trellis.plans import content as plan_content
from trellis.plans.queries import latest_signed, latest_signed_versions
from trellis.programs.models import Organization

SUBJECTIVE = [
    "Reports a better week; one hard evening handled with a skill.",
    "Says the weekend was difficult; slept poorly.",
    "Describes using grounding twice at work.",
]
ASSESSMENT = [
    "Making steady progress toward objectives.",
    "Mood lower than last week; no safety concerns.",
    "Engaged and building skills.",
]


def seed_notes(organization: Organization, *, rng: random.Random, today: date) -> int:
    episodes = (
        Episode.objects.filter(program__organization=organization, status=EpisodeStatus.ACTIVE)
        .select_related("program__organization", "participant")
        .order_by("pk")
    )
    made = 0
    for episode in episodes:
        primary = episode.care_team.filter(is_primary=True, end_date__isnull=True).first()
        if primary is None or episode.notes.exists():
            continue
        clinician = primary.user
        note_format = default_format_for(episode.program)
        plan = latest_signed(episode)
        objective_keys = (
            [o.key for o in plan_content.load(plan.content).objectives] if plan is not None else []
        )
        tz = episode.program.organization.tz
        profile = getattr(clinician, "staff_profile", None)
        supervisor = profile.supervisor if profile is not None and profile.is_trainee else None
        days = [
            today - timedelta(weeks=weeks_ago, days=rng.randint(0, 3))
            for weeks_ago in range(rng.randint(2, 4), 0, -1)
        ]
        # Never a session before the admission (an episode admitted last week has fewer).
        days = [d for d in days if episode.admitted_on is not None and d >= episode.admitted_on]
        for i, day in enumerate(days):
            start = datetime.combine(day, time(rng.choice([10, 13, 15])), tzinfo=tz)
            header = actions.NoteHeader(
                kind=NoteKind.PROGRESS,
                format=note_format,
                service=Service.INDIVIDUAL_THERAPY,
                modality=rng.choice(list(Modality)),
                session_start=start,
                session_end=start + timedelta(minutes=50),
            )
            note = actions.do_create_note(clinician, episode, header)
            sections = _sections(note_format, rng)
            note.body = json.dumps(sections)
            note.risk_level = RiskLevel.NONE
            note.objectives = rng.sample(objective_keys, k=min(2, len(objective_keys)))
            note.save(update_fields=["body", "risk_level", "objectives"])
            # Signed right after the session, before any next one: not late entries. Scores
            # frozen are those measured by then.
            signed = start + timedelta(minutes=60)
            actions.do_sign_note(clinician, note, cosigner=supervisor, now=signed)
            if supervisor is not None and i < len(days) - 1:
                # A trainee's older notes were co-signed the next day; the latest waits in
                # the supervisor's queue (the demo shows it).
                actions.do_cosign_note(supervisor, note, now=signed + timedelta(days=1))
            made += 1
    return made


def _sections(note_format: str, rng: random.Random) -> dict[str, str]:
    plan = "Continue group; practise the skill daily; review at next session."
    if note_format == NoteFormat.SOAP:
        return {
            "subjective": rng.choice(SUBJECTIVE),
            "objective": "Calm, engaged, on time.",
            "assessment": rng.choice(ASSESSMENT),
            "plan": plan,
        }
    if note_format == NoteFormat.DAP:
        return {"data": rng.choice(SUBJECTIVE), "assessment": rng.choice(ASSESSMENT), "plan": plan}
    if note_format == NoteFormat.BIRP:
        return {
            "behavior": rng.choice(SUBJECTIVE),
            "intervention": "Reviewed skills practice.",
            "response": rng.choice(ASSESSMENT),
            "plan": plan,
        }
    return {
        "goal": "Work toward the plan goal.",
        "intervention": "Reviewed skills practice.",
        "response": rng.choice(ASSESSMENT),
        "plan": plan,
    }


GROUP_RESPONSES = [
    "Practised the skill in pairs; described using it once this week.",
    "Quiet at first, then shared an example from work.",
    "Engaged in role play; asked good questions about the handout.",
    "Reported the skill helped with a hard evening.",
]


def seed_group_notes(organization: Organization, *, rng: random.Random, today: date) -> int:
    """Signed group notes for some past group occurrences (the last three weeks) that have
    attendance, written by their first facilitator the same evening. Entries never name
    anyone. Call after scheduling's demo (attendance) and plans' (objectives)."""
    from trellis.notes.group import actions as ga
    from trellis.notes.models import GroupNote, Participation
    from trellis.notes.queries import attendees
    from trellis.scheduling.models import Occurrence, SessionKind
    from trellis.scheduling.queries import find_slot

    done = set(
        GroupNote.objects.filter(program__organization=organization).values_list(
            "series_id", "original_date"
        )
    )
    occurrences = (
        Occurrence.objects.filter(
            series__track__program__organization=organization,
            series__kind=SessionKind.GROUP,
            original_date__range=(today - timedelta(days=21), today - timedelta(days=1)),
            attendance__isnull=False,
        )
        .select_related("series")
        .distinct()
        .order_by("original_date", "pk")
    )
    made = 0
    awaiting: list[tuple[Any, GroupNote, datetime]] = []
    for occurrence in occurrences:
        if (occurrence.series_id, occurrence.original_date) in done or rng.random() < 0.5:
            continue  # about half: some groups are still waiting for their note
        slot = find_slot(occurrence.series.public_id, occurrence.original_date)
        if slot is None or slot.cancelled or not slot.facilitators:
            continue
        # A trainee without a supervisor cannot sign: a licensed co-facilitator does.
        # A supervised trainee co-facilitating writes the note (trainees document the
        # groups they co-run); their supervisor co-signs it.
        writers = sorted(slot.facilitators, key=lambda f: _supervisor_of(f) is None)
        author = next((f for f in writers if _supervisor_of(f) or not _is_trainee(f)), None)
        if author is None:
            continue
        rows = attendees(slot)
        if not rows:
            continue
        note = ga.do_start_group_note(author, slot, rows)
        note.interventions = "Skills teaching, modelling, role play"
        note.themes = rng.choice(["Urges after work", "Sleep and mood", "Asking for help"])
        note.topic = note.topic or "Skills review"
        note.save(update_fields=["interventions", "themes", "topic"])
        entries = list(note.entries.select_related("episode__participant"))
        plans = latest_signed_versions([e.episode_id for e in entries])
        for entry in entries:
            if not entry.attended:
                continue
            version = plans.get(entry.episode_id)
            keys = [o.key for o in plan_content.load(version.content).objectives] if version else []
            entry.participation = rng.choice(list(Participation)[:3])
            entry.response = rng.choice(GROUP_RESPONSES)
            entry.objectives = rng.sample(keys, k=min(1, len(keys)))
            entry.practice_reviewed = "Diary card"
            entry.practice_assigned = "Practise the skill once a day"
            entry.risk_level = RiskLevel.NONE
            entry.plan = "Continue group; review practice next session."
            entry.save()
        # Signed two hours after the group ended: not a late entry.
        signed = slot.ends_at + timedelta(hours=2)
        supervisor = _supervisor_of(author)
        ga.do_sign_group_note(author, note, entries, cosigner=supervisor, now=signed)
        if supervisor is not None:
            awaiting.append((supervisor, note, signed))
        made += 1
    # A trainee's group notes were co-signed the next day, but for the latest one, which
    # waits in the supervisor's queue (so the demo's queue shows a group note too).
    for supervisor, note, signed in awaiting[:-1]:
        ga.do_cosign_group_note(supervisor, note, now=signed + timedelta(days=1))
    return made


def _is_trainee(user: Any) -> bool:
    return bool(getattr(getattr(user, "staff_profile", None), "is_trainee", False))


def _supervisor_of(user: Any) -> Any:
    return user.staff_profile.supervisor if _is_trainee(user) else None
