"""Writes to organizations, programs, tracks and memberships (setup by administrators)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.programs.models import (
    DEFAULT_HOURS,
    Membership,
    Organization,
    Program,
    Room,
    Site,
    Track,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User


@transaction.atomic
def do_create_organization(actor: User | None, *, name: str, time_zone: str) -> Organization:
    organization = Organization(name=name, time_zone=time_zone)
    organization.full_clean()
    organization.save()
    record(actor, Action.CREATE, obj=organization, purpose=Purpose.HSYSADMIN)
    return organization


@transaction.atomic
def do_create_site(
    actor: User | None, organization: Organization, *, name: str, **address: str
) -> Site:
    site = Site(organization=organization, name=name, **address)
    site.full_clean()
    site.save()
    record(actor, Action.CREATE, obj=site, purpose=Purpose.HSYSADMIN)
    return site


@transaction.atomic
def do_create_room(actor: User | None, site: Site, *, name: str, capacity: int) -> Room:
    room = Room(site=site, name=name, capacity=capacity)
    room.full_clean()
    room.save()
    record(actor, Action.CREATE, obj=room, purpose=Purpose.HSYSADMIN)
    return room


@transaction.atomic
def do_create_program(
    actor: User | None,
    organization: Organization,
    *,
    name: str,
    population: str,
    level_of_care: str = "ASAM3:2.1",
    description: str = "",
    site: Site | None = None,
    min_hours_per_week: Decimal | None = None,
    max_hours_per_week: Decimal | None = None,
    crisis_phone: str = "",
) -> Program:
    """Create a program; weekly hours default from the population (9/19 adults, 6/19 teens)."""
    default_min, default_max = DEFAULT_HOURS[population]
    program = Program(
        organization=organization,
        site=site,
        name=name,
        description=description,
        population=population,
        level_of_care=level_of_care,
        min_hours_per_week=default_min if min_hours_per_week is None else min_hours_per_week,
        max_hours_per_week=default_max if max_hours_per_week is None else max_hours_per_week,
        crisis_phone=crisis_phone,
    )
    program.full_clean()
    program.save()
    record(actor, Action.CREATE, obj=program, purpose=Purpose.HSYSADMIN)
    return program


@transaction.atomic
def do_create_track(
    actor: User | None,
    program: Program,
    *,
    name: str,
    delivery: str,
    capacity: int,
    schedule_summary: str = "",
) -> Track:
    track = Track(
        program=program,
        name=name,
        delivery=delivery,
        capacity=capacity,
        schedule_summary=schedule_summary,
    )
    track.full_clean()
    track.save()
    record(actor, Action.CREATE, obj=track, purpose=Purpose.HSYSADMIN)
    return track


@transaction.atomic
def do_add_membership(
    actor: User | None,
    user: User,
    organization: Organization,
    *,
    role: str,
    program: Program | None = None,
    clinician_kind: str = "",
) -> Membership:
    membership = Membership(
        user=user,
        organization=organization,
        program=program,
        role=role,
        clinician_kind=clinician_kind,
    )
    membership.full_clean()
    membership.save()
    record(
        actor,
        Action.CREATE,
        obj=membership,
        purpose=Purpose.HSYSADMIN,
        detail={"user": str(user.public_id), "role": role},
    )
    return membership
