"""API shapes for participants and episodes.

Fields are listed one by one, never taken wholesale from a model: this is health data.
Responses come in two scopes (privacy/policy.py). At demographic scope (front desk) the
clinical fields are present with the value null, so one schema describes both scopes and a
client can tell "not shown to you" (null, `scope` is "demographic") from "none" (an empty list).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from trellis.lib.api import PageOut
from trellis.participants.models import CareTeamMember, Episode, Participant
from trellis.programs.schemas import (
    OrganizationRef,
    ProgramRef,
    TrackRef,
    organization_ref,
    program_ref,
    track_ref,
)

if TYPE_CHECKING:
    from trellis.privacy.access import ParticipantAccess  # privacy imports participants

# EpisodeStatus.values, spelled out so the OpenAPI document lists them (a test keeps them equal).
EpisodeStatusName = Literal["planned", "waitlist", "active", "on_hold", "discharged", "cancelled"]
ScopeName = Literal["demographic", "clinical"]


class ParticipantRef(Schema):
    public_id: UUID
    display_name: str


class UserRef(Schema):
    public_id: UUID
    name: str


class CareTeamMemberOut(Schema):
    user: UserRef
    role: str = Field(examples=["therapist"])
    is_primary: bool
    start_date: date
    end_date: date | None


class EpisodeSummaryOut(Schema):
    """Enrollment: what front desk may see of an episode too."""

    public_id: UUID
    program: ProgramRef
    track: TrackRef | None
    status: EpisodeStatusName
    admitted_on: date | None
    discharged_on: date | None


class EpisodeListItemOut(EpisodeSummaryOut):
    participant: ParticipantRef


class EpisodeOut(EpisodeListItemOut):
    scope: ScopeName = Field(description="How much of the record you may see.")
    discharge_reason: str | None = Field(
        description="Clinical: null at demographic scope, empty while the episode is open."
    )
    care_team: list[CareTeamMemberOut] | None = Field(
        description="Current care team. Clinical: null at demographic scope."
    )


class AddressOut(Schema):
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str


class EmergencyContactOut(Schema):
    name: str
    relationship: str
    phone: str


class ParticipantListItemOut(Schema):
    public_id: UUID
    mrn: str
    display_name: str
    given_name: str
    family_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    current_episode: EpisodeSummaryOut | None = Field(
        description="The open episode you may see, else the latest one."
    )


class ParticipantOut(ParticipantListItemOut):
    scope: ScopeName = Field(description="How much of the record you may see.")
    organization: OrganizationRef
    email: str
    phone: str
    address: AddressOut
    emergency_contact: EmergencyContactOut
    language: str
    episodes: list[EpisodeSummaryOut] = Field(description="Episodes you may see, newest first.")
    care_team: list[CareTeamMemberOut] | None = Field(
        description="Care team of the current episode. Clinical: null at demographic scope."
    )


class ParticipantPageOut(PageOut):
    items: list[ParticipantListItemOut]


class EpisodePageOut(PageOut):
    items: list[EpisodeListItemOut]


class ParticipantIn(Schema):
    """Register a participant; with `program`, also open their first episode."""

    mrn: str = Field(max_length=30, description="Medical record number, unique in the org.")
    given_name: str = Field(max_length=100, description="Legal given name.")
    family_name: str = Field(max_length=100, description="Legal family name.")
    date_of_birth: date = Field(description="YYYY-MM-DD.")
    preferred_name: str = Field(default="", max_length=100)
    pronouns: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=30)
    address_line1: str = Field(default="", max_length=200)
    address_line2: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    state: str = Field(default="", max_length=2, description="Two-letter code, e.g. OR.")
    postal_code: str = Field(default="", max_length=10)
    emergency_contact_name: str = Field(default="", max_length=150)
    emergency_contact_relationship: str = Field(default="", max_length=60)
    emergency_contact_phone: str = Field(default="", max_length=30)
    language: str = Field(default="en", max_length=35, description="ISO 639-1 code: en, es, vi…")
    program: UUID | None = Field(
        default=None, description="Program to enroll in (one you register participants in)."
    )
    track: UUID | None = Field(default=None, description="A track of that program.")
    status: EpisodeStatusName = Field(
        default="planned", description="Of the new episode: planned, waitlist, active, on_hold."
    )
    admitted_on: date | None = Field(default=None, description="Required when status is active.")

    @field_validator("date_of_birth", "admitted_on", mode="before")
    @classmethod
    def dates_are_iso_strings(cls, value: Any) -> Any:
        # pydantic would read a number as seconds since 1970: a typo must not become a date.
        if value is not None and not isinstance(value, str | date):
            raise ValueError("Give the date as text, YYYY-MM-DD.")
        return value

    @field_validator("email")
    @classmethod
    def email_has_at_sign(cls, value: str) -> str:
        value = value.strip()
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("Enter a valid email address.")
        return value


def participant_ref(participant: Participant) -> ParticipantRef:
    return ParticipantRef(public_id=participant.public_id, display_name=participant.display_name)


def care_team_out(members: list[CareTeamMember]) -> list[CareTeamMemberOut]:
    return [
        CareTeamMemberOut(
            user=UserRef(public_id=m.user.public_id, name=m.user.name),
            role=m.role,
            is_primary=m.is_primary,
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for m in members
    ]


def episode_summary(episode: Episode) -> EpisodeSummaryOut:
    """Needs `program` and `track` loaded (select_related)."""
    return EpisodeSummaryOut(
        public_id=episode.public_id,
        program=program_ref(episode.program),
        track=track_ref(episode.track),
        status=episode.status,  # type: ignore[arg-type]  # a CharField limited to the choices
        admitted_on=episode.admitted_on,
        discharged_on=episode.discharged_on,
    )


def episode_list_item(episode: Episode) -> EpisodeListItemOut:
    """Needs `participant`, `program` and `track` loaded."""
    return EpisodeListItemOut(
        **episode_summary(episode).model_dump(), participant=participant_ref(episode.participant)
    )


def episode_out(episode: Episode, *, clinical: bool, care_team: list[CareTeamMember]) -> EpisodeOut:
    return EpisodeOut(
        **episode_list_item(episode).model_dump(),
        scope="clinical" if clinical else "demographic",
        discharge_reason=episode.discharge_reason if clinical else None,
        care_team=care_team_out(care_team) if clinical else None,
    )


def participant_list_item(
    participant: Participant, current: Episode | None
) -> ParticipantListItemOut:
    return ParticipantListItemOut(
        public_id=participant.public_id,
        mrn=participant.mrn,
        display_name=participant.display_name,
        given_name=participant.given_name,
        family_name=participant.family_name,
        preferred_name=participant.preferred_name,
        pronouns=participant.pronouns,
        date_of_birth=participant.date_of_birth,
        current_episode=None if current is None else episode_summary(current),
    )


def participant_out(access: ParticipantAccess, care_team: list[CareTeamMember]) -> ParticipantOut:
    participant = access.participant
    return ParticipantOut(
        **participant_list_item(participant, access.status_episode).model_dump(),
        scope="clinical" if access.clinical else "demographic",
        organization=organization_ref(participant.organization),
        email=participant.email,
        phone=participant.phone,
        address=AddressOut(
            line1=participant.address_line1,
            line2=participant.address_line2,
            city=participant.city,
            state=participant.state,
            postal_code=participant.postal_code,
        ),
        emergency_contact=EmergencyContactOut(
            name=participant.emergency_contact_name,
            relationship=participant.emergency_contact_relationship,
            phone=participant.emergency_contact_phone,
        ),
        language=participant.language,
        episodes=[episode_summary(e) for e in access.episodes],
        care_team=care_team_out(care_team) if access.clinical else None,
    )
