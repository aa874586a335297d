"""Rosters: who is expected at a series, from when to when (rolling admission)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.participants.models import Episode, EpisodeStatus
from trellis.scheduling import conflicts as conflict_checks
from trellis.scheduling.models import (
    GroupType,
    RosterMembership,
    SessionSeries,
)
from trellis.scheduling.queries import occurrences_between, series_queryset

if TYPE_CHECKING:
    from trellis.accounts.models import User
from trellis.scheduling.actions._shared import (
    _override_detail,
    program_today,
)

# --- rosters ------------------------------------------------------------------------------


def check_add_to_roster(
    actor: User,
    episode: Episode,
    series: SessionSeries,
    start: date,
    end: date | None = None,
    *,
    override_reason: str = "",
) -> RosterMembership:
    """Put an episode on a series' roster from `start` (to `end`), by the series' group type
    (`_admission`): open groups any time, closed groups and cohorts only before they start."""
    errors: dict[str, str] = {}
    if episode.program_id != series.track.program_id:
        errors["series"] = "That session belongs to another program."
    if not episode.is_open:
        errors["episode"] = f"The episode is {episode.get_status_display().lower()}."
    if end is not None and end < start:
        errors["end_date"] = "The end date is before the start date."
    if series.last_date is not None and start > series.last_date:
        errors["start_date"] = "The series has ended by then."
    if not errors:
        start, end = _admission(series, start, end, program_today(series.track.program), errors)
    overlapping = RosterMembership.objects.filter(episode=episode, series=series).overlapping(
        start, end or date.max
    )
    if overlapping.exists():
        errors["start_date"] = "Already on this session's roster for part of that period."
    if errors:
        raise ValidationError(errors)
    found = roster_conflicts(episode, series, start, end)
    conflict_checks.refuse_unless_overridden(found, override_reason)
    return do_add_to_roster(
        actor, episode, series, start, end, detail=_override_detail(found, override_reason)
    )


def _admission(
    series: SessionSeries, start: date, end: date | None, today: date, errors: dict[str, str]
) -> tuple[date, date | None]:
    """The roster period a new member gets, by the series' group type; refusals in `errors`.

    Open groups admit anyone at any time. A closed group admits new members until its first
    session, and nobody joins part-way through. A cohort admits them until its first day, and
    its members are on the roster for the cohort's dates: from its first day (someone added
    earlier starts then) to its last (unless they leave sooner)."""
    opens_until = series.admission_opens_until
    if opens_until is None:
        return start, end
    if series.group_type == GroupType.CLOSED:
        if today > opens_until or start > opens_until:
            errors["start_date"] = (
                f"This is a closed group: new members join before its first session "
                f"({opens_until:%a %Y-%m-%d}). Choose an open group, or the next closed one."
            )
        return start, end
    assert series.cohort_start is not None  # noqa: S101 - a cohort has dates (constraint)
    assert series.cohort_end is not None  # noqa: S101 - a cohort has dates (constraint)
    dates = f"{series.cohort_start:%a %Y-%m-%d} to {series.cohort_end:%a %Y-%m-%d}"
    if today > opens_until or start > opens_until:
        errors["start_date"] = (
            f"This cohort runs {dates}: new members join before it starts. "
            "Add them to the next cohort or an open group."
        )
    elif end is not None and not series.cohort_start <= end <= series.cohort_end:
        errors["end_date"] = f"This cohort runs {dates}: end the roster within those dates."
    return max(start, series.cohort_start), end or series.cohort_end


def roster_conflicts(
    episode: Episode, series: SessionSeries, start: date, end: date | None
) -> list[conflict_checks.Conflict]:
    """Over capacity on the first day, or the person already in an overlapping session."""
    expected = RosterMembership.objects.filter(series=series).active_on(start).count() + 1
    found = conflict_checks.capacity_conflicts(series.capacity, None, expected)
    window_end = start + timedelta(weeks=conflict_checks.CONFLICT_HORIZON_WEEKS)
    if end is not None:
        window_end = min(window_end, end)
    others = series_queryset().filter(
        pk__in=RosterMembership.objects.filter(episode=episode)
        .overlapping(start, window_end)
        .values("series_id")
    )
    other_slots = [s for s in occurrences_between(others, start, window_end) if not s.cancelled]
    mine = [s for s in occurrences_between([series], start, window_end) if not s.cancelled]
    for slot in mine:
        for other in other_slots:
            if other.series.pk != series.pk and (
                other.starts_at < slot.ends_at and slot.starts_at < other.ends_at
            ):
                found.append(
                    conflict_checks.Conflict(
                        "participant",
                        f"Already expected at {other.series.name} on "
                        f"{other.date:%a %Y-%m-%d} at {other.start_time:%H:%M}.",
                    )
                )
                break
        if len(found) > 5:
            break
    return found


@transaction.atomic
def do_add_to_roster(
    actor: User | None,
    episode: Episode,
    series: SessionSeries,
    start: date,
    end: date | None = None,
    *,
    detail: dict[str, Any] | None = None,
) -> RosterMembership:
    membership = RosterMembership.objects.create(
        episode=episode, series=series, start_date=start, end_date=end
    )
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=membership,
        detail={
            "series": str(series.public_id),
            "start": f"{start:%Y-%m-%d}",
            **(detail or {}),
        },
    )
    return membership


@transaction.atomic
def do_end_roster_membership(
    actor: User | None, membership: RosterMembership, end: date
) -> RosterMembership:
    if end < membership.start_date:
        raise ValidationError({"end_date": "The end date is before the start date."})
    membership.end_date = end
    membership.save(update_fields=["end_date"])
    record(
        actor,
        Action.UPDATE,
        participant=membership.episode.participant,
        obj=membership,
        detail={"end": f"{end:%Y-%m-%d}"},
    )
    return membership


@transaction.atomic
def do_end_rosters_at_discharge(actor: User | None, episode: Episode) -> int:
    """End every roster membership of a discharged episode on its discharge date (or drop
    those that would only have started after it). For the discharge workflow to call right
    after `participants.actions.do_discharge`: participants cannot import scheduling."""
    last_day = episode.discharged_on
    if episode.status != EpisodeStatus.DISCHARGED or last_day is None:
        raise ValidationError({"status": "The episode is not discharged."})
    open_ones = RosterMembership.objects.filter(episode=episode).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    )
    never_started = open_ones.filter(start_date__gt=last_day)
    dropped = list(never_started.values_list("public_id", flat=True))
    never_started.delete()
    ended = open_ones.update(end_date=last_day)
    if ended or dropped:
        record(
            actor,
            Action.UPDATE,
            participant=episode.participant,
            obj=episode,
            detail={"rosters_ended": ended, "rosters_dropped": len(dropped)},
        )
    return ended + len(dropped)


@transaction.atomic
def do_join_track_series(
    actor: User | None, episode: Episode, start: date
) -> list[RosterMembership]:
    """Put an episode on every group series of its track from `start` (admission to a track
    means its groups). Series already joined for that date are skipped."""
    if episode.track_id is None:
        return []
    joined = []
    series_list = (
        SessionSeries.objects.filter(track_id=episode.track_id, participant_specific=False)
        .filter(Q(last_date__isnull=True) | Q(last_date__gte=start))
        .select_related("track__program__organization")
    )
    for series in series_list:
        if (
            RosterMembership.objects.filter(episode=episode, series=series)
            .active_on(max(start, series.dtstart))
            .exists()
        ):
            continue
        begins, ends = max(start, series.dtstart), None
        if series.group_type != GroupType.OPEN:
            # Closed groups and cohorts take new members only before they start: someone
            # joining the track later is not put on them (staff may add them to the next one).
            refused: dict[str, str] = {}
            begins, ends = _admission(
                series, begins, None, program_today(series.track.program), refused
            )
            if refused:
                continue
        joined.append(do_add_to_roster(actor, episode, series, begins, ends))
    return joined


@transaction.atomic
def do_move_rosters_to_track(
    actor: User | None, episode: Episode, old_track_id: int | None, effective_on: date
) -> tuple[int, list[RosterMembership]]:
    """A change of track on `effective_on` (the episode already names its new track): the old
    track's roster memberships end the day before (those that would only start on or after
    it are dropped), and the new track's group series start on that date. Attendance stays
    where it was marked: history belongs to the old track's sessions."""
    ended = 0
    if old_track_id is not None:
        old = RosterMembership.objects.filter(
            episode=episode, series__track_id=old_track_id
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=effective_on))
        never_started = old.filter(start_date__gte=effective_on)
        dropped = never_started.count()
        never_started.delete()
        ended = old.update(end_date=effective_on - timedelta(days=1)) + dropped
        if ended:
            record(
                actor,
                Action.UPDATE,
                participant=episode.participant,
                obj=episode,
                detail={"rosters_ended": ended - dropped, "rosters_dropped": dropped},
            )
    return ended, do_join_track_series(actor, episode, effective_on)
