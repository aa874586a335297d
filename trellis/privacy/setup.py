"""Who may set up an organization or a program: the gate of the set-up pages.

- organization administrator (an organization-wide administrator membership): the
  organization's sites and their rooms, and every program's set-up;
- program director (of the program, or of the whole organization): their programs' tracks,
  rooms at the site where the program runs, staff credentials and supervisors of the
  program's staff, and the program's settings (the staff-feed switch);
- everyone else: nothing here. An object they may not set up answers the same audited 404
  as one that does not exist (`deny_object`).

Set-up objects live in `programs` and `accounts`, below privacy, so their gates live here
rather than in those apps' access modules (which may not import privacy). Pages call these
functions; every open is recorded with purpose HSYSADMIN.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from trellis.accounts.models import User as UserModel
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.privacy.access import deny_object
from trellis.privacy.policy import grants_for
from trellis.programs.models import Organization, Program, Room, Site, Track
from trellis.programs.queries import program_staff

if TYPE_CHECKING:
    from trellis.accounts.models import User


def _usable(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def administers(user: User, organization_id: int) -> bool:
    return _usable(user) and grants_for(user).administers(organization_id)


def may_set_up_program(user: User, program: Program) -> bool:
    """Program director of the program (or its organization), or organization administrator."""
    if not _usable(user):
        return False
    grants = grants_for(user)
    return grants.directs(program) or grants.administers(program.organization_id)


def administered_organizations(user: User) -> QuerySet[Organization]:
    if not _usable(user):
        return Organization.objects.none()
    return Organization.objects.filter(pk__in=grants_for(user).admin_orgs)


def setup_programs(user: User) -> QuerySet[Program]:
    """Programs whose set-up pages `user` may open."""
    if not _usable(user):
        return Program.objects.none()
    grants = grants_for(user)
    orgs = grants.clinical_orgs | grants.admin_orgs
    return Program.objects.filter(
        Q(pk__in=grants.clinical_programs) | Q(organization_id__in=orgs)
    ).select_related("organization", "site")


def may_set_up_rooms(user: User, site: Site) -> bool:
    """Administrators of the site's organization; directors of a program run at the site."""
    if administers(user, site.organization_id):
        return True
    return setup_programs(user).filter(site=site).exists()


def _deny(user: User, object_type: str, object_id: object) -> Exception:
    return deny_object(
        user, object_type=object_type, object_id=object_id, purpose=Purpose.HSYSADMIN
    )


def _opened(user: User, obj: Program | Site | Room | Track | UserModel) -> None:
    record(user, Action.VIEW, obj=obj, purpose=Purpose.HSYSADMIN, detail={"page": "set-up"})


def access_setup_program(user: User, public_id: uuid.UUID | str) -> Program:
    program = (
        Program.objects.select_related("organization", "site")
        .filter(public_id=lookup_id(public_id))
        .first()
    )
    if program is None or not may_set_up_program(user, program):
        raise _deny(user, "programs.program", public_id)
    _opened(user, program)
    return program


def access_setup_site(user: User, public_id: uuid.UUID | str, *, rooms: bool = False) -> Site:
    """A site to change (administrators), or, with `rooms`, a site whose rooms to manage."""
    site = (
        Site.objects.select_related("organization").filter(public_id=lookup_id(public_id)).first()
    )
    allowed = site is not None and (
        may_set_up_rooms(user, site) if rooms else administers(user, site.organization_id)
    )
    if site is None or not allowed:
        raise _deny(user, "programs.site", public_id)
    _opened(user, site)
    return site


def access_setup_room(user: User, public_id: uuid.UUID | str) -> Room:
    room = (
        Room.objects.select_related("site", "site__organization")
        .filter(public_id=lookup_id(public_id))
        .first()
    )
    if room is None or not may_set_up_rooms(user, room.site):
        raise _deny(user, "programs.room", public_id)
    _opened(user, room)
    return room


def access_setup_track(user: User, public_id: uuid.UUID | str) -> Track:
    track = (
        Track.objects.select_related("program", "program__organization")
        .filter(public_id=lookup_id(public_id))
        .first()
    )
    if track is None or not may_set_up_program(user, track.program):
        raise _deny(user, "programs.track", public_id)
    _opened(user, track)
    return track


def access_setup_staff(user: User, program: Program, public_id: uuid.UUID | str) -> UserModel:
    """A clinical staff member of `program`, for a user who may set the program up."""
    member = (
        UserModel.objects.filter(public_id=lookup_id(public_id))
        .filter(pk__in=program_staff(program).values("user_id"))
        .first()
    )
    if member is None or not may_set_up_program(user, program):
        raise _deny(user, "accounts.user", public_id)
    _opened(user, member)
    return member
