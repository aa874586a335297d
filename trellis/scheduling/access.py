"""Who may see and change schedules and attendance, built on privacy.policy's grants.

- program director: manage the program's schedule, take and correct attendance, see hours
  and flags.
- front desk: manage the schedule and take attendance (the sign-in sheet); the hours grid,
  but no flags or level-of-care colouring (those are clinical signals).
- clinician: see the program's week; take attendance only for occurrences they facilitate
  (or cover as a substitute): a clinician of another track cannot mark ours.
- anyone else: nothing here (404 for a program they do not work in).
- participant: their own upcoming sessions and their own feed.

Calendar links (feeds): each person rotates and revokes the links they made; directors (and
the participant) may also revoke others' links (`revokes_any_feed`). A participant link shows
only the episodes its maker may see, checked again at every fetch (ical.feed_slots).

Group rosters: a facilitator sees the names on the roster of a session they facilitate (the
role table's "group roster for groups they facilitate"), not the rest of those charts.

A program's schedule, one series, one occurrence and one person on an attendance sheet are
opened by id through `access_schedule_program`, `access_series`, `access_occurrence` and
`access_attendee`, used by the pages and the API alike: each records the view, or the
denial and the same 404 for forbidden and missing.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id, parse_public_id
from trellis.participants.models import CareTeamMember, Episode, Participant
from trellis.privacy.access import deny_object
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program, Role
from trellis.scheduling.models import CalendarFeed, SessionSeries
from trellis.scheduling.queries import Slot, find_slot, series_queryset

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.programs.models import Room


def can_manage_schedule(user: User, program: Program) -> bool:
    """Directors and front desk of the program (or of its whole organization)."""
    if not user.is_authenticated or not user.is_active:
        return False
    grants = grants_for(user)
    return grants.directs(program) or grants.works_front_desk(program)


def revokes_any_feed(
    user: User, *, participant: Participant | None = None, room: Room | None = None
) -> bool:
    """Revoking a calendar link is a safety action (a lost phone, a shared calendar), so
    beyond their own links: the participant revokes any link to their own schedule, and a
    program director any link of a participant in their program or of a room of their
    organization. Everyone else (front desk included) revokes and rotates only links they
    made; nobody rotates another person's link (that would hand them its new URL)."""
    if not user.is_authenticated or not user.is_active:
        return False
    grants = grants_for(user)
    if participant is not None:
        if participant.user_id is not None and participant.user_id == user.pk:
            return True
        return (
            Episode.objects.filter(participant=participant)
            .filter(
                Q(program_id__in=grants.clinical_programs)
                | Q(program__organization_id__in=grants.clinical_orgs)
            )
            .exists()
        )
    if room is not None:
        organization_id = room.site.organization_id
        return (
            organization_id in grants.clinical_orgs
            or Program.objects.filter(
                pk__in=grants.clinical_programs, organization_id=organization_id
            ).exists()
        )
    return False


def feed_to_revoke(user: User, feed_id: object) -> CalendarFeed | None:
    """A live calendar link the user may revoke through the API: one they made, or one
    `revokes_any_feed` lets them turn off. None for anything else, which the caller answers
    with a 404 (the revocation itself is audited by the action)."""
    feed = (
        CalendarFeed.objects.filter(public_id=lookup_id(feed_id), revoked_at__isnull=True)
        .select_related("participant", "room__site")
        .first()
    )
    if feed is None or not (
        feed.created_by_id == user.pk
        or revokes_any_feed(user, participant=feed.participant, room=feed.room)
    ):
        return None
    return feed


def feed_to_change(
    actor: User, feed_id: object, /, *, change: str, kind: str, **target: Any
) -> CalendarFeed | None:
    """One of the live links of `kind` to `target` that `actor` may rotate or revoke (the
    pages): one they made; for a revocation, any of them when `revokes_any_feed` allows.
    None for anything else, which the caller answers with a 404 (the rotation or revocation
    itself is audited by the action)."""
    live = CalendarFeed.objects.filter(kind=kind, revoked_at__isnull=True, **target)
    owned = live.filter(created_by=actor)
    # Only participant and room links can be turned off by someone other than their maker;
    # a staff member's own link (`user=` target) is theirs alone.
    if change == "revoke" and revokes_any_feed(
        actor, participant=target.get("participant"), room=target.get("room")
    ):
        owned = live
    return owned.filter(public_id=lookup_id(feed_id)).first()


def sees_clinical_attendance(user: User, program: Program) -> bool:
    """Flags and hours against the level-of-care minimum: directors only, program-wide.

    Clinicians see them for their own care-team participants on the chart (clinical scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return grants_for(user).directs(program)


def sets_weekly_hours(user: User, episode: Episode) -> bool:
    """Who sets one person's weekly hours (a payer's rule, a step-down week): the program's
    director, or a clinician on the episode's care team today."""
    if not user.is_authenticated or not user.is_active:
        return False
    if grants_for(user).directs(episode.program):
        return True
    today = episode.program.organization.today()
    return CareTeamMember.objects.active_on(today).filter(episode=episode, user=user).exists()


def schedule_programs(user: User) -> QuerySet[Program]:
    """Programs whose week a staff member may look at: the ones they work in."""
    if not user.is_authenticated or not user.is_active or not grants_for(user).is_staff_member:
        return Program.objects.none()
    return Program.objects.for_user(user).select_related("organization")


def can_view_program(user: User, program: Program) -> bool:
    return schedule_programs(user).filter(pk=program.pk).exists()


def facilitates(user: User, slot: Slot) -> bool:
    return any(f.pk == user.pk for f in slot.facilitators)


def can_take_attendance(user: User, slot: Slot) -> bool:
    """Schedule managers of the program, or a facilitator of this occurrence."""
    return can_manage_schedule(user, slot.series.track.program) or facilitates(user, slot)


def access_schedule_program(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Program:
    """A program whose schedule the user may look at (one they work in); else an audited
    404."""
    program = schedule_programs(user).filter(public_id=lookup_id(public_id)).first()
    if program is None:
        raise deny_object(
            user, object_type="programs.program", object_id=public_id, purpose=purpose
        )
    record(user, action, obj=program, purpose=purpose)
    return program


def access_series(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> SessionSeries:
    """One session series of a program the user works in; else an audited 404."""
    series = series_queryset().filter(public_id=lookup_id(public_id)).first()
    if series is None:
        raise deny_object(
            user, object_type="scheduling.sessionseries", object_id=public_id, purpose=purpose
        )
    if not can_view_program(user, series.track.program):
        raise deny_object(
            user, object_type="scheduling.sessionseries", object_id=public_id, purpose=purpose
        )
    record(user, action, obj=series, purpose=purpose)
    return series


def access_occurrence(
    user: User,
    series_id: uuid.UUID | str,
    occurrence_date: str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Slot:
    """One occurrence (series and original date, `YYYY-MM-DD`) of a program the user works
    in; else an audited 404. Who may take its attendance is `can_take_attendance`."""
    asked = f"{series_id}/{occurrence_date}"
    parsed = parse_public_id(series_id)
    try:
        original = date.fromisoformat(occurrence_date)
    except ValueError:
        original = None
    slot = find_slot(parsed, original) if parsed is not None and original is not None else None
    if slot is None:
        raise deny_object(
            user, object_type="scheduling.occurrence", object_id=asked, purpose=purpose
        )
    if not can_view_program(user, slot.series.track.program):
        raise deny_object(
            user, object_type="scheduling.occurrence", object_id=asked, purpose=purpose
        )
    record(user, action, object_type="scheduling.occurrence", object_id=slot.key, purpose=purpose)
    return slot


def access_attendee(
    user: User,
    slot: Slot,
    episode_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Episode:
    """An episode of the occurrence's program, for someone who takes this occurrence's
    attendance; else an audited 404.

    Not `privacy.access.access_episode`: a group's facilitator (or the night's substitute)
    marks everyone on the sheet, including people whose care team they are not on, and
    sees no more of them than the sheet shows."""
    program = slot.series.track.program
    episode = (
        Episode.objects.filter(public_id=lookup_id(episode_id), program_id=program.pk)
        .select_related("participant", "program")
        .first()
    )
    if episode is None:
        raise deny_object(
            user, object_type="participants.episode", object_id=episode_id, purpose=purpose
        )
    if not can_take_attendance(user, slot):
        raise deny_object(
            user,
            object_type="participants.episode",
            object_id=episode_id,
            purpose=purpose,
            participant=episode.participant,
        )
    record(
        user,
        action,
        participant=episode.participant,
        obj=episode,
        purpose=purpose,
        role=_attendance_role(user, slot),
        detail={"occurrence": slot.key},
    )
    return episode


def _attendance_role(user: User, slot: Slot) -> str:
    grants = grants_for(user)
    if grants.directs(slot.series.track.program):
        return Role.PROGRAM_DIRECTOR
    if grants.works_front_desk(slot.series.track.program):
        return Role.FRONT_DESK
    return "facilitator"


def access_own_occurrence(
    user: User,
    series_id: uuid.UUID | str,
    occurrence_date: str,
    *,
    purpose: str = Purpose.PATRQT,
    action: str = Action.VIEW,
) -> tuple[Slot, list[Episode]]:
    """One occurrence of a program the signed-in participant has an open episode in, with
    those episodes (whether they are on its roster is the notice action's check); anyone
    else, another program's session or no such session: an audited 404."""
    asked = f"{series_id}/{occurrence_date}"
    participant = getattr(user, "participant", None) if user.is_authenticated else None
    parsed = parse_public_id(series_id)
    try:
        original: date | None = date.fromisoformat(occurrence_date)
    except ValueError:
        original = None
    slot = find_slot(parsed, original) if parsed is not None and original is not None else None
    episodes: list[Episode] = []
    if participant is not None and slot is not None:
        episodes = [
            e
            for e in Episode.objects.filter(
                participant=participant, program_id=slot.series.track.program_id
            ).select_related("participant", "program")
            if e.is_open
        ]
    if slot is None or not episodes:
        raise deny_object(
            user,
            object_type="scheduling.occurrence",
            object_id=asked,
            purpose=purpose,
            participant=participant,
        )
    record(
        user,
        action,
        participant=participant,
        object_type="scheduling.occurrence",
        object_id=slot.key,
        purpose=purpose,
    )
    return slot, episodes
