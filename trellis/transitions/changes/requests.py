"""A participant's request to change track, from the portal (docs/portal.md, "Session
actions"): the request, its worklist task for the care team, withdrawing it, and closing it
when the team moves the person (`do_move_to_track`) or completes the task.

The request states what the participant wants (a track of their own program, from a day);
the decision stays with the team, on the episode-changes page: a request never moves anyone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import Track
from trellis.transitions.models import TrackChangeRequest, TrackRequestStatus
from trellis.worklist.actions import do_complete_task, do_raise_alert
from trellis.worklist.models import AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User

REASON_MAX = 500
SOURCE_PREFIX = "transitions.track_request"
# Episodes whose person may ask: admitted (or on hold), or planned and waiting to start.
REQUESTING_STATUSES = (EpisodeStatus.PLANNED, EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD)


def requesting_episode(episodes: list[Episode]) -> Episode | None:
    """The episode a participant's request is about: their planned, active or on-hold one
    (the first by program name, for the rare person in two programs)."""
    candidates = [e for e in episodes if e.status in REQUESTING_STATUSES]
    return min(candidates, key=lambda e: (e.program.name, e.pk), default=None)


def latest_request(episode: Episode) -> TrackChangeRequest | None:
    """The episode's open request if there is one, else its most recent (for both pages),
    with its track and task. The open one first: it is the one that matters whatever the
    clocks that stamped the others said."""
    requests = TrackChangeRequest.objects.filter(episode=episode).select_related(
        "track", "alert", "alert__resolved_by"
    )
    return (
        requests.filter(status=TrackRequestStatus.OPEN).first()
        or requests.order_by("-created_at", "-pk").first()
    )


def requestable_tracks(episode: Episode) -> QuerySet[Track]:
    """The tracks of the episode's program the participant may ask to move to: the active
    ones other than their own, by name (the page's choices and the API's list)."""
    return (
        Track.objects.filter(program=episode.program, is_active=True)
        .exclude(pk=episode.track_id or 0)
        .order_by("name")
    )


def is_pending(request: TrackChangeRequest | None) -> bool:
    """Still with the team: open, and its task not completed."""
    return (
        request is not None
        and request.status == TrackRequestStatus.OPEN
        and (request.alert is None or request.alert.is_open)
    )


def check_request_track_change(
    actor: User,
    episode: Episode | None,
    track: Track | None,
    *,
    starting_from: date | None,
    reason: str,
) -> TrackChangeRequest:
    """Validate the participant's request (refused, nothing stored, with the field's
    message), then send it to the team. `episode` is `requesting_episode`'s: None when the
    person has no episode to ask about."""
    if episode is None or episode.status not in REQUESTING_STATUSES:
        raise ValidationError(
            {"__all__": _("Your time in the program has ended: there is no track to change.")}
        )
    errors: dict[str, str] = {}
    today = episode.program.organization.today()
    reason = reason.strip()
    if track is None:
        errors["track"] = _("Choose the track you would like to move to.")
    elif track.program_id != episode.program_id or not track.is_active:
        errors["track"] = _("Choose one of your program's tracks.")
    elif track.pk == episode.track_id:
        errors["track"] = _("You are on that track already: choose another one.")
    if starting_from is not None and starting_from < today:
        errors["starting_from"] = _("Choose today or a later day.")
    elif starting_from is not None and (starting_from - today).days > 90:
        errors["starting_from"] = _("Choose a day in the next three months.")
    if len(reason) > REASON_MAX:
        errors["reason"] = _("Keep it under %(n)s characters.") % {"n": REASON_MAX}
    if errors:
        raise ValidationError(errors)
    assert track is not None  # noqa: S101  # checked above
    return do_request_track_change(
        actor, episode, track, starting_from=starting_from, reason=reason
    )


@transaction.atomic
def do_request_track_change(
    actor: User,
    episode: Episode,
    track: Track,
    *,
    starting_from: date | None,
    reason: str,
) -> TrackChangeRequest:
    """Store the request and raise its task for the episode's primary clinician (the
    program's directors when there is none). A request still with the team is refused: the
    participant withdraws it first. One whose task the team completed is closed here, so
    the new one stands alone. Audited without the reason's text."""
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    existing = latest_request(episode)
    if is_pending(existing):
        assert existing is not None  # noqa: S101  # is_pending
        raise ValidationError(
            {
                "__all__": _(
                    "You asked on %(day)s to move to the %(track)s track and your team has "
                    "it. Withdraw that request first to ask for another track."
                )
                % {
                    "day": date_format(
                        timezone.localtime(existing.created_at, episode.program.tz).date()
                    ),
                    "track": existing.track.name,
                }
            }
        )
    if existing is not None and existing.status == TrackRequestStatus.OPEN:
        resolved = existing.alert.resolved_at if existing.alert is not None else None
        _close(existing, TrackRequestStatus.CLOSED, resolved)
    request = TrackChangeRequest.objects.create(
        episode=episode,
        track=track,
        starting_from=starting_from,
        reason=reason,
        created_by=actor,
    )
    when = (
        f"from {starting_from.isoformat()}" if starting_from is not None else "as soon as possible"
    )
    request.alert = do_raise_alert(
        actor,
        participant=episode.participant,
        episode=episode,
        kind=AlertKind.TASK,
        priority=Priority.NORMAL,
        title=f"Asks to move to the {track.name} track",
        detail=(
            f"Sent from the portal: the {track.name} track, {when}. Their reason, if they gave "
            "one, is on the episode-changes page. Talk it through with them, then change the "
            "track there (this task closes) or complete this task."
        ),
        source=f"{SOURCE_PREFIX}:{request.public_id}",
        dedupe_key=f"{SOURCE_PREFIX}:{request.public_id}",
        created_by=actor,
    )
    request.save(update_fields=["alert"])
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=request,
        purpose=Purpose.PATRQT,
        detail={
            "track": str(track.public_id),
            "starting_from": starting_from.isoformat() if starting_from else None,
        },
    )
    return request


def _close(request: TrackChangeRequest, status: str, at: datetime | None = None) -> None:
    request.status = status
    request.closed_at = at or timezone.now()
    request.save(update_fields=["status", "closed_at"])


@transaction.atomic
def do_withdraw_track_request(actor: User, request: TrackChangeRequest) -> TrackChangeRequest:
    """The participant takes the request back: it is withdrawn and its task closes.
    Withdrawing twice changes nothing."""
    locked = TrackChangeRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != TrackRequestStatus.OPEN:
        return locked
    _close(locked, TrackRequestStatus.WITHDRAWN)
    if locked.alert is not None:
        do_complete_task(None, locked.alert, note="The participant withdrew the request.")
    record(
        actor,
        Action.UPDATE,
        participant=locked.episode.participant,
        obj=locked,
        purpose=Purpose.PATRQT,
        detail={"status": TrackRequestStatus.WITHDRAWN},
    )
    return locked


def check_withdraw_track_request(actor: User, episode: Episode | None) -> TrackChangeRequest:
    """Withdraw the episode's request still with the team; refused when there is none."""
    latest = latest_request(episode) if episode is not None else None
    if latest is None or not is_pending(latest):
        raise ValidationError(_("There is no request with your team to withdraw."))
    return do_withdraw_track_request(actor, latest)


def do_close_track_requests(actor: User | None, episode: Episode) -> int:
    """The team changed the episode's track: its open request is done and its task closes.
    Called inside `do_move_to_track`'s transaction."""
    closed = 0
    for request in TrackChangeRequest.objects.select_for_update().filter(
        episode=episode, status=TrackRequestStatus.OPEN
    ):
        _close(request, TrackRequestStatus.DONE)
        if request.alert_id is not None:
            alert = request.alert
            assert alert is not None  # noqa: S101  # alert_id is set
            do_complete_task(actor, alert, note="The track was changed on the episode.")
        record(
            actor,
            Action.UPDATE,
            participant=episode.participant,
            obj=request,
            purpose=Purpose.TREAT,
            detail={"status": TrackRequestStatus.DONE},
        )
        closed += 1
    return closed
