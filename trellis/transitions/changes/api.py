"""The participant's track-change request through the API, under
/api/v1/transitions/me/track-request (docs/portal.md, "Session actions" and "API";
docs/api.md).

Any signed-in user may call these, but they reach only the caller's own request, through
the page's access function, queries and actions (`mine.py`): `access_own_record`,
`requesting_episode`, `requestable_tracks`, `latest_request`, `is_pending`,
`check_request_track_change`, `check_withdraw_track_request`. A caller who is not a
participant gets the audited 404. Refused input is a 422 naming the field; nothing is
stored. The request only asks: the team decides, on the episode-changes page.

- GET  /me/track-request            the tracks I could move to and my latest request
- POST /me/track-request            ask to move (201); refused while one is with the team
- POST /me/track-request/withdraw   take back the request still with the team
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.audit.models import Action
from trellis.lib.api import error_responses
from trellis.lib.ids import lookup_id
from trellis.privacy.access import access_own_record
from trellis.programs.models import Track
from trellis.transitions.changes.requests import (
    check_request_track_change,
    check_withdraw_track_request,
    is_pending,
    latest_request,
    requestable_tracks,
    requesting_episode,
)
from trellis.transitions.models import TrackChangeRequest

router = Router(auth=[ApiTokenAuth(), SessionAuth()], tags=["me"])


class RequestableTrackOut(Schema):
    public_id: UUID
    name: str
    hours: str = Field(description="The track's hours or schedule, as the program wrote it")
    delivery: str


class MyTrackRequestOut(Schema):
    public_id: UUID
    track: RequestableTrackOut
    starting_from: date | None = Field(description="null: as soon as possible")
    reason: str = Field(description="My reason (only the team sees it)")
    status: str = Field(description='"open", "withdrawn", "done" or "closed"')
    pending: bool = Field(description="Still with the team (open, its task not completed)")
    sent_at: datetime
    closed_at: datetime | None


class MyTrackOut(Schema):
    can_ask: bool = Field(description="I have an episode to ask about (planned, active, on hold)")
    program: str | None
    current_track: str | None
    tracks: list[RequestableTrackOut] = Field(description="The tracks I could ask to move to")
    request: MyTrackRequestOut | None = Field(description="My open request, else my latest")


class TrackRequestIn(Schema):
    track: str = Field(description="The public_id of one of `tracks`")
    starting_from: date | None = Field(default=None, description="From when (today to 90 days)")
    reason: str = Field(default="", max_length=2000, description="Why (optional, 500 at most)")


def _track(track: Track) -> RequestableTrackOut:
    return RequestableTrackOut(
        public_id=track.public_id,
        name=track.name,
        hours=track.hours_summary or track.schedule_summary,
        delivery=str(track.get_delivery_display()),
    )


def _request(request: TrackChangeRequest) -> MyTrackRequestOut:
    return MyTrackRequestOut(
        public_id=request.public_id,
        track=_track(request.track),
        starting_from=request.starting_from,
        reason=request.reason,
        status=request.status,
        pending=is_pending(request),
        sent_at=request.created_at,
        closed_at=request.closed_at,
    )


@router.get(
    "/me/track-request",
    response={200: MyTrackOut, **error_responses(401, 404)},
    summary="Tracks I could move to, and my request",
)
def my_track(request: HttpRequest) -> MyTrackOut:
    access = access_own_record(acting_user(request))
    episode = requesting_episode(access.episodes)
    if episode is None:
        return MyTrackOut(can_ask=False, program=None, current_track=None, tracks=[], request=None)
    latest = latest_request(episode)
    return MyTrackOut(
        can_ask=True,
        program=episode.program.name,
        current_track=episode.track.name if episode.track is not None else None,
        tracks=[_track(t) for t in requestable_tracks(episode)],
        request=_request(latest) if latest is not None else None,
    )


@router.post(
    "/me/track-request",
    response={201: MyTrackRequestOut, **error_responses(401, 404, 422)},
    summary="Ask to move to another track",
)
def request_track(request: HttpRequest, payload: TrackRequestIn) -> Status[MyTrackRequestOut]:
    """Send the request to the team (a task for the primary clinician). Refused (422) while
    an earlier request is still with the team: withdraw that one first."""
    user = acting_user(request)
    access = access_own_record(user, action=Action.UPDATE)
    episode = requesting_episode(access.episodes)
    track = Track.objects.filter(public_id=lookup_id(payload.track)).first()
    sent = check_request_track_change(
        user,
        episode,
        track,
        starting_from=payload.starting_from,
        reason=payload.reason,
    )
    return Status(201, _request(sent))


@router.post(
    "/me/track-request/withdraw",
    response={200: MyTrackRequestOut, **error_responses(401, 404, 422)},
    summary="Withdraw my track request",
)
def withdraw_track_request(request: HttpRequest) -> MyTrackRequestOut:
    """The request still with the team is withdrawn and its task closes; I stay on my
    track. Refused (422) when no request is with the team."""
    user = acting_user(request)
    access = access_own_record(user, action=Action.UPDATE)
    return _request(check_withdraw_track_request(user, requesting_episode(access.episodes)))
