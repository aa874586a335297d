"""API shapes for organizations, programs and tracks. Fields are listed one by one: nothing
reaches a client because a model grew a column."""

from __future__ import annotations

from datetime import time
from uuid import UUID

from ninja import Field, Schema

from trellis.programs.models import Organization, Program, Track


class OrganizationRef(Schema):
    public_id: UUID
    name: str


class SiteRef(Schema):
    public_id: UUID
    name: str


class ProgramRef(Schema):
    public_id: UUID
    name: str


class TrackRef(Schema):
    public_id: UUID
    name: str


class ProgramOut(Schema):
    public_id: UUID
    name: str
    description: str
    organization: OrganizationRef
    site: SiteRef | None
    time_zone: str = Field(description="IANA time zone of the organization.")
    population: str = Field(examples=["adult"])
    level_of_care: str = Field(description="Edition and level.", examples=["ASAM3:2.1"])
    level_of_care_label: str
    min_hours_per_week: float
    max_hours_per_week: float
    is_active: bool


class TrackOut(Schema):
    public_id: UUID
    name: str
    program: ProgramRef
    delivery: str = Field(examples=["in_person"])
    capacity: int
    schedule_summary: str
    day_starts_at: time | None = Field(description="Sessions start no earlier (local time).")
    day_ends_at: time | None = Field(description="Sessions end no later (local time).")
    is_active: bool


def organization_ref(organization: Organization) -> OrganizationRef:
    return OrganizationRef(public_id=organization.public_id, name=organization.name)


def program_ref(program: Program) -> ProgramRef:
    return ProgramRef(public_id=program.public_id, name=program.name)


def track_ref(track: Track | None) -> TrackRef | None:
    return None if track is None else TrackRef(public_id=track.public_id, name=track.name)


def program_out(program: Program) -> ProgramOut:
    """Needs `organization` and `site` loaded (select_related) to stay one query per list."""
    site = program.site
    return ProgramOut(
        public_id=program.public_id,
        name=program.name,
        description=program.description,
        organization=organization_ref(program.organization),
        site=None if site is None else SiteRef(public_id=site.public_id, name=site.name),
        time_zone=program.organization.time_zone,
        population=program.population,
        level_of_care=program.level_of_care,
        level_of_care_label=program.level_of_care_label,
        min_hours_per_week=float(program.min_hours_per_week),
        max_hours_per_week=float(program.max_hours_per_week),
        is_active=program.is_active,
    )


def track_out(track: Track) -> TrackOut:
    """Needs `program` loaded (select_related)."""
    return TrackOut(
        public_id=track.public_id,
        name=track.name,
        program=program_ref(track.program),
        delivery=track.delivery,
        capacity=track.capacity,
        schedule_summary=track.schedule_summary,
        day_starts_at=track.day_starts_at,
        day_ends_at=track.day_ends_at,
        is_active=track.is_active,
    )
