"""Threads written through the actions, for the tests and the URL walk."""

from __future__ import annotations

from tests.personas import World
from trellis.accounts.models import User
from trellis.messaging.actions import NewThread, do_reply, do_start_thread
from trellis.messaging.models import Recipient, Thread
from trellis.participants.models import Participant


def participant_writes(
    participant: Participant,
    body: str = "Can I switch to the evening track?",
    *,
    subject: str = "Changing tracks",
    recipient: str = Recipient.CARE_TEAM,
) -> Thread:
    user = participant.user
    assert user is not None
    episode = participant.episodes.get()
    return do_start_thread(
        user, participant, episode, NewThread(recipient=recipient, subject=subject, body=body)
    )


def staff_writes(author: User, participant: Participant, body: str = "Yes, from Monday.") -> Thread:
    episode = participant.episodes.get()
    return do_start_thread(
        author,
        participant,
        episode,
        NewThread(recipient=Recipient.CARE_TEAM, subject="", body=body),
    )


def messaging_walk_values(world: World, target: Participant) -> dict[str, str]:
    """A thread of the target with a message naming them, for the URL walk."""
    in_program = target.episodes.get().program_id == world.program.pk
    author = world.director if in_program else world.outsider  # someone who sees them
    thread = staff_writes(author, target, f"Walk message for {target.family_name}")
    message = do_reply(author, thread, f"{target.family_name} walk reply")
    return {"thread_id": str(thread.public_id), "message_id": str(message.public_id)}
