"""Reads for the episode-changes page: the status history with its reasons, the tracks of
the program with their seats taken, and the programs a person may move to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from trellis.participants.models import Episode, EpisodeStatus, EpisodeStatusChange
from trellis.programs.models import Program, Track

# A person on hold keeps their seat: the track is holding it for their return.
SEAT_STATUSES = [EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]


@dataclass(frozen=True)
class TrackSeats:
    track: Track
    taken: int

    @property
    def is_full(self) -> bool:
        return self.taken >= self.track.capacity

    @property
    def label(self) -> str:
        full = " — full" if self.is_full else ""
        return f"{self.track.name}: {self.taken} of {self.track.capacity} seats taken{full}"


def track_seats(program: Program) -> list[TrackSeats]:
    """Each active track of the program with the seats taken (active and on-hold episodes),
    in one query."""
    seat_filter = Q(episodes__status__in=SEAT_STATUSES)
    tracks = (
        Track.objects.filter(program=program, is_active=True)
        .annotate(taken=Count("episodes", filter=seat_filter))
        .order_by("name")
    )
    return [TrackSeats(t, t.taken) for t in tracks]


def status_history(episode: Episode) -> list[EpisodeStatusChange]:
    """The episode's status changes, newest first, with who recorded them."""
    return list(
        EpisodeStatusChange.objects.filter(episode=episode)
        .select_related("recorded_by")
        .order_by("-effective_on", "-recorded_at", "-pk")
    )


def current_hold(episode: Episode) -> EpisodeStatusChange | None:
    """The change that put the episode on hold, while it is on hold."""
    if episode.status != EpisodeStatus.ON_HOLD:
        return None
    return (
        EpisodeStatusChange.objects.filter(episode=episode, status=EpisodeStatus.ON_HOLD)
        .order_by("-effective_on", "-recorded_at", "-pk")
        .first()
    )


def step_programs(episode: Episode) -> list[Program]:
    """The organization's other active programs, for a step up or down."""
    return list(
        Program.objects.filter(organization_id=episode.program.organization_id, is_active=True)
        .exclude(pk=episode.program_id)
        .order_by("name")
    )
