"""Reads that span participants, episodes, care teams and programs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from trellis.participants.models import (
    OPEN_STATUSES,
    CareTeamMember,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    Invitation,
    Participant,
)
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass(frozen=True)
class ParticipantFilters:
    text: str = ""
    program: str = ""  # program public id
    track: str = ""  # track public id
    status: str = ""

    def audit_detail(self) -> dict[str, str]:
        """The filters as the audit trail keeps them: who is in care is itself health
        information, so a search is recorded with what was asked."""
        return {
            "q": self.text,
            "program": self.program,
            "track": self.track,
            "status": self.status,
        }


def participant_list(user: User, filters: ParticipantFilters) -> QuerySet[Participant]:
    """Visible participants matching the filters, each with the episodes whose status the user
    may know prefetched (as `visible_episodes`, newest first) so the page runs a fixed number
    of queries. The status of an episode in the user's programs shows even when the episode
    itself is not theirs to open (intake after the care team is set): every role that sees a
    person sees the same current status; filters by status and program match it too."""
    visible_episodes = Episode.objects.status_known_to(user).select_related("program", "track")
    participants = Participant.objects.visible_to(user)
    if filters.text:
        participants = participants.search(filters.text)
    episode_scope = visible_episodes
    if filters.program:
        episode_scope = episode_scope.filter(program__public_id=filters.program)
    if filters.track:
        episode_scope = episode_scope.filter(track__public_id=filters.track)
    if filters.status:
        episode_scope = episode_scope.filter(status=filters.status)
    if filters.program or filters.track or filters.status:
        participants = participants.filter(pk__in=episode_scope.values("participant_id"))
    return participants.prefetch_related(
        Prefetch(
            "episodes",
            queryset=visible_episodes.order_by("-admitted_on", "-created_at"),
            to_attr="visible_episodes",
        )
    ).order_by("family_name", "given_name", "pk")


def current_episode_of(participant: Participant) -> Episode | None:
    """The open episode if any, else the latest one, from prefetched `visible_episodes`."""
    episodes: list[Episode] = getattr(participant, "visible_episodes", [])
    open_episodes = [e for e in episodes if e.status in OPEN_STATUSES]
    candidates = open_episodes or episodes
    return candidates[0] if candidates else None


def care_team_of(episode: Episode) -> list[CareTeamMember]:
    today = episode.program.organization.today()
    return list(
        CareTeamMember.objects.filter(episode=episode)
        .active_on(today)
        .select_related("user")
        .prefetch_related("user__credentials")
        .order_by("-is_primary", "role")
    )


@dataclass(frozen=True)
class TodaySummary:
    active: int
    waitlist: int
    planned: int
    my_caseload: int
    programs: list[Program]


def today_summary(user: User) -> TodaySummary:
    episodes = Episode.objects.visible_to(user)
    counts = dict.fromkeys(EpisodeStatus.values, 0)
    for row in episodes.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    # The user's own care-team rows (a caseload: tens), each judged on its organization's date.
    memberships = CareTeamMember.objects.filter(
        user=user, episode__status=EpisodeStatus.ACTIVE
    ).select_related("episode__program__organization")
    caseload = len(
        {
            m.episode.participant_id
            for m in memberships
            if m.start_date <= m.episode.program.organization.today()
            and (m.end_date is None or m.end_date >= m.episode.program.organization.today())
        }
    )
    return TodaySummary(
        active=counts[EpisodeStatus.ACTIVE],
        waitlist=counts[EpisodeStatus.WAITLIST],
        planned=counts[EpisodeStatus.PLANNED],
        my_caseload=caseload,
        programs=list(
            Program.objects.for_user(user).filter(is_active=True).select_related("organization")
        ),
    )


def care_teams_at_close(episodes: list[Episode]) -> dict[int, list[CareTeamMember]]:
    """Each episode's care team, in one query: an open episode's today, a closed one's on its
    last day (the team ends on the discharge date). The primary member comes first. This is
    whom an EpisodeOfCare names as careManager and team."""
    rows = (
        CareTeamMember.objects.filter(episode__in=[e.pk for e in episodes])
        .select_related("user")
        .order_by("-is_primary", "role", "start_date", "pk")
    )
    days = {}
    for episode in episodes:
        day = episode.program.organization.today()
        if not episode.is_open and episode.discharged_on is not None:
            day = min(day, episode.discharged_on)
        days[episode.pk] = day
    teams: dict[int, list[CareTeamMember]] = {e.pk: [] for e in episodes}
    for member in rows:
        day = days[member.episode_id]
        if member.start_date <= day and (member.end_date is None or member.end_date >= day):
            teams[member.episode_id].append(member)
    return teams


def episodes_by_pk(pks: list[int]) -> QuerySet[Episode]:
    """Episodes already opened through the access gate, read again for a fuller shape."""
    return Episode.objects.filter(pk__in=pks)


def fhir_episodes(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """What an EpisodeOfCare needs, for any number of episodes in a fixed number of queries."""
    return episodes.select_related(
        "participant", "program__organization", "track"
    ).prefetch_related(Prefetch("status_changes", queryset=EpisodeStatusChange.objects.all()))


# -- portal accounts (docs/portal.md, "Accounts") -----------------------------------------------


def has_active_account(participant: Participant) -> bool:
    """The participant has a sign-in that works (an active user)."""
    return (
        participant.user_id is not None
        and Participant.objects.filter(pk=participant.pk, user__is_active=True).exists()
    )


def usable_invitation(token: str, now: datetime) -> Invitation | None:
    """The invitation a link opens at `now`, if it works: known (by the digest of its token:
    the token itself is never stored), open, not expired, and its participant without a
    working sign-in."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.filter(token_digest=Invitation.digest_of(token))
        .select_related("participant", "participant__organization", "participant__user")
        .select_related("created_by")
        .first()
    )
    if invitation is None or not invitation.is_usable(now):
        return None
    if has_active_account(invitation.participant):
        return None
    return invitation


@dataclass(frozen=True)
class PortalAccount:
    """What the chart's Portal account tab shows: the sign-in and the latest invitation.

    status: "active" (a working sign-in and an open episode), "alumni" (a working sign-in, no
    open episode: discharged), "deactivated" (an inactive sign-in),
    "invited" (a link that works until `invitation.expires_at`), "expired" (the latest link
    ran out unused), "revoked" (ended by staff or at discharge), "none"."""

    status: str
    user: User | None
    invitation: Invitation | None
    history: list[Invitation]


def portal_account(participant: Participant, now: datetime) -> PortalAccount:
    """The participant's account status (at most four queries)."""
    user = participant.user if participant.user_id is not None else None
    history = list(
        Invitation.objects.filter(participant=participant).select_related(
            "created_by", "revoked_by"
        )[:10]
    )
    latest = history[0] if history else None
    if user is not None and user.is_active:
        status = "active" if participant.episodes.open().exists() else "alumni"
    elif latest is not None and latest.is_usable(now):
        status = "invited"
    elif latest is not None and latest.is_open:
        status = "expired"
    elif user is not None:
        status = "deactivated"
    elif latest is not None and latest.revoked_at is not None:
        status = "revoked"
    else:
        status = "none"
    return PortalAccount(status=status, user=user, invitation=latest, history=history)


def crisis_phone_for(participant: Participant) -> str:
    """The after-hours line of the program of the participant's open episode ("" if none)."""
    phones = (
        Episode.objects.filter(participant=participant, status__in=OPEN_STATUSES)
        .exclude(program__crisis_phone="")
        .order_by("-admitted_on", "-created_at")
        .values_list("program__crisis_phone", flat=True)
    )
    return phones.first() or ""
