"""Care-team writes (the chart's Care team tab): adding members, changing a role, making a
member primary, ending a membership. Atomic, audited.

The model allows one open primary per episode (constraint `care_team_one_open_primary`); these
actions keep it at exactly one by swapping the primary inside one transaction, with the
episode row locked so two people swapping at once wait for each other instead of one of them
hitting the constraint.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.participants.actions.enrollment import lock_episode
from trellis.participants.models import CareTeamMember, Episode
from trellis.programs.models import ClinicianKind, Membership, Role

if TYPE_CHECKING:
    from trellis.accounts.models import User


def check_add_care_team_member(
    actor: User,
    episode: Episode,
    member: User,
    *,
    role: str,
    is_primary: bool = False,
    start_date: date | None = None,
) -> CareTeamMember:
    errors: dict[str, str] = {}
    if not episode.is_open:
        # The record of a discharged episode stays as it was: a new member would open it to
        # someone who never treated the person (42 CFR Part 2 notes included).
        errors["status"] = "This episode is discharged: its care team can no longer change."
    if role not in ClinicianKind.values:
        errors["role"] = "Choose the member's role on the care team."
    works_here = (
        Membership.objects.active()
        .filter(user=member, role__in=[Role.CLINICIAN, Role.PROGRAM_DIRECTOR])
        .filter(organization_id=episode.program.organization_id)
        .exists()
    )
    if not works_here:
        errors["user"] = "Only clinicians of this organization can join a care team."
    if is_primary and episode.care_team.filter(is_primary=True, end_date__isnull=True).exists():
        errors["is_primary"] = "The episode already has a primary clinician: end that role first."
    if errors:
        raise ValidationError(errors)
    return do_add_care_team_member(
        actor, episode, member, role=role, is_primary=is_primary, start_date=start_date
    )


@transaction.atomic
def do_add_care_team_member(
    actor: User | None,
    episode: Episode,
    member: User,
    *,
    role: str,
    is_primary: bool = False,
    start_date: date | None = None,
) -> CareTeamMember:
    membership = CareTeamMember.objects.create(
        episode=episode,
        user=member,
        role=role,
        is_primary=is_primary,
        start_date=start_date or episode.program.organization.today(),
    )
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=membership,
        object_id=str(membership.pk),
        purpose=Purpose.HOPERAT,
        detail={"member": str(member.public_id), "role": role, "primary": is_primary},
    )
    return membership


def check_add_care_team_member_as_primary(
    actor: User, episode: Episode, member: User, *, role: str, start_date: date | None = None
) -> CareTeamMember:
    """Add a member who becomes the primary clinician, replacing the current primary (who
    stays on the team) in the same transaction."""
    with transaction.atomic():
        lock_episode(episode)
        added = check_add_care_team_member(
            actor, episode, member, role=role, is_primary=False, start_date=start_date
        )
        return do_make_primary(actor, added)


def check_change_care_team_member(
    actor: User, membership: CareTeamMember, *, role: str
) -> CareTeamMember:
    if role not in ClinicianKind.values:
        raise ValidationError({"role": "Choose the member's role on the care team."})
    if (
        membership.end_date is not None
        and membership.end_date < membership.episode.program.organization.today()
    ):
        raise ValidationError({"role": "This member has left the care team."})
    return do_change_care_team_role(actor, membership, role=role)


@transaction.atomic
def do_change_care_team_role(
    actor: User | None, membership: CareTeamMember, *, role: str
) -> CareTeamMember:
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor,
        Action.UPDATE,
        participant=membership.episode.participant,
        obj=membership,
        object_id=str(membership.pk),
        purpose=Purpose.HOPERAT,
        detail={"role": [before, role]},
    )
    return membership


def check_change_primary(actor: User, membership: CareTeamMember) -> CareTeamMember:
    """Make an open member the primary clinician (the previous primary stays on the team)."""
    if membership.end_date is not None:
        raise ValidationError({"is_primary": "A member who is leaving cannot become primary."})
    if membership.is_primary:
        return membership
    try:
        return do_make_primary(actor, membership)
    except IntegrityError as error:
        raise ValidationError(
            {"is_primary": "Someone changed the primary clinician at the same time: reload."}
        ) from error


@transaction.atomic
def do_make_primary(actor: User | None, membership: CareTeamMember) -> CareTeamMember:
    lock_episode(membership.episode)
    previous = list(
        CareTeamMember.objects.filter(
            episode_id=membership.episode_id, is_primary=True, end_date__isnull=True
        )
        .exclude(pk=membership.pk)
        .values_list("pk", flat=True)
    )
    # Unset first: the unique constraint is checked per statement.
    CareTeamMember.objects.filter(pk__in=previous).update(is_primary=False)
    membership.is_primary = True
    membership.save(update_fields=["is_primary"])
    record(
        actor,
        Action.UPDATE,
        participant=membership.episode.participant,
        obj=membership,
        object_id=str(membership.pk),
        purpose=Purpose.HOPERAT,
        detail={"primary": True, "replaces": [str(pk) for pk in previous]},
    )
    return membership


def check_end_care_team_member(
    actor: User, membership: CareTeamMember, *, end_date: date
) -> CareTeamMember:
    errors: dict[str, str] = {}
    if membership.end_date is not None:
        errors["end_date"] = "This member's role has already ended."
    elif end_date < membership.start_date:
        errors["end_date"] = "The end date is before the member joined."
    elif membership.is_primary and (
        CareTeamMember.objects.filter(episode_id=membership.episode_id, end_date__isnull=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        # Exactly one primary while a team exists: hand the role over before leaving.
        errors["end_date"] = "This is the primary clinician: make another member primary first."
    if errors:
        raise ValidationError(errors)
    return do_end_care_team_member(actor, membership, end_date=end_date)


@transaction.atomic
def do_end_care_team_member(
    actor: User | None, membership: CareTeamMember, *, end_date: date
) -> CareTeamMember:
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    record(
        actor,
        Action.UPDATE,
        participant=membership.episode.participant,
        obj=membership,
        object_id=str(membership.pk),
        purpose=Purpose.HOPERAT,
        detail={"end_date": end_date.isoformat()},
    )
    return membership
