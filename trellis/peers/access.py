"""Opening the peer space, audited (docs/portal.md, "Peer space").

Members read their own boards only: a track's board while they are in care on that track, the
alumni board of a program they finished. Moderators read the boards of the programs they
moderate through the moderation queue and a post's page; staff outside those programs, other
participants and everyone else get the same audited 404 as for an id that names nothing.

Every board page a member opens records one list event per author shown on it, and every queue
page one per author shown: the spine's rule that every read of participant data is audited.
Nothing here opens the chart: the boards are not part of the clinical record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record, record_list
from trellis.lib.ids import parse_public_id
from trellis.peers.models import Moderation, Post, PostStatus, Profile, Report
from trellis.peers.queries import Board, board_for, boards_of, moderated_program_ids
from trellis.privacy.access import deny_object
from trellis.programs.models import Program, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant

OBJECT_TYPE = "peers.board"
POST_TYPE = "peers.post"
BOARD_PAGE_SIZE = 30
QUEUE_PAGE_SIZE = 50


def _participant(user: User) -> Participant | None:
    return getattr(user, "participant", None)


@dataclass(frozen=True)
class BoardEntry:
    board: Board
    profile: Profile | None


def access_own_boards(user: User, *, purpose: str = Purpose.PATRQT) -> list[BoardEntry]:
    """The boards the signed-in participant belongs to, with their profile in each program;
    recorded as one view of their own peer space. Anyone else: an audited 404."""
    participant = _participant(user)
    if participant is None:
        raise deny_object(user, object_type=OBJECT_TYPE, object_id="own", purpose=purpose)
    boards = boards_of(participant)
    profiles = {
        p.program_id: p
        for p in Profile.objects.filter(
            participant=participant, program_id__in=[b.program.pk for b in boards]
        )
    }
    record(
        user,
        Action.LIST,
        participant=participant,
        object_type=OBJECT_TYPE,
        object_id="own",
        purpose=purpose,
        role="participant",
        detail={"boards": len(boards)},
    )
    return [BoardEntry(board=b, profile=profiles.get(b.program.pk)) for b in boards]


def _visible_to_member(profile: Profile | None) -> Q:
    """Members see visible posts, and their own that wait or were hidden (marked as such)."""
    mine = Q(author=profile) if profile is not None else Q(pk__in=[])
    return Q(status=PostStatus.VISIBLE) | mine


def _board_posts(board: Board) -> QuerySet[Post]:
    return Post.objects.filter(program=board.program, track=board.track)


@dataclass(frozen=True)
class BoardPage:
    board: Board
    participant: Participant
    profile: Profile | None  # None: they have not joined (display name, rules) yet
    posts: list[Post]  # top-level posts, newest first, `shown_replies` counted


def _resolve_board(
    user: User, kind: str, object_id: uuid.UUID | str, purpose: str
) -> tuple[Participant, Board]:
    participant = _participant(user)
    ident = parse_public_id(object_id)
    board = None
    if participant is not None and ident is not None:
        if kind == "track":
            track = Track.objects.filter(public_id=ident).only("pk", "program_id").first()
            if track is not None:
                board = board_for(participant, track.program_id, track.pk)
        else:
            program = Program.objects.filter(public_id=ident).only("pk").first()
            if program is not None:
                board = board_for(participant, program.pk, None)
    if participant is None or board is None:
        raise deny_object(
            user,
            object_type=OBJECT_TYPE,
            object_id=f"{kind}:{object_id}",
            purpose=purpose,
            participant=participant,
        )
    return participant, board


def _profile(participant: Participant, board: Board) -> Profile | None:
    return Profile.objects.filter(participant=participant, program=board.program).first()


def access_board(
    user: User, kind: str, object_id: uuid.UUID | str, *, purpose: str = Purpose.PATRQT
) -> BoardPage:
    """A board the signed-in participant belongs to (`kind` "track": a track's id; "alumni":
    a program's id). Posts only once they have joined; one list event per author shown."""
    participant, board = _resolve_board(user, kind, object_id, purpose)
    profile = _profile(participant, board)
    posts: list[Post] = []
    if profile is not None:
        visible_replies = Q(replies__status=PostStatus.VISIBLE) | Q(replies__author=profile)
        posts = list(
            _board_posts(board)
            .filter(parent__isnull=True)
            .filter(_visible_to_member(profile))
            .select_related("author", "participant")
            .annotate(shown_replies=Count("replies", filter=visible_replies))
            .order_by("-created_at", "-pk")[:BOARD_PAGE_SIZE]
        )
    record_list(
        user,
        object_type=OBJECT_TYPE,
        object_id=f"{kind}:{object_id}",
        participants=[participant, *(p.participant for p in posts)],
        purpose=purpose,
        role="participant",
        detail={"results": len(posts)},
    )
    return BoardPage(board=board, participant=participant, profile=profile, posts=posts)


@dataclass(frozen=True)
class PostPage:
    board: Board
    participant: Participant
    profile: Profile
    post: Post
    replies: list[Post]
    reported: bool  # the member has reported this post already


def access_own_post(
    user: User, post_id: uuid.UUID | str, *, purpose: str = Purpose.PATRQT
) -> PostPage:
    """A top-level post of a board the participant belongs to and has joined, with its
    replies oldest first; one list event per author shown."""
    participant = _participant(user)
    ident = parse_public_id(post_id)
    post = (
        Post.objects.filter(public_id=ident, parent__isnull=True)
        .select_related("author", "participant", "program", "track")
        .first()
        if participant is not None and ident is not None
        else None
    )
    board = board_for(participant, post.program_id, post.track_id) if post and participant else None
    profile = _profile(participant, board) if participant and board else None
    if (
        post is None
        or board is None
        or profile is None
        or not (post.status == PostStatus.VISIBLE or post.author_id == profile.pk)
    ):
        raise deny_object(
            user, object_type=POST_TYPE, object_id=post_id, purpose=purpose, participant=participant
        )
    assert participant is not None  # noqa: S101  # checked with profile
    replies = list(
        post.replies.filter(_visible_to_member(profile))
        .select_related("author", "participant")
        .order_by("created_at", "pk")
    )
    reported = Report.objects.filter(post=post, reporter=profile).exists()
    record_list(
        user,
        object_type=POST_TYPE,
        object_id=str(post.public_id),
        participants=[post.participant, *(r.participant for r in replies)],
        purpose=purpose,
        role="participant",
        detail={"results": 1 + len(replies)},
        action=Action.VIEW,
    )
    return PostPage(
        board=board, participant=participant, profile=profile, post=post, replies=replies,
        reported=reported,
    )  # fmt: skip


def access_own_reply_target(
    user: User, post_id: uuid.UUID | str, *, purpose: str = Purpose.PATRQT
) -> Post:
    """Any post (a reply too) of a board the participant belongs to and has joined, that they
    may see: what they may report. Audited as a view."""
    participant = _participant(user)
    ident = parse_public_id(post_id)
    post = (
        Post.objects.filter(public_id=ident).select_related("participant").first()
        if participant is not None and ident is not None
        else None
    )
    board = board_for(participant, post.program_id, post.track_id) if post and participant else None
    profile = _profile(participant, board) if participant and board else None
    if post is None or profile is None or post.status != PostStatus.VISIBLE:
        raise deny_object(
            user, object_type=POST_TYPE, object_id=post_id, purpose=purpose, participant=participant
        )
    record(user, Action.VIEW, participant=post.participant, obj=post, purpose=purpose,
           role="participant")  # fmt: skip
    return post


# --- moderators ---


def is_moderator(user: User) -> bool:
    return bool(moderated_program_ids(user))


@dataclass(frozen=True)
class QueueItem:
    post: Post
    open_reports: list[Report]


def access_queue(user: User, *, purpose: str = Purpose.HOPERAT) -> list[QueueItem]:
    """The moderation queue: posts of the user's moderated programs that wait for a look
    (pending, reported, mentioning self-harm), self-harm first, then oldest first. A fixed
    number of queries; one list event per author shown. Not a moderator: an audited 404."""
    programs = moderated_program_ids(user)
    if not programs:
        raise deny_object(user, object_type=POST_TYPE, object_id="queue", purpose=purpose)
    open_reports = Report.objects.filter(resolved_at__isnull=True).order_by("created_at", "pk")
    posts = list(
        Post.objects.filter(program_id__in=programs, needs_review=True)
        .select_related("author", "participant", "program__organization", "track", "parent")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("-mentions_self_harm", "created_at", "pk")[:QUEUE_PAGE_SIZE]
    )
    record_list(
        user,
        object_type=POST_TYPE,
        object_id="queue",
        participants=[p.participant for p in posts],
        purpose=purpose,
        role="moderator",
        detail={"results": len(posts)},
    )
    return [QueueItem(post=p, open_reports=p.open_reports) for p in posts]


@dataclass(frozen=True)
class ModeratedPost:
    post: Post
    reports: list[Report]
    moderations: list[Moderation]
    replies: list[Post]


def access_moderated_post(
    user: User,
    post_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
    purpose: str = Purpose.HOPERAT,
) -> ModeratedPost:
    """One post of a program the user moderates, with its reports and moderation history;
    else an audited 404."""
    ident = parse_public_id(post_id)
    post = (
        Post.objects.filter(public_id=ident)
        .select_related("author", "participant", "program__organization", "track", "parent")
        .first()
        if ident is not None
        else None
    )
    if post is None or post.program_id not in moderated_program_ids(user):
        raise deny_object(
            user,
            object_type=POST_TYPE,
            object_id=post_id,
            purpose=purpose,
            participant=post.participant if post is not None else None,
        )
    record(user, action, participant=post.participant, obj=post, purpose=purpose, role="moderator")
    return ModeratedPost(
        post=post,
        reports=list(post.reports.select_related("reporter").order_by("created_at", "pk")),
        moderations=list(post.moderations.select_related("moderator")),
        replies=list(post.replies.select_related("author").order_by("created_at", "pk")),
    )
