"""Demo peer space: the portal participant's track board, written through the actions (so
profiles, audit events and the moderation queue are real):

- the portal participant and four others on her track have joined with display names;
- a few friendly posts over the last days, with replies;
- one post reported by a member as selling, waiting in the moderation queue of the program's
  director.

Nothing mentions self-harm: the demo raises no urgent item from the boards."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trellis.participants.models import Episode, EpisodeStatus, Participant
from trellis.peers.actions import Joining, check_join, do_post, do_report
from trellis.peers.models import Post, Profile
from trellis.peers.queries import Board
from trellis.programs.models import Organization

NAMES = ("SunnyDays", "Quiet River", "Marigold", "TJ", "Early Bird")
POSTS: tuple[tuple[int, int, int, str, list[tuple[int, str]]], ...] = (
    # (author index, days ago, hour, text, replies as (author index, text))
    (1, 4, 19, "First week done. The TIPP skill with cold water actually worked for me "
     "on Tuesday night.", [(0, "Same here! I keep a bag of ice in the freezer now."),
                           (2, "Good to hear. I'm going to try it.")]),
    (2, 2, 20, "Anyone else find the diary card easier on the phone?",
     [(3, "Yes, I fill it in on the bus home.")]),
    (0, 1, 21, "Thank you all for tonight's group. I was nervous and you made it easy.",
     [(4, "Glad you came. See you Thursday!")]),
    (4, 0, 8, "Small win: I used DEAR MAN with my landlord and it went fine.", []),
)  # fmt: skip
REPORTED = "Message me for cheap supplements that fix anxiety, link in my profile"


def _at(organization: Organization, today: date, days_ago: int, hour: int) -> datetime:
    moment = datetime.combine(today - timedelta(days=days_ago), time(hour, 0), organization.tz)
    return min(moment, timezone.now() - timedelta(minutes=10))


def seed_peers(organization: Organization, *, today: date | None = None) -> int:
    """The portal participant's track board; the number of posts written (0: no portal
    participant on a track)."""
    today = today or organization.today()
    participant = (
        Participant.objects.filter(organization=organization, user__isnull=False)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    episode = (
        participant.episodes.filter(status=EpisodeStatus.ACTIVE, track__isnull=False)
        .select_related("program", "track")
        .first()
        if participant is not None
        else None
    )
    if participant is None or episode is None or episode.track is None:
        return 0
    others = list(
        Episode.objects.filter(
            program=episode.program, track=episode.track, status=EpisodeStatus.ACTIVE
        )
        .exclude(participant=participant)
        .select_related("participant")
        .order_by("pk")[: len(NAMES) - 1]
    )
    episodes = [episode, *others]
    profiles: list[Profile] = []
    for i, ep in enumerate(episodes):
        board = Board(program=ep.program, track=ep.track, episode=ep)
        profiles.append(
            check_join(ep.participant, ep.participant.user, board, Joining(NAMES[i], True))
        )
    written = 0

    def post(author: int, body: str, at: datetime, parent: Post | None = None) -> Post:
        nonlocal written
        ep = episodes[author % len(episodes)]
        board = Board(program=ep.program, track=ep.track, episode=ep)
        made = do_post(
            ep.participant.user, profiles[author % len(profiles)], board, body, None, parent
        )
        Post.objects.filter(pk=made.pk).update(created_at=at)
        written += 1
        return made

    for author, days_ago, hour, text, replies in POSTS:
        at = _at(organization, today, days_ago, hour)
        top = post(author, text, at)
        for n, (replier, reply) in enumerate(replies, start=1):
            post(replier, reply, at + timedelta(minutes=20 * n), top)
    if len(profiles) > 2:
        spam = post(len(profiles) - 1, REPORTED, _at(organization, today, 0, 7))
        reporter = episodes[1].participant
        do_report(reporter.user, profiles[1], spam, "spam", "Selling something")
    return written
