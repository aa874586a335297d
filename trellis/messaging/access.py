"""Opening messages, audited (docs/portal.md, "Messages").

A participant reads and writes only their own threads. Staff read and answer a thread when
they see its episode clinically, by the chart's own rule (`privacy.access.staff_clinical_access`:
the care team today and the program's directors); the front desk, staff of other programs and
other participants get the same audited 404 as for an id that names nothing. Every opening of
a thread is recorded; every list records one event per person it names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record, record_list
from trellis.lib.ids import lookup_id
from trellis.messaging.models import ReadState, Thread
from trellis.participants.access import GUARDIAN_ROLE, access_as_guardian
from trellis.participants.guardianship import LinkView
from trellis.participants.models import Episode, GuardianKind
from trellis.privacy.access import (
    ParticipantAccess,
    Scope,
    access_participant,
    deny_object,
    staff_clinical_access,
)
from trellis.privacy.policy import episode_filter

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant

OBJECT_TYPE = "messaging.thread"
INBOX_PAGE_SIZE = 25


def _threads() -> QuerySet[Thread]:
    return Thread.objects.select_related(
        "participant", "episode__program__organization", "started_by", "guardian_link__guardian"
    )


def _own_threads() -> QuerySet[Thread]:
    """The participant's own threads: never their guardians' (the team decides what to share)."""
    return _threads().filter(guardian_link__isnull=True)


def with_unread(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """Annotate `unread`: a message came after `user` last opened the thread (or never did)."""
    read_at = ReadState.objects.filter(thread_id=OuterRef("pk"), user_id=user.pk)
    never_or_before = Q(my_read_at__isnull=True) | Q(my_read_at__lt=F("last_message_at"))
    return threads.annotate(my_read_at=Subquery(read_at.values("read_at")[:1])).annotate(
        unread=Case(
            When(never_or_before, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# --- the participant's own ---


@dataclass(frozen=True)
class OwnMessages:
    participant: Participant
    episode: Episode | None  # the open episode new threads go to; None: cannot write now
    threads: list[Thread]


def _own_participant(user: User, object_id: object, purpose: str) -> ParticipantAccess:
    participant: Participant | None = getattr(user, "participant", None)
    if participant is None:
        raise deny_object(user, object_type=OBJECT_TYPE, object_id=object_id, purpose=purpose)
    try:
        access = access_participant(
            user, participant.public_id, purpose=purpose, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        raise deny_object(
            user, object_type=OBJECT_TYPE, object_id=object_id, purpose=purpose
        ) from None
    if not access.is_own_record:
        raise deny_object(user, object_type=OBJECT_TYPE, object_id=object_id, purpose=purpose)
    return access


def _open_episode(access: ParticipantAccess) -> Episode | None:
    episode = access.current_episode
    return episode if episode is not None and episode.is_open else None


def access_own_messages(user: User, *, purpose: str = Purpose.PATRQT) -> OwnMessages:
    """The signed-in participant's threads, newest first with `unread`, recorded as one list
    view; anyone who is not a participant gets an audited 404."""
    access = _own_participant(user, "own", purpose)
    threads = list(
        with_unread(_own_threads().filter(participant=access.participant), user).order_by(
            "-last_message_at", "-pk"
        )
    )
    record_list(
        user,
        object_type=OBJECT_TYPE,
        participants=[access.participant],
        purpose=purpose,
        role="participant",
        detail={"results": len(threads)},
    )
    return OwnMessages(
        participant=access.participant, episode=_open_episode(access), threads=threads
    )


def access_own_compose(user: User, *, purpose: str = Purpose.PATRQT) -> OwnMessages:
    """The participant's open episode to write a new thread to (recorded as the compose
    screen's view; `episode` None when they have no open episode)."""
    access = _own_participant(user, "new", purpose)
    episode = _open_episode(access)
    record(
        user,
        Action.VIEW,
        participant=access.participant,
        obj=episode,
        object_type=OBJECT_TYPE,
        object_id="new",
        purpose=purpose,
        role="participant",
    )
    return OwnMessages(participant=access.participant, episode=episode, threads=[])


def access_own_thread(
    user: User,
    thread_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
    purpose: str = Purpose.PATRQT,
) -> Thread:
    """One of the signed-in participant's own threads; else an audited 404."""
    participant: Participant | None = getattr(user, "participant", None)
    thread = (
        _own_threads().filter(public_id=lookup_id(thread_id), participant=participant).first()
        if participant is not None
        else None
    )
    if thread is None:
        raise deny_object(
            user,
            object_type=OBJECT_TYPE,
            object_id=thread_id,
            purpose=purpose,
            participant=participant,
        )
    record(user, action, participant=participant, obj=thread, purpose=purpose, role="participant")
    return thread


# --- a guardian's own threads (docs/portal.md, "Guardians", "Messages") ---


@dataclass(frozen=True)
class GuardianMessages:
    view: LinkView  # the working link, the adolescent episode (new threads go there), the kinds
    threads: list[Thread]


def _guardian_threads(user: User, view: LinkView) -> QuerySet[Thread]:
    """The threads this guardian wrote about this participant: never the participant's own,
    never another guardian's."""
    return _threads().filter(participant=view.link.participant, guardian_link__guardian=user)


def access_guardian_messages(user: User, participant_id: uuid.UUID | str) -> GuardianMessages:
    """A guardian's threads about one linked participant, newest first with `unread`. Opened
    through `access_as_guardian` with the messages kind (audited, purpose FAMRQT): another
    person's id, an ended link or a policy without messages get its audited 404."""
    view = access_as_guardian(user, participant_id, GuardianKind.MESSAGES)
    threads = list(
        with_unread(_guardian_threads(user, view), user).order_by("-last_message_at", "-pk")
    )
    return GuardianMessages(view=view, threads=threads)


def access_guardian_thread(
    user: User,
    participant_id: uuid.UUID | str,
    thread_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
) -> tuple[LinkView, Thread]:
    """One of the guardian's own threads about a linked participant (audited as a guardian's,
    FAMRQT); anything else, including the participant's own threads, the audited 404."""
    view = access_as_guardian(user, participant_id, GuardianKind.MESSAGES)
    participant = view.link.participant
    thread = _guardian_threads(user, view).filter(public_id=lookup_id(thread_id)).first()
    if thread is None:
        raise deny_object(
            user,
            object_type=OBJECT_TYPE,
            object_id=thread_id,
            purpose=Purpose.FAMRQT,
            participant=participant,
        )
    record(
        user,
        action,
        participant=participant,
        obj=thread,
        purpose=Purpose.FAMRQT,
        role=GUARDIAN_ROLE,
        detail={"as": GUARDIAN_ROLE, "link": str(view.link.public_id)},
    )
    return view, thread


# --- staff ---


def staff_threads_filter(user: User) -> Q:
    """A filter on Thread: threads of episodes `user` sees clinically as staff (never their
    own record's)."""
    episodes = Episode.objects.filter(episode_filter(user, Scope.CLINICAL)).exclude(
        participant__user_id=user.pk
    )
    return Q(episode_id__in=episodes.values("pk"))


def access_thread(
    user: User,
    thread_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
    purpose: str = Purpose.TREAT,
) -> Thread:
    """A thread of an episode the user sees clinically as staff; else an audited 404."""
    thread = _threads().filter(public_id=lookup_id(thread_id)).first()
    if thread is None:
        raise deny_object(user, object_type=OBJECT_TYPE, object_id=thread_id, purpose=purpose)
    access = staff_clinical_access(user, thread.participant, thread.episode, purpose=purpose)
    if access is None:
        raise deny_object(
            user,
            object_type=OBJECT_TYPE,
            object_id=thread_id,
            purpose=purpose,
            participant=thread.participant,
        )
    record(user, action, participant=thread.participant, obj=thread, purpose=purpose,
           role=access.role)  # fmt: skip
    return thread


@dataclass(frozen=True)
class ChartMessages:
    access: ParticipantAccess
    threads: list[Thread]


def access_chart_messages(
    user: User, public_id: uuid.UUID | str, *, purpose: str = Purpose.TREAT
) -> ChartMessages:
    """The chart's Messages tab: the participant opened at clinical scope (audited) and the
    threads of the episodes the user sees clinically, newest first, with `unread`."""
    access = access_participant(user, public_id, purpose=purpose, minimum=Scope.CLINICAL)
    if access.is_own_record:
        raise deny_object(user, object_type=OBJECT_TYPE, object_id=public_id, purpose=purpose)
    threads = list(
        with_unread(
            _threads().filter(
                participant=access.participant, episode_id__in=access.clinical_episode_ids
            ),
            user,
        ).order_by("-last_message_at", "-pk")
    )
    if threads:
        record_list(
            user,
            object_type=OBJECT_TYPE,
            participants=[access.participant],
            purpose=purpose,
            role=access.role,
            detail={"results": len(threads)},
        )
    return ChartMessages(access=access, threads=threads)


def access_inbox(
    user: User, *, page: int | str | None = 1, purpose: str = Purpose.TREAT
) -> Page[Thread]:
    """The staff inbox: threads of every participant the user sees clinically, unread first,
    then those awaiting the team's answer, then newest. One page; one list event per person
    named on it; a fixed number of queries whatever the number of threads."""
    threads = with_unread(_threads().filter(staff_threads_filter(user)), user)
    threads = threads.order_by(  # type: ignore[misc]  # `unread` is with_unread's annotation
        "-unread", "-awaiting_team", "-last_message_at", "-pk"
    )
    shown = Paginator(threads, INBOX_PAGE_SIZE).get_page(page)
    if shown.object_list:
        record_list(
            user,
            object_type=OBJECT_TYPE,
            participants=[t.participant for t in shown.object_list],
            purpose=purpose,
            detail={"results": shown.paginator.count, "page": shown.number},
        )
    return shown
