"""Reads of intake for pages and actions, in a fixed number of queries (never writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from trellis.intake.forecast import expected_starts
from trellis.intake.models import (
    WAITING_STATUSES,
    AdmissionSettings,
    ConsentDocument,
    ConsentSignature,
    WaitlistEntry,
    WaitlistEvent,
    WaitlistEventKind,
)
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import ClinicianKind, Membership, Program, Role, Track
from trellis.scheduling.models import RosterMembership, SessionSeries
from trellis.scheduling.queries import Slot, occurrences_between, series_queryset

if TYPE_CHECKING:
    from trellis.accounts.models import User

# --- admission ------------------------------------------------------------------------------


def admission_settings(program: Program) -> AdmissionSettings:
    """The program's admission settings, or the defaults (unsaved) when it has none."""
    found = AdmissionSettings.objects.filter(program=program).first()
    return found or AdmissionSettings(program=program)


def active_consents(program: Program) -> list[ConsentDocument]:
    return list(
        ConsentDocument.objects.filter(program=program, is_active=True).order_by(
            "may_follow", "title"
        )
    )


def required_consents(program: Program) -> list[ConsentDocument]:
    return [d for d in active_consents(program) if d.required]


def consent_documents(program: Program) -> list[ConsentDocument]:
    """Every document and version of the program, current versions first."""
    return list(
        ConsentDocument.objects.filter(program=program).order_by("-is_active", "title", "-version")
    )


@dataclass(frozen=True)
class ConsentLine:
    document: ConsentDocument
    signature: ConsentSignature | None


def episode_consents(episode: Episode | None, program: Program) -> list[ConsentLine]:
    """The program's current documents with the episode's signature of that version (or of
    an older one, when the program has revised the form since: the person signed that)."""
    signatures: dict[str, ConsentSignature] = {}
    if episode is not None:
        for signature in ConsentSignature.objects.filter(episode=episode).select_related(
            "document", "witnessed_by"
        ):
            kept = signatures.get(signature.document.key)
            if kept is None or signature.document.version > kept.document.version:
                signatures[signature.document.key] = signature
    return [ConsentLine(d, signatures.get(d.key)) for d in active_consents(program)]


def seats_taken(track: Track, *, exclude: Episode | None = None) -> int:
    """People holding a seat on the track: active and on hold."""
    query = Episode.objects.filter(
        track=track, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]
    )
    if exclude is not None:
        query = query.exclude(pk=exclude.pk)
    return query.count()


def track_admission_series(track: Track, start: date) -> list[SessionSeries]:
    """The track's group series that run on or after `start` (not participant-specific)."""
    return list(
        series_queryset()
        .filter(track=track, participant_specific=False)
        .overlapping(start, date.max)
        .order_by("start_time", "name")
    )


# --- waitlist -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitlistRow:
    entry: WaitlistEntry
    position: int
    expected_start: date | None


def waiting_entries(track: Track) -> QuerySet[WaitlistEntry]:
    return (
        WaitlistEntry.objects.filter(track=track, status__in=WAITING_STATUSES)
        .select_related("inquiry", "episode__participant")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=WaitlistEvent.objects.filter(kind=WaitlistEventKind.MOVED).select_related(
                    "by"
                ),
                to_attr="moves",
            )
        )
        .order_by("rank", "waitlisted_at", "pk")
    )


def waitlist_rows(track: Track, today: date) -> list[WaitlistRow]:
    """The track's waitlist in order with each person's expected start (three queries)."""
    entries = list(waiting_entries(track))
    occupied = list(
        Episode.objects.filter(
            track=track, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]
        ).values_list("planned_discharge_on", flat=True)
    )
    starts = expected_starts(
        capacity=track.capacity,
        occupied=occupied,
        waiting=len(entries),
        weekdays=set(track.weekdays or []),
        today=today,
    )
    return [
        WaitlistRow(entry, position, start)
        for position, (entry, start) in enumerate(zip(entries, starts, strict=True), start=1)
    ]


def program_waitlists(program: Program) -> list[tuple[Track, int]]:
    """Each active track of the program with how many wait for it."""
    tracks = list(program.tracks.filter(is_active=True).order_by("name"))
    counts: dict[int, int] = {}
    for track_id in WaitlistEntry.objects.filter(
        track__in=tracks, status__in=WAITING_STATUSES
    ).values_list("track_id", flat=True):
        counts[track_id] = counts.get(track_id, 0) + 1
    return [(t, counts.get(t.pk, 0)) for t in tracks]


def waiting_everywhere() -> QuerySet[WaitlistEntry]:
    """Every waiting entry, for the weekly message sweep (which decides per organization)."""
    return (
        WaitlistEntry.objects.filter(status__in=WAITING_STATUSES)
        .select_related("inquiry", "track__program__organization")
        .order_by("pk")
    )


def care_team_candidates(program: Program) -> list[tuple[User, str]]:
    """Clinicians and directors of the program (or the whole organization), by name, with
    their discipline (a director without one joins as a counselor by default)."""
    from trellis.accounts.models import User

    members = (
        Membership.objects.active()
        .filter(organization_id=program.organization_id)
        .filter(role__in=[Role.CLINICIAN, Role.PROGRAM_DIRECTOR])
        .filter(Q(program=program) | Q(program__isnull=True))
        .values_list("user_id", "clinician_kind")
    )
    kinds: dict[int, str] = {}
    for user_id, kind in members:
        kinds[user_id] = kinds.get(user_id) or kind
    users = User.objects.filter(pk__in=kinds, is_active=True).order_by("last_name", "first_name")
    return [(u, kinds[u.pk] or ClinicianKind.COUNSELOR) for u in users]


def first_session(episode: Episode) -> Slot | None:
    """The first session on the episode's rosters on or after its admission that has not
    started yet (admitted at 7 pm, tonight's 6 pm group is not their first): the summary
    after admission."""
    if episode.admitted_on is None:
        return None
    start = episode.admitted_on
    series_ids = RosterMembership.objects.filter(episode=episode).values("series_id")
    series = list(series_queryset().filter(pk__in=series_ids))
    slots = occurrences_between(series, start, start + timedelta(weeks=8))
    now = timezone.now()
    return next((s for s in slots if not s.cancelled and s.starts_at > now), None)
