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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from trellis.participants.models import Episode
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant
    from trellis.programs.models import Room
    from trellis.scheduling.queries import Slot


def can_manage_schedule(user: User, program: Program) -> bool:
    """Directors and front desk of the program (or of its whole organization)."""
    if not user.is_authenticated or not user.is_active:
        return False
    grants = grants_for(user)
    programs = grants.clinical_programs | grants.demographic_programs
    orgs = grants.clinical_orgs | grants.demographic_orgs
    return program.pk in programs or program.organization_id in orgs


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


def sees_clinical_attendance(user: User, program: Program) -> bool:
    """Flags and hours against the level-of-care minimum: directors only, program-wide.

    Clinicians see them for their own care-team participants on the chart (clinical scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    grants = grants_for(user)
    return program.pk in grants.clinical_programs or program.organization_id in grants.clinical_orgs


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
