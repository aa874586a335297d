"""Participants and episodes over JSON: the same access gate and audit trail as the pages.

Reading one participant goes through `access_participant` (a VIEW event, or a DENY event and
404); lists record a LIST event with the filters and the number of results, never the rows.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from trellis.accounts.api import acting_user
from trellis.audit.models import Purpose
from trellis.audit.trail import record_list
from trellis.lib.api import PageQuery, error_responses
from trellis.participants import fhir
from trellis.participants.actions import (
    ParticipantDetails,
    check_create_participant,
)
from trellis.participants.models import Episode
from trellis.participants.queries import (
    ParticipantFilters,
    care_team_of,
    care_teams_at_close,
    current_episode_of,
    episodes_by_pk,
    fhir_episodes,
    participant_list,
)
from trellis.participants.schemas import (
    EpisodeOut,
    EpisodePageOut,
    EpisodeStatusName,
    EpisodeSummaryOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantPageOut,
    episode_list_item,
    episode_out,
    episode_summary,
    participant_list_item,
    participant_out,
)
from trellis.privacy.access import ParticipantAccess, access_episode, access_participant
from trellis.privacy.policy import registrable_programs
from trellis.programs.models import Organization, Program, Track

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from trellis.accounts.models import User
    from trellis.participants.models import CareTeamMember

router = Router(tags=["participants"])


class ParticipantQuery(PageQuery):
    q: str = Field(default="", max_length=100, description="Words of a name, or an MRN.")
    program: UUID | None = Field(default=None, description="Program public id.")
    track: UUID | None = Field(default=None, description="Track public id.")
    status: EpisodeStatusName | None = Field(default=None, description="Episode status.")


class EpisodeQuery(PageQuery):
    program: UUID | None = Field(default=None, description="Program public id.")
    status: EpisodeStatusName | None = Field(default=None)


def _current_care_team(user: User, access: ParticipantAccess) -> list[CareTeamMember]:
    episode = access.current_episode
    if episode is None or not access.is_clinical_for(episode):
        return []
    return care_team_of(episode)


@router.get(
    "/participants",
    response={200: ParticipantPageOut, **error_responses(401, 403, 422)},
    summary="Participants you may see",
)
def list_participants(request: HttpRequest, filters: Query[ParticipantQuery]) -> ParticipantPageOut:
    """Visible participants (care team, program, or front desk scope), by family name, with
    their current episode. The search is recorded in the audit trail."""
    user = acting_user(request)
    wanted = ParticipantFilters(
        text=filters.q.strip(),
        program=str(filters.program or ""),
        track=str(filters.track or ""),
        status=filters.status or "",
    )
    participants = participant_list(user, wanted)
    count = participants.count()
    page = list(participants[filters.offset : filters.offset + filters.limit])
    record_list(
        user,
        object_type="participants.participant",
        participants=page,
        purpose=Purpose.TREAT,
        detail=wanted.audit_detail()
        | {"results": count, "offset": filters.offset, "limit": filters.limit, "via": "api"},
    )
    return ParticipantPageOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        items=[participant_list_item(p, current_episode_of(p)) for p in page],
    )


@router.get(
    "/participants/{public_id}",
    response={200: ParticipantOut, **error_responses(401, 403, 404)},
    summary="One participant",
)
def get_participant(request: HttpRequest, public_id: str) -> ParticipantOut:
    """Demographics and enrollment; at clinical scope also the current care team."""
    user = acting_user(request)
    access = access_participant(user, public_id, purpose=Purpose.TREAT)
    return participant_out(access, _current_care_team(user, access))


@router.get(
    "/participants/{public_id}/episodes",
    response={200: list[EpisodeSummaryOut], **error_responses(401, 403, 404)},
    summary="Episodes of a participant",
)
def list_participant_episodes(request: HttpRequest, public_id: str) -> list[EpisodeSummaryOut]:
    """The participant's episodes you may see, newest first."""
    access = access_participant(acting_user(request), public_id, purpose=Purpose.TREAT)
    return [episode_summary(e) for e in access.episodes]


@router.post(
    "/participants",
    response={201: ParticipantOut, **error_responses(401, 403, 422)},
    summary="Register a participant",
)
def register_participant(request: HttpRequest, payload: ParticipantIn) -> Status[ParticipantOut]:
    """Register a participant and, with `program`, open their first episode. For program
    directors and intake coordinators of that program. Nothing is written unless all is valid."""
    user = acting_user(request)
    programs = registrable_programs(user)
    if not programs.exists():
        raise PermissionDenied(
            "Only program directors and intake coordinators register participants."
        )
    program, track = _enrollment_targets(payload, programs)
    organization = _organization_for(program, programs)
    details = ParticipantDetails(
        **{field.name: getattr(payload, field.name) for field in fields(ParticipantDetails)}
    )
    participant = check_create_participant(
        user,
        organization,
        details,
        program=program,
        track=track,
        status=payload.status,
        admitted_on=payload.admitted_on,
    )
    # The creation is already audited; reading back what was just entered is not a new view.
    access = access_participant(user, participant.public_id, purpose=Purpose.HOPERAT, audit=False)
    return Status(201, participant_out(access, _current_care_team(user, access)))


def _enrollment_targets(
    payload: ParticipantIn, programs: QuerySet[Program]
) -> tuple[Program | None, Track | None]:
    program: Program | None = None
    if payload.program is not None:
        program = programs.filter(public_id=payload.program).first()
        if program is None:
            raise ValidationError(
                {"program": "Unknown program, or not one you register participants in."}
            )
    episode_fields = {"track", "status", "admitted_on"} & payload.model_fields_set
    if program is None and episode_fields:
        raise ValidationError(
            {
                "program": "Choose the program: "
                + ", ".join(sorted(episode_fields))
                + " describe the first episode, which belongs to a program."
            }
        )
    track: Track | None = None
    if payload.track is not None:
        track = (
            Track.objects.filter(public_id=payload.track, program__in=programs)
            .select_related("program")
            .first()
        )
        if track is None:
            raise ValidationError({"track": "Unknown track."})
    return program, track


def _organization_for(program: Program | None, programs: QuerySet[Program]) -> Organization:
    if program is not None:
        return program.organization
    organizations = {p.organization for p in programs}
    if len(organizations) != 1:
        raise ValidationError(
            {"program": "Choose a program: you register people in more than one organization."}
        )
    return organizations.pop()


@router.get(
    "/episodes",
    response={200: EpisodePageOut, **error_responses(401, 403, 422)},
    summary="Episodes you may see",
)
def list_episodes(request: HttpRequest, filters: Query[EpisodeQuery]) -> EpisodePageOut:
    """Visible episodes, newest admission first, with their participant. Recorded in the audit
    trail like a participant search."""
    user = acting_user(request)
    episodes = Episode.objects.visible_to(user)
    if filters.program is not None:
        episodes = episodes.filter(program__public_id=filters.program)
    if filters.status is not None:
        episodes = episodes.filter(status=filters.status)
    episodes = episodes.select_related("participant", "program", "track").order_by(
        "-admitted_on", "-created_at", "pk"
    )
    count = episodes.count()
    page = list(episodes[filters.offset : filters.offset + filters.limit])
    record_list(
        user,
        object_type="participants.episode",
        participants=[e.participant for e in page],
        purpose=Purpose.TREAT,
        detail={
            "program": str(filters.program or ""),
            "status": filters.status or "",
            "offset": filters.offset,
            "limit": filters.limit,
            "results": count,
            "via": "api",
        },
    )
    return EpisodePageOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        items=[episode_list_item(e) for e in page],
    )


@router.get(
    "/episodes/{public_id}",
    response={200: EpisodeOut, **error_responses(401, 403, 404)},
    summary="One episode",
)
def get_episode(request: HttpRequest, public_id: str) -> EpisodeOut:
    """Enrollment of one episode; at clinical scope also its discharge reason and care team."""
    user = acting_user(request)
    opened = access_episode(user, public_id, purpose=Purpose.TREAT)
    clinical = opened.clinical
    visible = opened.episode
    care_team = care_team_of(visible) if clinical else []
    return episode_out(visible, clinical=clinical, care_team=care_team)


# --- FHIR R4 EpisodeOfCare (participants/fhir.py) -----------------------------------------

FhirStatusName = Literal["planned", "waitlist", "active", "onhold", "finished", "cancelled"]
FHIR_BASE = "/api/v1/fhir/"
TRELLIS_STATUS = {fhir_code: status for status, fhir_code in fhir.STATUS.items()}


class EpisodeOfCareQuery(PageQuery):
    patient: UUID | None = Field(
        default=None,
        description="The participant's public id. With it, the clinical elements are shown "
        "for episodes you see clinically; without it, none are (as every list).",
    )
    status: FhirStatusName | None = Field(default=None, description="EpisodeOfCare.status.")


def _resources(episodes: list[Episode], clinical_ids: set[int]) -> list[fhir.FhirJson]:
    teams = care_teams_at_close([e for e in episodes if e.pk in clinical_ids])
    return [
        fhir.episode_of_care(
            e,
            changes=list(e.status_changes.all()),
            clinical=e.pk in clinical_ids,
            care_team=teams.get(e.pk, []),
        )
        for e in episodes
    ]


@router.get(
    "/fhir/EpisodeOfCare/{episode_id}",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404)},
    tags=["fhir"],
    summary="One episode as a FHIR EpisodeOfCare",
)
def read_episode_of_care(request: HttpRequest, episode_id: str) -> fhir.FhirJson:
    """FHIR R4 EpisodeOfCare (validated against R4B). careManager, team and the discharge
    reason extension only at clinical scope; at demographic scope `meta.security` is REDACTED."""
    opened = access_episode(acting_user(request), episode_id, purpose=Purpose.TREAT)
    episode = fhir_episodes(episodes_by_pk([opened.episode.pk])).get()
    return _resources([episode], {episode.pk} if opened.clinical else set())[0]


@router.get(
    "/fhir/EpisodeOfCare",
    response={200: fhir.FhirJson, **error_responses(401, 403, 404, 422)},
    tags=["fhir"],
    summary="Search episodes as a FHIR Bundle",
)
def search_episodes_of_care(
    request: HttpRequest, filters: Query[EpisodeOfCareQuery]
) -> fhir.FhirJson:
    """A `searchset` Bundle of EpisodeOfCare, newest admission first, paginated with `limit`
    and `offset`. With `patient` the participant is opened as `GET /participants/{id}` opens
    them (a `view` event, or 404); without it the search is a `list` event."""
    user = acting_user(request)
    episodes: QuerySet[Episode] = Episode.objects.visible_to(user)
    clinical_ids: set[int] = set()
    if filters.patient is not None:
        access = access_participant(user, filters.patient, purpose=Purpose.TREAT)
        episodes = episodes_by_pk([e.pk for e in access.episodes])
        clinical_ids = {e.pk for e in access.episodes if access.is_clinical_for(e)}
    if filters.status is not None:
        episodes = episodes.filter(status=TRELLIS_STATUS[filters.status])
    episodes = fhir_episodes(episodes).order_by("-admitted_on", "-created_at", "pk")
    count = episodes.count()
    page = list(episodes[filters.offset : filters.offset + filters.limit])
    if filters.patient is None:
        record_list(
            user,
            object_type="participants.episode",
            participants=[e.participant for e in page],
            purpose=Purpose.TREAT,
            detail={
                "status": filters.status or "",
                "offset": filters.offset,
                "limit": filters.limit,
                "results": count,
                "via": "fhir",
            },
        )
    return fhir.searchset(
        _resources(page, clinical_ids),
        count,
        self_url=request.build_absolute_uri(),
        base=request.build_absolute_uri(FHIR_BASE),
    )
