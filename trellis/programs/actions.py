"""Writes to organizations, sites, rooms, programs, tracks and memberships.

The set-up pages (programs/views/setup.py, sites.py) call the `check_*` functions; the demo
seeder and tests call the `do_*` ones. Every write is audited (purpose HSYSADMIN)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.accounts.actions import do_add_credential, do_set_supervisor
from trellis.accounts.models import Credential, StaffProfile
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.choices import Weekday
from trellis.programs.models import (
    DEFAULT_HOURS,
    Delivery,
    Membership,
    Organization,
    Program,
    Room,
    Site,
    Track,
)
from trellis.programs.queries import program_staff

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
    participant_idle_timeout_minutes: int | None = None,
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
        participant_idle_timeout_minutes=participant_idle_timeout_minutes,
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
    day_starts_at: time | None = None,
    day_ends_at: time | None = None,
) -> Track:
    """`day_starts_at`/`day_ends_at`: the local hours the track's sessions keep (both or neither,
    in order: the model's constraint, checked by full_clean); the schedule refuses a series
    outside them. Pages go through `check_save_track`, which also asks for the days."""
    track = Track(
        program=program,
        name=name,
        delivery=delivery,
        capacity=capacity,
        schedule_summary=schedule_summary,
        day_starts_at=day_starts_at,
        day_ends_at=day_ends_at,
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


# --- set-up pages: sites, rooms and tracks (docs/configuration.md, "Set-up pages") ----------


@dataclass(frozen=True)
class SiteData:
    name: str
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""


def check_save_site(
    actor: User, organization: Organization, data: SiteData, *, site: Site | None = None
) -> Site:
    """Add a site to the organization, or change one of its sites."""
    if site is not None and site.organization_id != organization.pk:
        raise ValidationError({"name": "That site belongs to another organization."})
    name = data.name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the site a name."
    elif (
        Site.objects.filter(organization=organization, name__iexact=name)
        .exclude(pk__in=[site.pk] if site else [])
        .exists()
    ):
        errors["name"] = "The organization already has a site of that name."
    if data.state and (len(data.state) != 2 or not data.state.isalpha()):
        errors["state"] = "Use the two-letter state code, e.g. IL."
    if errors:
        raise ValidationError(errors)
    cleaned = SiteData(
        name=name,
        address_line1=data.address_line1.strip(),
        address_line2=data.address_line2.strip(),
        city=data.city.strip(),
        state=data.state.strip().upper(),
        postal_code=data.postal_code.strip(),
    )
    return do_save_site(actor, organization, cleaned, site=site)


@transaction.atomic
def do_save_site(
    actor: User | None, organization: Organization, data: SiteData, *, site: Site | None = None
) -> Site:
    created = site is None
    target = site if site is not None else Site(organization=organization)
    for name, value in asdict(data).items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        obj=target,
        purpose=Purpose.HSYSADMIN,
        detail={"change": "site created" if created else "site changed"},
    )
    return target


def check_retire_site(actor: User, site: Site) -> Site:
    """Retire a site: refused while any of its rooms or active programs is still in use."""
    rooms = list(site.rooms.filter(is_active=True).values_list("name", flat=True))
    programs = list(site.programs.filter(is_active=True).values_list("name", flat=True))
    if rooms:
        raise ValidationError({"site": "Retire its rooms first: " + ", ".join(rooms) + "."})
    if programs:
        raise ValidationError(
            {"site": "Programs still run at this site: " + ", ".join(programs) + "."}
        )
    return do_set_site_active(actor, site, is_active=False)


@transaction.atomic
def do_set_site_active(actor: User | None, site: Site, *, is_active: bool) -> Site:
    site.is_active = is_active
    site.save(update_fields=["is_active"])
    record(
        actor,
        Action.UPDATE,
        obj=site,
        purpose=Purpose.HSYSADMIN,
        detail={"change": "site reopened" if is_active else "site retired"},
    )
    return site


def check_save_room(
    actor: User, site: Site, *, name: str, capacity: int, room: Room | None = None
) -> Room:
    """Add a room to a site, or rename or resize one."""
    if room is not None and room.site_id != site.pk:
        raise ValidationError({"name": "That room is at another site."})
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the room a name."
    elif site.rooms.filter(name__iexact=name).exclude(pk__in=[room.pk] if room else []).exists():
        errors["name"] = "The site already has a room of that name."
    if capacity < 1:
        errors["capacity"] = "A room holds at least one person."
    if not site.is_active:
        errors["name"] = "The site is retired: reopen it before changing its rooms."
    if errors:
        raise ValidationError(errors)
    return do_save_room(actor, site, name=name, capacity=capacity, room=room)


@transaction.atomic
def do_save_room(
    actor: User | None, site: Site, *, name: str, capacity: int, room: Room | None = None
) -> Room:
    created = room is None
    target = room if room is not None else Room(site=site)
    target.name, target.capacity = name, capacity
    target.full_clean()
    target.save()
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        obj=target,
        purpose=Purpose.HSYSADMIN,
        detail={"change": "room created" if created else "room changed"},
    )
    return target


@transaction.atomic
def do_set_room_active(actor: User | None, room: Room, *, is_active: bool) -> Room:
    """Retire or reopen a room. Whether sessions still use it is scheduling's question:
    `scheduling.actions.check_retire_room` asks it before calling this."""
    room.is_active = is_active
    room.save(update_fields=["is_active"])
    record(
        actor,
        Action.UPDATE,
        obj=room,
        purpose=Purpose.HSYSADMIN,
        detail={"change": "room reopened" if is_active else "room retired"},
    )
    return room


@dataclass(frozen=True)
class TrackData:
    name: str
    delivery: str
    capacity: int
    day_starts_at: time | None = None
    day_ends_at: time | None = None
    weekdays: tuple[int, ...] = ()
    is_active: bool = True


def check_save_track(
    actor: User, program: Program, data: TrackData, *, track: Track | None = None
) -> Track:
    """Add a track to the program or change one: name, delivery, capacity and its hours."""
    if track is not None and track.program_id != program.pk:
        raise ValidationError({"name": "That track belongs to another program."})
    name = data.name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the track a name (e.g. Evening)."
    elif (
        program.tracks.filter(name__iexact=name)
        .exclude(pk__in=[track.pk] if track else [])
        .exists()
    ):
        errors["name"] = "The program already has a track of that name."
    if data.delivery not in Delivery.values:
        errors["delivery"] = "Choose in person, telehealth or hybrid."
    if data.capacity < 1:
        errors["capacity"] = "A track takes at least one person."
    if (data.day_starts_at is None) != (data.day_ends_at is None):
        errors["day_ends_at"] = "Give both the start and the end of the track's day, or neither."
    elif data.day_starts_at is not None and data.day_ends_at is not None:
        if data.day_starts_at >= data.day_ends_at:
            errors["day_ends_at"] = "The track's day ends after it starts."
        if not data.weekdays:
            errors["weekdays"] = "Choose the days the track meets."
    if any(day not in Weekday.values for day in data.weekdays):
        errors["weekdays"] = "Choose days from Monday to Sunday."
    if errors:
        raise ValidationError(errors)
    cleaned = TrackData(
        name=name,
        delivery=data.delivery,
        capacity=data.capacity,
        day_starts_at=data.day_starts_at,
        day_ends_at=data.day_ends_at,
        weekdays=tuple(sorted(set(data.weekdays))),
        is_active=data.is_active,
    )
    return do_save_track(actor, program, cleaned, track=track)


@transaction.atomic
def do_save_track(
    actor: User | None, program: Program, data: TrackData, *, track: Track | None = None
) -> Track:
    created = track is None
    target = track if track is not None else Track(program=program)
    target.name, target.delivery, target.capacity = data.name, data.delivery, data.capacity
    target.day_starts_at, target.day_ends_at = data.day_starts_at, data.day_ends_at
    target.weekdays = list(data.weekdays)
    target.is_active = data.is_active
    if target.has_hours:
        target.schedule_summary = target.hours_summary
    target.full_clean()
    target.save()
    record(
        actor,
        Action.CREATE if created else Action.UPDATE,
        obj=target,
        purpose=Purpose.HSYSADMIN,
        detail={
            "change": "track created" if created else "track changed",
            "hours": target.hours_summary,
            "active": target.is_active,
        },
    )
    return target


# --- staff credentials and supervisors, within one program ----------------------------------


def check_add_credential(
    actor: User,
    program: Program,
    member: User,
    *,
    kind: str,
    licence_number: str = "",
    state: str = "",
    expires_on: date | None = None,
) -> Credential:
    """Record a licence or certification of one of the program's staff."""
    kind, state = kind.strip().upper(), state.strip().upper()
    errors: dict[str, str] = {}
    if not program_staff(program).filter(user=member).exists():
        errors["kind"] = "Only the program's own staff are set up here."
    if not kind:
        errors["kind"] = "Give the credential's abbreviation, e.g. LCSW."
    if state and (len(state) != 2 or not state.isalpha()):
        errors["state"] = "Use the two-letter state code, e.g. IL."
    if kind and member.credentials.filter(kind=kind, state=state).exists():
        errors["kind"] = f"{member.name} already has {kind}{' in ' + state if state else ''}."
    if errors:
        raise ValidationError(errors)
    return do_add_credential(
        actor,
        member,
        kind=kind,
        licence_number=licence_number.strip(),
        state=state,
        expires_on=expires_on,
    )


def check_set_supervisor(
    actor: User, program: Program, member: User, supervisor: User | None, *, is_trainee: bool
) -> StaffProfile:
    """Who co-signs for a trainee: a licensed member of the same program, not themselves."""
    staff = program_staff(program)
    errors: dict[str, str] = {}
    if not staff.filter(user=member).exists():
        errors["supervisor"] = "Only the program's own staff are set up here."
    if supervisor is not None:
        if supervisor.pk == member.pk:
            errors["supervisor"] = "Someone cannot supervise themselves."
        elif not staff.filter(user=supervisor).exists():
            errors["supervisor"] = "Choose a supervisor who works in this program."
        elif StaffProfile.objects.filter(user=supervisor, is_trainee=True).exists():
            errors["supervisor"] = "A trainee cannot supervise: choose a licensed clinician."
    elif is_trainee:
        errors["supervisor"] = (
            "A trainee's notes need a supervisor's co-signature: choose their supervisor."
        )
    if errors:
        raise ValidationError(errors)
    return do_set_supervisor(actor, member, supervisor, is_trainee=is_trainee)
