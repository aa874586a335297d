"""Secure messages through the API, under /api/v1/messaging/ (docs/portal.md, "Messages"
and "API"; docs/api.md). The same access functions and actions as the pages (`views.py`).

The participant's own (any signed-in user; each reaches only the caller's own threads
through `access_own_messages`, `access_own_compose`, `access_own_thread`; anyone else,
staff included, gets the audited 404):

- GET  /me/threads                        my threads, newest first, `unread` marked
- POST /me/threads                        write to my care team or the program's team (201)
- GET  /me/threads/{thread_id}            one thread, oldest message first (marks it read)
- POST /me/threads/{thread_id}/messages   reply (201)

Staff (the API's default: staff only; a thread of an episode they see clinically, through
`access_inbox`, `access_thread`; anyone else the audited 404):

- GET  /inbox                             unread first, then awaiting the team, then newest
- GET  /threads/{thread_id}               read it (marked read, the team's task acknowledged)
- POST /threads/{thread_id}/messages      answer (the task completes, the participant is
  told a message waits, never what it says)

Writes take an `Idempotency-Key` header (or `idempotency_key`), as the pages' forms carry
one: the same key again returns the first thread or message (200), one stored. Refused
input is a 422 naming the field; nothing is stored. Filing a message to a draft note stays
on the staff page; the pages have no "mark done" for a thread (the team's task is completed
in My work, or by answering), and neither does the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.accounts.models import User
from trellis.audit.models import Action
from trellis.lib.api import error_responses
from trellis.messaging.access import (
    INBOX_PAGE_SIZE,
    access_inbox,
    access_own_compose,
    access_own_messages,
    access_own_thread,
    access_thread,
)
from trellis.messaging.actions import (
    MAX_BODY,
    MAX_SUBJECT,
    NewThread,
    check_reply,
    check_start_thread,
    do_open_thread,
)
from trellis.messaging.models import Message, Thread
from trellis.messaging.queries import messages_of, reply_time

router = Router(tags=["messaging"])
own_auth = [ApiTokenAuth(), SessionAuth()]
KEY_MAX = 64


class MessageOut(Schema):
    public_id: UUID
    from_participant: bool
    author: str = Field(description="The participant's name, or the staff member's")
    body: str
    sent_at: datetime


class ThreadSummaryOut(Schema):
    public_id: UUID
    recipient: str = Field(description='"care_team" or "program"')
    subject: str
    last_message_at: datetime
    unread: bool
    awaiting_team: bool = Field(description="The participant wrote last: the team owes a reply")


class StaffThreadSummaryOut(ThreadSummaryOut):
    participant_public_id: UUID
    participant_name: str


class ThreadOut(Schema):
    public_id: UUID
    recipient: str
    subject: str
    can_reply: bool = Field(description="The episode is open: replies are accepted")
    was_unread: bool = Field(description="Opening it marked it read")
    messages: list[MessageOut] = Field(description="Oldest first")


class StaffThreadOut(ThreadOut):
    participant_public_id: UUID
    participant_name: str


class MyThreadsOut(Schema):
    can_write: bool = Field(description="I am in a program: I can start a thread")
    reply_time: str = Field(description='"Your team usually replies within …"')
    threads: list[ThreadSummaryOut]


class InboxOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[StaffThreadSummaryOut]


class NewThreadIn(Schema):
    recipient: str = Field(description='"care_team" or "program"')
    subject: str = Field(default="", max_length=MAX_SUBJECT * 4)
    body: str = Field(max_length=MAX_BODY * 2, description=f"Plain text, {MAX_BODY:,} at most")
    idempotency_key: str | None = Field(default=None, max_length=KEY_MAX)


class ReplyIn(Schema):
    body: str = Field(max_length=MAX_BODY * 2, description=f"Plain text, {MAX_BODY:,} at most")
    idempotency_key: str | None = Field(default=None, max_length=KEY_MAX)


class InboxQuery(Schema):
    page: int = Field(default=1, ge=1, le=100_000)


def _key(request: HttpRequest, body_key: str | None) -> str:
    key = (request.headers.get("Idempotency-Key") or body_key or "").strip()
    if len(key) > KEY_MAX:
        raise ValidationError({"idempotency_key": f"The key is at most {KEY_MAX} characters."})
    return key


def _name(thread: Thread) -> str:
    return f"{thread.participant.given_name} {thread.participant.family_name}"


def _message(thread: Thread, message: Message) -> MessageOut:
    return MessageOut(
        public_id=message.public_id,
        from_participant=message.from_participant,
        author=_name(thread) if message.from_participant else message.author.name,
        body=message.body,
        sent_at=message.created_at,
    )


def _summary(thread: Thread) -> dict[str, Any]:
    return {
        "public_id": thread.public_id,
        "recipient": thread.recipient,
        "subject": thread.subject,
        "last_message_at": thread.last_message_at,
        "unread": bool(getattr(thread, "unread", False)),
        "awaiting_team": thread.awaiting_team,
    }


def _thread(thread: Thread, *, was_unread: bool) -> dict[str, Any]:
    return {
        "public_id": thread.public_id,
        "recipient": thread.recipient,
        "subject": thread.subject,
        "can_reply": thread.episode.is_open,
        "was_unread": was_unread,
        "messages": [_message(thread, m) for m in messages_of(thread)],
    }


def _open(user: User, thread: Thread) -> dict[str, Any]:
    return _thread(thread, was_unread=do_open_thread(user, thread))


# --- the participant's own ---


@router.get(
    "/me/threads",
    response={200: MyThreadsOut, **error_responses(401, 404)},
    auth=own_auth,
    tags=["me"],
    summary="My messages",
)
def my_threads(request: HttpRequest) -> MyThreadsOut:
    own = access_own_messages(acting_user(request))
    program = own.episode.program if own.episode is not None else None
    return MyThreadsOut(
        can_write=own.episode is not None,
        reply_time=reply_time(program),
        threads=[ThreadSummaryOut(**_summary(t)) for t in own.threads],
    )


@router.post(
    "/me/threads",
    response={200: ThreadOut, 201: ThreadOut, **error_responses(401, 404, 422)},
    auth=own_auth,
    tags=["me"],
    summary="Write to my team",
)
def start_my_thread(request: HttpRequest, payload: NewThreadIn) -> Status[ThreadOut]:
    """A new thread to my care team or the program's team (201); the same idempotency key
    again returns that thread (200). The team gets a task; the text is stored encrypted."""
    user = acting_user(request)
    own = access_own_compose(user)
    key = _key(request, payload.idempotency_key)
    started = timezone.now()
    data = NewThread(
        recipient=payload.recipient,
        subject=payload.subject,
        body=payload.body,
        idempotency_key=key,
    )
    thread = check_start_thread(user, own.participant, own.episode, data)
    created = thread.created_at >= started
    return Status(201 if created else 200, ThreadOut(**_thread(thread, was_unread=False)))


@router.get(
    "/me/threads/{thread_id}",
    response={200: ThreadOut, **error_responses(401, 404)},
    auth=own_auth,
    tags=["me"],
    summary="One of my threads",
)
def my_thread(request: HttpRequest, thread_id: str) -> ThreadOut:
    """The thread, oldest message first; opening it marks it read."""
    user = acting_user(request)
    return ThreadOut(**_open(user, access_own_thread(user, thread_id)))


def _reply(request: HttpRequest, thread: Thread, payload: ReplyIn) -> Status[MessageOut]:
    started = timezone.now()
    key = _key(request, payload.idempotency_key)
    message = check_reply(acting_user(request), thread, payload.body, idempotency_key=key)
    created = message.created_at >= started
    return Status(201 if created else 200, _message(thread, message))


@router.post(
    "/me/threads/{thread_id}/messages",
    response={200: MessageOut, 201: MessageOut, **error_responses(401, 404, 422)},
    auth=own_auth,
    tags=["me"],
    summary="Reply in one of my threads",
)
def reply_in_my_thread(
    request: HttpRequest, thread_id: str, payload: ReplyIn
) -> Status[MessageOut]:
    """A reply (201; 200 with the first message on a retry with the same key). Refused
    (422, `body`) once my program has ended."""
    thread = access_own_thread(acting_user(request), thread_id, action=Action.CREATE)
    return _reply(request, thread, payload)


# --- staff ---


@router.get(
    "/inbox",
    response={200: InboxOut, **error_responses(401, 403)},
    summary="Messages inbox",
)
def inbox(request: HttpRequest, query: Query[InboxQuery]) -> InboxOut:
    """Threads of every participant I see clinically: unread first, then those awaiting
    the team's answer, then newest; 25 a page (`page`)."""
    shown = access_inbox(acting_user(request), page=query.page)
    return InboxOut(
        count=shown.paginator.count,
        page=shown.number,
        pages=shown.paginator.num_pages,
        page_size=INBOX_PAGE_SIZE,
        items=[
            StaffThreadSummaryOut(
                **_summary(t), participant_public_id=t.participant.public_id,
                participant_name=_name(t),
            )
            for t in shown.object_list
        ],
    )  # fmt: skip


@router.get(
    "/threads/{thread_id}",
    response={200: StaffThreadOut, **error_responses(401, 403, 404)},
    summary="A participant's thread",
)
def thread(request: HttpRequest, thread_id: str) -> StaffThreadOut:
    """The thread, oldest message first; opening it marks it read and acknowledges the
    team's open task (it stays open until answered or completed)."""
    user = acting_user(request)
    found = access_thread(user, thread_id)
    return StaffThreadOut(
        **_open(user, found),
        participant_public_id=found.participant.public_id,
        participant_name=_name(found),
    )


@router.post(
    "/threads/{thread_id}/messages",
    response={200: MessageOut, 201: MessageOut, **error_responses(401, 403, 404, 422)},
    summary="Answer a participant's thread",
)
def reply(request: HttpRequest, thread_id: str, payload: ReplyIn) -> Status[MessageOut]:
    """The answer (201; 200 on a retry with the same key): the team's task completes and
    the participant is told that a message waits (never what it says)."""
    found = access_thread(acting_user(request), thread_id, action=Action.CREATE)
    return _reply(request, found, payload)
