"""Who may correct a participant's details (audited, deny by default).

Only people who may open the record at all (`Participant.objects.visible_to`, the role table)
and only through the episodes they see: contact details for the front desk, intake
coordinators and directors of such an episode's program, and the care team of the open
episode today (intake loses a person once a care team is set, as on the chart). The legal
identity (legal name, date of birth, MRN): directors and intake coordinators only. A person not yet
enrolled anywhere is the registering roles' (directors and intake of the organization).
Anyone else gets the same 404 as a missing record, with a `deny` event.

Who manages a participant's own sign-in (the Portal account tab, docs/portal.md): staff who
see an open episode of theirs clinically; other clinical readers see its status only. The
same staff invite and unlink guardians there.

Guardians (docs/portal.md, "Guardians") never go through the general policy (which would open
the whole record): `access_as_guardian` opens only what their link grants, and records each
look as a guardian's (purpose FAMRQT, role "guardian")."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record, record_many
from trellis.lib.ids import lookup_id
from trellis.participants.guardianship import (
    HomeEntry,
    LinkView,
    guardian_home,
    link_view,
    links_of_participant,
    usable_guardian_invitation,
)
from trellis.participants.models import (
    CareTeamMember,
    Episode,
    GuardianInvitation,
    GuardianLink,
    Invitation,
    InvitationClosed,
    Participant,
)
from trellis.participants.queries import usable_invitation
from trellis.privacy.access import ParticipantAccess, Scope, access_participant, deny_object
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User

CONTACT = "contact"
IDENTITY = "identity"


def details_roles(user: User, participant: Participant) -> set[str]:
    """Which parts of the person's details `user` may correct: CONTACT, IDENTITY, both or
    neither."""
    if not user.is_active:
        return set()
    if not Participant.objects.visible_to(user).filter(pk=participant.pk).exists():
        return set()  # the access spine first: nobody corrects a record they may not open
    grants = grants_for(user)
    episodes = list(
        Episode.objects.visible_to(user).filter(participant=participant).select_related("program")
    )
    programs: list[Program] = [e.program for e in episodes]
    if not Episode.objects.filter(participant=participant).exists():
        in_org = Program.objects.filter(organization_id=participant.organization_id)
        programs = [p for p in in_org if grants.directs(p) or grants.does_intake(p)]
    roles: set[str] = set()
    if any(grants.directs(p) or grants.does_intake(p) for p in programs):
        roles |= {CONTACT, IDENTITY}
    elif any(grants.works_front_desk(p) for p in programs):
        roles.add(CONTACT)
    else:
        open_ids = [e.pk for e in episodes if e.is_open]
        today = participant.organization.today()
        if (
            open_ids
            and CareTeamMember.objects.active_on(today)
            .filter(episode_id__in=open_ids, user=user)
            .exists()
        ):
            roles.add(CONTACT)
    return roles


def access_details(
    user: User, public_id: uuid.UUID | str, *, action: Action | str = Action.VIEW
) -> tuple[Participant, set[str]]:
    """The participant whose details `user` may correct, with what they may correct."""
    participant = (
        Participant.objects.filter(public_id=lookup_id(public_id))
        .select_related("organization")
        .first()
    )
    roles = details_roles(user, participant) if participant is not None else set()
    if participant is None or not roles:
        raise deny_object(
            user,
            object_type="participants.participant",
            object_id=public_id,
            participant=participant,
            purpose=Purpose.HOPERAT,
        )
    record(
        user,
        action,
        participant=participant,
        obj=participant,
        purpose=Purpose.HOPERAT,
        role="+".join(sorted(roles)),
    )
    return participant, roles


def may_manage_portal_account(user: User, access: ParticipantAccess) -> bool:
    """Who invites a participant, resends and revokes: staff who see an open episode of theirs
    clinically (the care team, the program's director, intake before a care team is set).
    Never the front desk (demographic scope), nor the participant themself."""
    if access.is_own_record or not access.clinical or not grants_for(user).is_staff_member:
        return False
    return any(e.is_open and access.is_clinical_for(e) for e in access.episodes)


def access_portal_account(
    user: User, public_id: uuid.UUID | str, *, action: Action | str = Action.VIEW
) -> tuple[ParticipantAccess, bool]:
    """The chart's Portal account tab: staff who see the participant clinically read the
    account's status; the second value says whether they may also invite, resend and revoke
    (`may_manage_portal_account`). A change (`action` other than view) by anyone who may not
    manage, and any look by anyone else, get the same audited 404 as a missing record."""
    try:
        access = access_participant(
            user, public_id, purpose=Purpose.HOPERAT, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        access = None
    may_manage = access is not None and may_manage_portal_account(user, access)
    staff = access is not None and not access.is_own_record and grants_for(user).is_staff_member
    if access is None or not staff or (action != Action.VIEW and not may_manage):
        raise deny_object(
            user,
            object_type="participants.participant",
            object_id=public_id,
            participant=access.participant if access is not None else None,
            purpose=Purpose.HOPERAT,
        )
    record(
        user,
        action,
        participant=access.participant,
        obj=access.participant,
        purpose=Purpose.HOPERAT,
        role=access.role,
        detail={"scope": access.scope.name.lower(), "part": "portal-account"},
    )
    return access, may_manage


def access_invitation(token: str, *, action: Action | str = Action.VIEW) -> Invitation:
    """The invitation behind a one-time link, for whoever holds the link (the token is the
    credential), or InvitationClosed. The view is recorded against the participant, with no
    actor: the invitee has no sign-in yet. Links that do not work record nothing (there is
    nobody and nothing to name)."""
    invitation = usable_invitation(token, timezone.now())
    if invitation is None:
        raise InvitationClosed
    record(
        None,
        action,
        participant=invitation.participant,
        obj=invitation,
        purpose=Purpose.PATRQT,
        actor_label="invitee (one-time link)",
    )
    return invitation


# -- guardians (docs/portal.md, "Guardians") ------------------------------------------------

GUARDIAN_ROLE = "guardian"


def _deny_guardian(user: User, public_id: object, participant: Participant | None) -> Http404:
    return deny_object(
        user,
        object_type="participants.participant",
        object_id=public_id,
        participant=participant,
        purpose=Purpose.FAMRQT,
    )


def access_as_guardian(
    user: User, participant_public_id: uuid.UUID | str, kind: str | None = None
) -> LinkView:
    """A guardian's look at one linked participant: the link, the adolescent episode that
    makes it work and the kinds granted (program policy, and consent where needed). With
    `kind`, that kind must be granted. Anyone without a working link to this participant, and
    a kind not granted, get the audited 404 of the access spine. The event names the guardian
    as such: purpose FAMRQT, role "guardian", the kinds shown."""
    link = (
        GuardianLink.objects.active()
        .filter(guardian=user, participant__public_id=lookup_id(participant_public_id))
        .select_related("participant", "participant__organization")
        .first()
        if user.is_active
        else None
    )
    view = link_view(link) if link is not None else None
    if view is None or not view.works or (kind is not None and kind not in view.kinds):
        raise _deny_guardian(user, participant_public_id, link.participant if link else None)
    record(
        user,
        Action.VIEW,
        participant=view.link.participant,
        obj=view.link.participant,
        purpose=Purpose.FAMRQT,
        role=GUARDIAN_ROLE,
        detail={
            "as": GUARDIAN_ROLE,
            "link": str(view.link.public_id),
            "kinds": sorted(view.kinds if kind is None else {kind}),
        },
    )
    return view


def access_guardian_home(user: User) -> list[HomeEntry]:
    """The guardian's home: their linked participants (names and whether each link works:
    nothing of the record). One event per participant, labelled as a guardian's, in a fixed
    number of queries."""
    entries = guardian_home(user) if user.is_active else []
    record_many(
        user,
        [
            EventSpec(
                Action.VIEW,
                participant=entry.link.participant,
                obj=entry.link,
                purpose=Purpose.FAMRQT,
                role=GUARDIAN_ROLE,
                detail={"as": GUARDIAN_ROLE, "part": "family-home"},
            )
            for entry in entries
        ],
    )
    return entries


def access_own_guardians(user: User) -> tuple[ParticipantAccess, list[LinkView]]:
    """The adolescent's own "My guardians": who each guardian is and what they see. The
    participant's own record (the general policy), else the audited 404."""
    participant = getattr(user, "participant", None)
    if participant is None:
        raise _deny_guardian(user, "me", None)
    access = access_participant(
        user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.CLINICAL
    )
    if not access.is_own_record:
        raise _deny_guardian(user, "me", None)
    views = [link_view(link) for link in links_of_participant(access.participant)]
    return access, [v for v in views if v.link.is_active]


def access_guardian_invitation(
    token: str, *, action: Action | str = Action.VIEW
) -> GuardianInvitation:
    """A guardian invitation behind a one-time link (the token is the credential), or
    InvitationClosed; like `access_invitation`, recorded with no actor."""
    invitation = usable_guardian_invitation(token, timezone.now())
    if invitation is None:
        raise InvitationClosed
    record(
        None,
        action,
        participant=invitation.participant,
        obj=invitation,
        purpose=Purpose.FAMRQT,
        actor_label="guardian invitee (one-time link)",
    )
    return invitation
