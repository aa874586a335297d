"""Who may see which participants and episodes: the role table of docs/architecture.md.

This is the only module that turns memberships into visibility. Query helpers
(`Participant.objects.visible_to`, `Episode.objects.visible_to`) and `privacy.access` both use
it, so a page, an API endpoint and an export always agree.

| role | sees |
|---|---|
| program director | every episode in their programs (org-wide: every program) |
| clinician | episodes where they are on the care team today |
| intake coordinator | episodes in their programs until a first care team is set; new participants |
| front desk | episodes in their programs, at demographic scope (no clinical content) |
| compliance officer, administrator | no charts (audit report; break-the-glass comes later) |
| participant | their own record |

Whoever sees a person at all also sees the *status* of that person's episodes in the programs
where they hold a role (`status_filter`): status, program, track and dates are demographic facts,
the front desk's view. An intake coordinator therefore sees that someone they still see through an
old episode is active again with a care team, without seeing that episode's clinical content.
Never across programs where the user holds no role: a Part 2 episode's existence is itself
protected.

Visibility is per episode: a director of the mental-health program does not see a person's
episode in the substance-use program (42 CFR Part 2) even though both are in one organization.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from trellis.lib.clock import local_today
from trellis.participants.models import CareTeamMember, Episode
from trellis.participants.scope import Scope as Scope  # re-exported: privacy decides scopes
from trellis.programs.models import Membership, Program, Role

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass
class Grants:
    """A user's memberships, grouped by what they open. Built once per user object."""

    user_id: int
    clinical_programs: set[int] = field(default_factory=set)
    clinical_orgs: set[int] = field(default_factory=set)
    demographic_programs: set[int] = field(default_factory=set)
    demographic_orgs: set[int] = field(default_factory=set)
    intake_programs: set[int] = field(default_factory=set)
    intake_orgs: set[int] = field(default_factory=set)
    admin_orgs: set[int] = field(default_factory=set)  # organization-wide administrators
    is_clinician: bool = False
    roles: set[str] = field(default_factory=set)
    zones: dict[int, str] = field(default_factory=dict)  # organization id -> IANA time zone

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)

    def directs(self, program: Program) -> bool:
        """Program director of `program`, or of its whole organization."""
        return program.pk in self.clinical_programs or program.organization_id in self.clinical_orgs

    def works_front_desk(self, program: Program) -> bool:
        """Front desk of `program`, or of its whole organization."""
        return (
            program.pk in self.demographic_programs
            or program.organization_id in self.demographic_orgs
        )

    def does_intake(self, program: Program) -> bool:
        """Intake coordinator of `program`, or of its whole organization."""
        return program.pk in self.intake_programs or program.organization_id in self.intake_orgs

    def administers(self, organization_id: int) -> bool:
        """Administrator of the whole organization (sites, staff; never charts)."""
        return organization_id in self.admin_orgs

    @property
    def is_director_anywhere(self) -> bool:
        return bool(self.clinical_programs or self.clinical_orgs)

    @property
    def does_intake_anywhere(self) -> bool:
        return bool(self.intake_programs or self.intake_orgs)

    @property
    def works_front_desk_anywhere(self) -> bool:
        return bool(self.demographic_programs or self.demographic_orgs)

    def holds_any(self, roles: Iterable[str]) -> bool:
        """Holds at least one of these roles somewhere."""
        return not self.roles.isdisjoint(roles)


def grants_for(user: User) -> Grants:
    """The user's grants, cached on the user object for the length of a request."""
    cached: Grants | None = getattr(user, "_trellis_grants", None)
    if cached is not None:
        return cached
    grants = Grants(user_id=user.pk or 0)
    if user.is_authenticated and user.is_active:
        memberships = Membership.objects.active().filter(user=user)
        for org_id, zone, program_id, role in memberships.values_list(
            "organization_id", "organization__time_zone", "program_id", "role"
        ):
            grants.roles.add(role)
            grants.zones[org_id] = zone
            if role == Role.PROGRAM_DIRECTOR:
                _add(grants.clinical_programs, grants.clinical_orgs, org_id, program_id)
            elif role == Role.FRONT_DESK:
                _add(grants.demographic_programs, grants.demographic_orgs, org_id, program_id)
            elif role == Role.INTAKE_COORDINATOR:
                _add(grants.intake_programs, grants.intake_orgs, org_id, program_id)
            elif role == Role.CLINICIAN:
                grants.is_clinician = True
            elif role == Role.ADMINISTRATOR and program_id is None:
                grants.admin_orgs.add(org_id)
    user._trellis_grants = grants  # type: ignore[attr-defined]  # per-request cache
    return grants


def _add(programs: set[int], orgs: set[int], org_id: int, program_id: int | None) -> None:
    if program_id is None:
        orgs.add(org_id)
    else:
        programs.add(program_id)


def _program_q(programs: set[int], orgs: set[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}program_id__in": programs}) | Q(
        **{f"{prefix}program__organization_id__in": orgs}
    )


def _care_team_today(grants: Grants, user_id: int | None = None) -> Q:
    """Episodes, in the organizations the user works in, with a care team active on that
    organization's date today (of which `user_id` is a member, when given).

    "Today" is each organization's own date, never the request's time zone: a token request
    at 00:30 UTC sees what the browser sees at 6:30 pm in Chicago."""
    orgs_by_day: dict[date, list[int]] = defaultdict(list)
    for org_id, zone in grants.zones.items():
        orgs_by_day[local_today(zoneinfo.ZoneInfo(zone))].append(org_id)
    matched = Q(pk__in=[])
    for day, org_ids in orgs_by_day.items():
        members = CareTeamMember.objects.active_on(day)
        if user_id is not None:
            members = members.filter(user_id=user_id)
        matched |= Q(program__organization_id__in=org_ids) & Q(pk__in=members.values("episode_id"))
    return matched


def on_care_team_today(user: User) -> Q:
    """A filter on Episode: episodes whose care team `user` is on today (each organization's
    date)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return _care_team_today(grants_for(user), user_id=user.pk)


def episode_filter(user: User, minimum: Scope = Scope.DEMOGRAPHIC) -> Q:
    """A filter on Episode for the episodes `user` may see at `minimum` scope or more."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    grants = grants_for(user)
    allowed = Q(participant__user_id=user.pk)
    if grants.clinical_programs or grants.clinical_orgs:
        allowed |= _program_q(grants.clinical_programs, grants.clinical_orgs)
    if grants.is_clinician:
        allowed |= _care_team_today(grants, user_id=user.pk)
    if grants.intake_programs or grants.intake_orgs:
        # Intake's window is before the first care team exists: any member, past, present or
        # future, closes it. A team that has ended (at discharge) does not reopen it.
        allowed |= _program_q(grants.intake_programs, grants.intake_orgs) & ~Q(
            pk__in=CareTeamMember.objects.values("episode_id")
        )
    if minimum <= Scope.DEMOGRAPHIC and (grants.demographic_programs or grants.demographic_orgs):
        allowed |= _program_q(grants.demographic_programs, grants.demographic_orgs)
    return allowed


def status_filter(user: User) -> Q:
    """A filter on Episode: the episodes whose status and program `user` may know for a person
    they already see (callers narrow to such people): every episode they see, plus every
    episode in a program where they hold intake (the front desk's demographic view of it).
    Grants nothing by itself: it never decides who appears in a list or who opens a chart."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    grants = grants_for(user)
    allowed = episode_filter(user, Scope.DEMOGRAPHIC)
    if grants.intake_programs or grants.intake_orgs:
        allowed |= _program_q(grants.intake_programs, grants.intake_orgs)
    return allowed


def participant_filter(user: User, minimum: Scope = Scope.DEMOGRAPHIC) -> Q:
    """A filter on Participant: those with a visible episode, plus not-yet-enrolled people
    in the organization for directors and intake coordinators (they register new people)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    grants = grants_for(user)
    allowed = Q(
        pk__in=Episode.objects.filter(episode_filter(user, minimum)).values("participant_id")
    )
    allowed |= Q(user_id=user.pk)
    registering_orgs = grants.clinical_orgs | grants.intake_orgs
    registering_programs = grants.clinical_programs | grants.intake_programs
    if registering_orgs or registering_programs:
        in_org = Q(organization_id__in=registering_orgs) | Q(
            organization_id__in=Program.objects.filter(pk__in=registering_programs).values(
                "organization_id"
            )
        )
        allowed |= in_org & ~Q(Exists(Episode.objects.filter(participant_id=OuterRef("pk"))))
    return allowed


def registrable_programs(user: User) -> QuerySet[Program]:
    """Programs in which `user` may register participants and open episodes: directors and
    intake coordinators."""
    if not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    grants = grants_for(user)
    programs = grants.clinical_programs | grants.intake_programs
    orgs = grants.clinical_orgs | grants.intake_orgs
    return (
        Program.objects.filter(Q(pk__in=programs) | Q(organization_id__in=orgs))
        .filter(is_active=True)
        .select_related("organization")
    )
