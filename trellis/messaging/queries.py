"""Small reads for pages that already opened what they show (audited by the caller)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.utils.translation import gettext

from trellis.messaging.models import DEFAULT_REPLY_TIME, Message, ProgramInbox, ReadState, Thread

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.notes.models import Note
    from trellis.participants.models import Episode, Participant
    from trellis.programs.models import Program


def reply_time(program: Program | None) -> str:
    """The program's expected reply time ("one business day" unless the program set one).
    The default is translated into the page's language; a program's own words are shown as
    the program wrote them."""
    if program is None:
        return gettext(DEFAULT_REPLY_TIME)
    found = ProgramInbox.objects.filter(program=program).values_list("reply_time", flat=True)
    return next(iter(found), "") or gettext(DEFAULT_REPLY_TIME)


def unread_count(user: User, participant: Participant) -> int:
    """Threads of the participant with a message `user` has not read (the home card)."""
    read = ReadState.objects.filter(user=user, read_at__gte=F("thread__last_message_at"))
    return (
        Thread.objects.filter(participant=participant, guardian_link__isnull=True)
        .exclude(pk__in=read.values("thread_id"))
        .count()
    )


def guardian_unread_count(user: User, participant: Participant) -> int:
    """The guardian's own threads about the participant with a reply they have not read."""
    read = ReadState.objects.filter(user=user, read_at__gte=F("thread__last_message_at"))
    return (
        Thread.objects.filter(participant=participant, guardian_link__guardian=user)
        .exclude(pk__in=read.values("thread_id"))
        .count()
    )


def messages_of(thread: Thread) -> list[Message]:
    """The thread's messages, oldest first, with their authors (one query)."""
    return list(thread.messages.select_related("author").order_by("created_at", "pk"))


def is_unread(user: User, thread: Thread) -> bool:
    return not ReadState.objects.filter(
        thread=thread, user=user, read_at__gte=thread.last_message_at
    ).exists()


def own_draft_notes(user: User, episode: Episode) -> list[Note]:
    """The user's own draft (or returned) progress notes of the episode: where a message
    may be filed."""
    from trellis.notes.models import EDITABLE_STATUSES, Note, NoteKind

    return list(
        Note.objects.filter(
            Q(episode=episode, author=user, kind=NoteKind.PROGRESS),
            status__in=list(EDITABLE_STATUSES),
        )
        .select_related("episode__participant", "episode__program__organization")
        .order_by("-session_start")
    )
