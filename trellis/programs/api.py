"""Programs and tracks the caller works in. No participant data here, but still scoped: a
program of another organization is as unknown as a missing one."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from trellis.accounts.api import acting_user
from trellis.lib.api import error_responses
from trellis.lib.ids import lookup_id
from trellis.programs.models import Program, ProgramQuerySet, Track
from trellis.programs.schemas import ProgramOut, TrackOut, program_out, track_out

router = Router(tags=["programs"])


def _programs(request: HttpRequest) -> ProgramQuerySet:
    return Program.objects.for_user(acting_user(request)).select_related("organization", "site")


def _program(request: HttpRequest, public_id: str) -> Program:
    program = _programs(request).filter(public_id=lookup_id(public_id)).first()
    if program is None:
        raise Http404
    return program


@router.get(
    "/programs", response={200: list[ProgramOut], **error_responses(401, 403)}, summary="Programs"
)
def list_programs(request: HttpRequest) -> list[ProgramOut]:
    """Programs you work in (through a program or organization-wide membership)."""
    return [program_out(p) for p in _programs(request).order_by("organization__name", "name")]


@router.get(
    "/programs/{public_id}",
    response={200: ProgramOut, **error_responses(401, 403, 404)},
    summary="One program",
)
def get_program(request: HttpRequest, public_id: str) -> ProgramOut:
    return program_out(_program(request, public_id))


@router.get(
    "/programs/{public_id}/tracks",
    response={200: list[TrackOut], **error_responses(401, 403, 404)},
    summary="Tracks of a program",
)
def list_program_tracks(request: HttpRequest, public_id: str) -> list[TrackOut]:
    program = _program(request, public_id)
    tracks = Track.objects.filter(program=program).select_related("program").order_by("name")
    return [track_out(t) for t in tracks]


@router.get(
    "/tracks/{public_id}",
    response={200: TrackOut, **error_responses(401, 403, 404)},
    summary="One track",
)
def get_track(request: HttpRequest, public_id: str) -> TrackOut:
    track = (
        Track.objects.filter(public_id=lookup_id(public_id))
        .filter(program__in=_programs(request))
        .select_related("program")
        .first()
    )
    if track is None:
        raise Http404
    return track_out(track)
