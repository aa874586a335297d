"""Who belongs to which board, and who moderates which program (docs/portal.md, "Peer space").

Membership is derived from episodes every time, never stored:
- a track's board: participants with an admitted episode (active or on hold) in the program,
  currently on that track. Planned and waitlisted people have not met the group yet.
- a program's alumni board: participants with a discharged episode in the program and no open
  one there (docs/portal.md, "The end of care: alumni"). Closed-before-admission alone is not
  enough: they were never in the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from trellis.participants.models import Episode, EpisodeStatus
from trellis.peers.models import PeerSettings
from trellis.programs.models import Membership, Program, Role, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant

MEMBER_STATUSES = (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD)
OPEN_STATUSES = (
    EpisodeStatus.PLANNED,
    EpisodeStatus.WAITLIST,
    EpisodeStatus.ACTIVE,
    EpisodeStatus.ON_HOLD,
)


@dataclass(frozen=True)
class Board:
    program: Program
    track: Track | None  # None: the program's alumni board
    episode: Episode | None  # the member's episode that makes them a member (alumni: None)

    @property
    def is_alumni(self) -> bool:
        return self.track is None

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.program.pk, self.track.pk if self.track is not None else None)


def boards_of(participant: Participant) -> list[Board]:
    """The boards `participant` belongs to now, track boards first, in one query."""
    episodes = list(
        Episode.objects.filter(participant=participant).select_related(
            "program__organization", "track"
        )
    )
    open_programs = {e.program_id for e in episodes if e.status in OPEN_STATUSES}
    boards = [
        Board(program=e.program, track=e.track, episode=e)
        for e in episodes
        if e.status in MEMBER_STATUSES and e.track is not None
    ]
    alumni_seen: set[int] = set()
    for e in episodes:
        if (
            e.status == EpisodeStatus.DISCHARGED
            and e.program_id not in open_programs
            and e.program_id not in alumni_seen
        ):
            alumni_seen.add(e.program_id)
            boards.append(Board(program=e.program, track=None, episode=None))
    return boards


def board_for(participant: Participant, program_pk: int, track_pk: int | None) -> Board | None:
    return next((b for b in boards_of(participant) if b.key == (program_pk, track_pk)), None)


def premoderated(program: Program) -> bool:
    return PeerSettings.objects.filter(program=program, premoderation=True).exists()


def _directs(program: Program) -> Q:
    return Q(role=Role.PROGRAM_DIRECTOR) & (
        Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
    )


def moderated_program_ids(user: User) -> set[int]:
    """Programs whose boards `user` moderates: those they direct (or every program of an
    organization they direct), and those that name them as moderators while they are staff of
    the program (or of its whole organization). Two queries."""
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships = list(Membership.objects.active().filter(user=user))
    directed_orgs = {
        m.organization_id
        for m in memberships
        if m.role == Role.PROGRAM_DIRECTOR and m.program_id is None
    }
    directed = {
        m.program_id for m in memberships if m.role == Role.PROGRAM_DIRECTOR and m.program_id
    }
    staff_orgs = {m.organization_id for m in memberships if m.program_id is None}
    staff_programs = {m.program_id for m in memberships if m.program_id}
    programs = Program.objects.filter(
        Q(organization_id__in=directed_orgs)
        | Q(pk__in=directed)
        | (
            Q(peer_settings__moderators=user)
            & (Q(organization_id__in=staff_orgs) | Q(pk__in=staff_programs))
        )
    )
    return set(programs.values_list("pk", flat=True))


def moderates_anywhere(user: User, *, directs: bool) -> bool:
    """For the staff menu: `directs` (the caller's grants know it) answers at once; others
    are named moderators of some program they are staff of (one query when named nowhere)."""
    if directs:
        return True
    if not PeerSettings.moderators.through.objects.filter(user_id=user.pk).exists():
        return False
    return bool(moderated_program_ids(user))


def moderators_of(program: Program) -> list[User]:
    """The program's moderators, directors first: who hears of a post that needs a look."""
    from trellis.accounts.models import User

    directors = User.objects.filter(
        is_active=True, memberships__in=Membership.objects.active().filter(_directs(program))
    ).distinct()
    named = User.objects.filter(
        is_active=True,
        pk__in=PeerSettings.objects.filter(program=program).values("moderators"),
        memberships__in=Membership.objects.active().filter(
            Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
        ),
    ).distinct()
    ordered = list(directors.order_by("pk"))
    seen = {u.pk for u in ordered}
    ordered += [u for u in named.order_by("pk") if u.pk not in seen]
    return ordered
