"""Members and posts written through the actions, for the tests, the URL walk and the demo."""

from __future__ import annotations

from tests.personas import World
from trellis.participants.models import Participant
from trellis.peers.actions import Joining, check_join, do_post
from trellis.peers.models import PeerSettings, Post, Profile
from trellis.peers.queries import Board, boards_of


def track_board(participant: Participant) -> Board:
    return next(b for b in boards_of(participant) if not b.is_alumni)


def join(participant: Participant, name: str, board: Board | None = None) -> Profile:
    board = board or track_board(participant)
    return check_join(participant, participant.user, board, Joining(name, accept_rules=True))


def write(participant: Participant, body: str, *, parent: Post | None = None) -> Post:
    board = track_board(participant)
    profile = Profile.objects.get(participant=participant, program=board.program)
    return do_post(participant.user, profile, board, body, None, parent)


def peers_walk_values(world: World, target: Participant) -> dict[str, str]:
    """A post of the target naming them, waiting in their program's moderation queue (the
    program moderates first), for the URL walk."""
    board = next((b for b in boards_of(target) if not b.is_alumni), None)
    if board is None:
        return {"post_id": "00000000-0000-0000-0000-000000000000"}
    settings, _ = PeerSettings.objects.get_or_create(program=board.program)
    settings.premoderation = True
    settings.save()
    join(target, f"Walker {target.pk}", board)
    post = write(target, f"Walk post by {target.family_name}")
    return {"post_id": str(post.public_id)}


def alumnus(world: World, username: str = "alex.alumnus") -> Participant:
    """A participant of the mental-health program with a sign-in, discharged yesterday: an
    alumnus (docs/portal.md, "The end of care: alumni"), on the program's alumni board."""
    from datetime import timedelta

    from tests.personas import PASSWORD, make_participant
    from trellis.accounts.actions import do_create_user
    from trellis.participants.actions import do_discharge
    from trellis.participants.models import DischargeReason

    user = do_create_user(None, username=username, password=PASSWORD, is_staff_profile=False)
    person = make_participant(
        world.organization, "MRN-7001", "Alex", "Alderglen", program=world.program,
        track=world.evening, user=user,
    )  # fmt: skip
    do_discharge(
        None,
        person.episodes.get(),
        discharged_on=world.organization.today() - timedelta(days=1),
        reason=DischargeReason.COMPLETED,
    )
    return person
