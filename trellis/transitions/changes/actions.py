"""Episode changes: hold and resume (with a reason), change of track (rosters move on the
date), and a step up or down to another program (a discharge as "transferred" and a new
episode, in one transaction). Each is checked, then done atomically with its audit events.

Rosters need no change for a hold: who is expected at a session, counted for hours and
chased for absences follows the status history (`scheduling.queries.expected_at`), so a
person on hold is off all of them from the hold's date and back on from the resumption's."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.accounts.models import User
from trellis.participants.actions import (
    check_change_status,
    check_open_episode,
    do_change_track,
)
from trellis.participants.models import DischargeReason, Episode, EpisodeStatus
from trellis.programs.models import Program, Track
from trellis.scheduling.actions import do_join_track_series, do_move_rosters_to_track
from trellis.transitions.actions import check_discharge_episode
from trellis.transitions.changes.queries import track_seats
from trellis.transitions.changes.requests import do_close_track_requests
from trellis.transitions.models import DischargeSummary

MAX_REASON = 500
# A track change or a step may be planned ahead, not further than this.
CHANGE_HORIZON = timedelta(days=90)


def _reason_error(reason: str, *, required: str = "") -> str | None:
    if required and not reason.strip():
        return required
    if len(reason) > MAX_REASON:
        return f"Keep it under {MAX_REASON} characters."
    return None


def check_hold(
    actor: User,
    episode: Episode,
    *,
    starts_on: date,
    reason: str,
    expected_return_on: date | None = None,
) -> Episode:
    """Put an active episode on hold from `starts_on` (today or earlier), with a reason."""
    error = _reason_error(reason, required="Say why the episode is on hold.")
    if error:
        raise ValidationError({"reason": error})
    if episode.status != EpisodeStatus.ACTIVE:
        raise ValidationError(
            {"status": f"Only an active episode goes on hold (this one is "
             f"{episode.get_status_display().lower()})."}
        )  # fmt: skip
    return check_change_status(
        actor,
        episode,
        status=EpisodeStatus.ON_HOLD,
        effective_on=starts_on,
        reason=reason,
        expected_return_on=expected_return_on,
    )


def check_resume(actor: User, episode: Episode, *, resumes_on: date, note: str = "") -> Episode:
    """Bring an episode on hold back from `resumes_on`: on rosters, hours and alerts again."""
    error = _reason_error(note)
    if error:
        raise ValidationError({"note": error})
    if episode.status != EpisodeStatus.ON_HOLD:
        raise ValidationError({"status": "The episode is not on hold."})
    return check_change_status(
        actor, episode, status=EpisodeStatus.ACTIVE, effective_on=resumes_on, reason=note
    )


def _check_date(episode: Episode, on: date, field: str, errors: dict[str, str]) -> None:
    today = episode.program.organization.today()
    if on < today:
        errors[field] = (
            "The change takes effect today or later: past sessions stay as they were recorded."
        )
    elif on > today + CHANGE_HORIZON:
        errors[field] = "That is more than 90 days away: check the date."


def check_change_track(
    actor: User,
    episode: Episode,
    track: Track | None,
    *,
    effective_on: date,
    override_reason: str = "",
) -> Episode:
    """Move an admitted episode to another track of its program from `effective_on`: the old
    track's rosters end the day before, the new track's groups start that day. A full track
    (active and on-hold people fill its seats) is refused unless a reason is given."""
    errors: dict[str, str] = {}
    if episode.status not in (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD):
        errors["status"] = "Only an admitted episode (active or on hold) changes track here."
    if track is None:
        errors["track"] = "Choose the new track."
    elif track.program_id != episode.program_id or not track.is_active:
        errors["track"] = "Choose an active track of this program."
    elif track.pk == episode.track_id:
        errors["track"] = f"The episode is already in the {track.name} track."
    _check_date(episode, effective_on, "effective_on", errors)
    error = _reason_error(override_reason)
    if error:
        errors["override_reason"] = error
    if not errors and track is not None:
        seats = next((s for s in track_seats(episode.program) if s.track.pk == track.pk), None)
        if seats is not None and seats.is_full and not override_reason.strip():
            errors["override_reason"] = (
                f"The {track.name} track is full ({seats.taken} of {track.capacity} seats). "
                "Give a reason to add this person anyway."
            )
    if errors:
        raise ValidationError(errors)
    assert track is not None  # noqa: S101  # checked above
    return do_move_to_track(
        actor, episode, track, effective_on=effective_on, override_reason=override_reason.strip()
    )


@transaction.atomic
def do_move_to_track(
    actor: User | None,
    episode: Episode,
    track: Track,
    *,
    effective_on: date,
    override_reason: str = "",
) -> Episode:
    old_track_id = episode.track_id
    do_change_track(
        actor, episode, track, effective_on=effective_on, override_reason=override_reason
    )
    do_move_rosters_to_track(actor, episode, old_track_id, effective_on)
    do_close_track_requests(actor, episode)
    return episode


def check_step(
    actor: User,
    episode: Episode,
    program: Program | None,
    *,
    on: date | None,
    status: str,
    track: Track | None = None,
) -> tuple[DischargeSummary, Episode]:
    """Step up or down: discharge the episode as "transferred" on `on` (with its draft
    summary, rosters and open items, as any discharge) and open an episode in `program`
    (planned, or active from the same date), all or nothing. Open worklist items must be
    settled on the discharge page first: a step is not where a task is silently dropped."""
    errors: dict[str, str] = {}
    if program is None:
        errors["program"] = "Choose the program the person moves to."
    elif program.organization_id != episode.program.organization_id or not program.is_active:
        errors["program"] = "Choose an active program of this organization."
    elif program.pk == episode.program_id:
        errors["program"] = "That is the current program: change the track instead."
    if status not in (EpisodeStatus.PLANNED, EpisodeStatus.ACTIVE):
        errors["step_status"] = "The new episode is planned or active."
    if track is not None and program is not None and track.program_id != program.pk:
        errors["step_track"] = "That track belongs to another program."
    if on is None:
        errors["step_on"] = "Enter the date of the move."
    elif on > episode.program.organization.today():
        errors["step_on"] = "The move is dated today or earlier (it is a discharge)."
    if errors:
        raise ValidationError(errors)
    assert program is not None  # noqa: S101  # checked above
    assert on is not None  # noqa: S101  # checked above
    return _do_step(actor, episode, program, on=on, status=status, track=track)


@transaction.atomic
def _do_step(
    actor: User,
    episode: Episode,
    program: Program,
    *,
    on: date,
    status: str,
    track: Track | None,
) -> tuple[DischargeSummary, Episode]:
    try:
        summary = check_discharge_episode(
            actor, episode, discharged_on=on, reason=DischargeReason.TRANSFERRED, decisions=[]
        )
    except ValidationError as error:
        items = [k for k in error.message_dict if k.startswith("item_")]
        if items:
            raise ValidationError(
                {"program": f"This episode has {len(items)} open worklist item(s): settle them "
                 "on the discharge page (close or hand on), then move the person."}
            ) from error  # fmt: skip
        raise ValidationError(
            {("step_on" if k == "discharged_on" else k): v for k, v in error.message_dict.items()}
        ) from error
    new_episode = check_open_episode(
        actor,
        episode.participant,
        program,
        track=track,
        status=status,
        admitted_on=on if status == EpisodeStatus.ACTIVE else None,
    )
    if status == EpisodeStatus.ACTIVE and track is not None:
        do_join_track_series(actor, new_episode, max(on, program.organization.today()))
    return summary, new_episode
