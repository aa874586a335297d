"""Every write to messages: start a thread, reply, mark read, file to the chart. Atomic and
audited; audit details carry ids and codes only, never message text.

A participant's message becomes a worklist task for the recipients (one open task per thread,
however many messages wait); a staff reply completes it and queues a notification telling the
participant that there is a new message, with no content at all (docs/portal.md, "Notifications").
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.text import DIRECTION_CONTROLS
from trellis.messaging.models import Message, ReadState, Recipient, Thread
from trellis.messaging.queries import is_unread
from trellis.notifications.actions import queue_notification
from trellis.notifications.models import Kind
from trellis.worklist.actions import do_acknowledge_alert, do_complete_task, do_raise_alert
from trellis.worklist.models import OPEN_ALERT_STATUSES, Alert, AlertKind, Priority
from trellis.worklist.queries import primary_clinicians, program_directors

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.notes.models import Note
    from trellis.participants.models import Episode, GuardianLink, Participant

logger = logging.getLogger(__name__)

MAX_BODY = 5_000
MAX_SUBJECT = 120
SOURCE = "messaging.thread"
TASK_TITLE = "Message from a participant"  # no content: titles show in lists and counts
GUARDIAN_TASK_TITLE = "Message from a participant's parent/guardian"
GUARDIAN_ROLE = "guardian"
TASK_DETAIL = "Read the message in the participant's Messages tab and answer it there."
ALLOWED_CONTROLS = frozenset("\n\t")


def source_of(thread: Thread) -> str:
    return f"{SOURCE}:{thread.public_id}"


def is_thread_guardian(user: User, thread: Thread) -> bool:
    """`user` is the guardian who wrote this (guardian's) thread."""
    link = thread.guardian_link if thread.guardian_link_id is not None else None
    return link is not None and link.guardian_id == user.pk


def _writer(user: User, thread: Thread) -> tuple[bool, bool]:
    """(from the participant, from the thread's guardian)."""
    return thread.participant.user_id == user.pk, is_thread_guardian(user, thread)


def _purpose_role(from_participant: bool, from_guardian: bool) -> tuple[str, str]:
    if from_guardian:
        return Purpose.FAMRQT, GUARDIAN_ROLE
    if from_participant:
        return Purpose.PATRQT, "participant"
    return Purpose.TREAT, ""


def _bad_characters(text: str, allowed: frozenset[str] = ALLOWED_CONTROLS) -> bool:
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in DIRECTION_CONTROLS
        for ch in text
    )


def clean_body(body: str) -> str:
    """The message as stored: line breaks normalized, surrounding blanks trimmed; a clear
    error naming `body` for an empty, too long or unprintable message. Plain text: HTML is kept
    as typed and always shown escaped."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"body": _("Write your message.")})
    if len(text) > MAX_BODY:
        raise ValidationError(
            {
                "body": _(
                    "Keep a message under %(max)s characters (this one has %(n)s). "
                    "Send a longer one in parts."
                )
                % {"max": f"{MAX_BODY:,}", "n": f"{len(text):,}"}
            }
        )
    if _bad_characters(text):
        raise ValidationError({"body": _("Remove the control or text-direction characters.")})
    return text


def clean_subject(subject: str) -> str:
    text = subject.strip()
    if len(text) > MAX_SUBJECT:
        raise ValidationError(
            {"subject": _("Keep the subject under %(max)s characters.") % {"max": MAX_SUBJECT}}
        )
    if _bad_characters(text, frozenset()):
        raise ValidationError({"subject": _("Remove the control or text-direction characters.")})
    return text


def _key(idempotency_key: str) -> str | None:
    return idempotency_key.strip()[:64] or None


def _resent(key: str | None, user: User) -> Message | None:
    """The message this user already sent with this form token (a double submit)."""
    if key is None:
        return None
    return Message.objects.filter(idempotency_key=key, author=user).select_related("thread").first()


def _used_form() -> ValidationError:
    return ValidationError({"body": _("This form was already used: reload the page.")})


def _mark_read(user: User, thread: Thread, at: datetime) -> None:
    ReadState.objects.update_or_create(thread=thread, user=user, defaults={"read_at": at})


def _open_tasks(thread: Thread) -> list[Alert]:
    return list(Alert.objects.filter(source=source_of(thread), status__in=OPEN_ALERT_STATUSES))


def _next_business_day(at: datetime, episode: Episode) -> datetime:
    """`at` plus one day, skipping Saturday and Sunday in the organization's zone."""
    zone = episode.program.organization.tz
    due = timezone.localtime(at, zone) + timedelta(days=1)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def _raise_task(thread: Thread, message: Message) -> Alert:
    """One open task per thread: a second message before the answer joins the first's."""
    existing = _open_tasks(thread)
    if existing:
        return existing[0]
    episode = thread.episode
    now = message.created_at
    owner = None
    if thread.recipient == Recipient.PROGRAM:
        # The program's inbox is worked by its directors; the care team still reads it.
        directors = program_directors(episode.program)
        owner = directors[0] if directors else None
    if owner is None and not primary_clinicians(episode, now):
        directors = program_directors(episode.program)
        owner = directors[0] if directors else None
    return do_raise_alert(
        None,
        participant=thread.participant,
        episode=episode,
        kind=AlertKind.TASK,
        priority=Priority.NORMAL,
        title=GUARDIAN_TASK_TITLE if thread.guardian_link_id is not None else TASK_TITLE,
        detail=TASK_DETAIL,
        source=source_of(thread),
        dedupe_key=f"messaging:message:{message.public_id}",
        now=now,
        owner=owner,
        due_at=_next_business_day(now, episode),
    )


def _notify_participant(participant: Participant, message: Message) -> None:
    """Queue the content-free "You have a new message from your care team" notification, in
    the reply's transaction; the participant's preferences decide how and when it goes
    (docs/portal.md, "Notifications")."""
    queue_notification(participant, Kind.MESSAGE, f"message:{message.public_id}")


# --- start a thread ---


@dataclass
class NewThread:
    recipient: str
    subject: str
    body: str
    idempotency_key: str = ""


def check_start_thread(
    user: User,
    participant: Participant,
    episode: Episode | None,
    data: NewThread,
    *,
    guardian_link: GuardianLink | None = None,
) -> Thread:
    """The participant writes to their care team or the program's inbox (or, with
    `guardian_link`, the guardian writes to the participant's care team)."""
    errors: dict[str, str] = {}
    if episode is None or not episode.is_open:
        errors["__all__"] = _("You can send messages while you are in a program.")
    if data.recipient not in Recipient.values:
        errors["recipient"] = _("Choose who the message is for.")
    try:
        data.subject = clean_subject(data.subject)
    except ValidationError as exc:
        errors |= {k: " ".join(v) for k, v in exc.message_dict.items()}
    try:
        data.body = clean_body(data.body)
    except ValidationError as exc:
        errors |= {k: " ".join(v) for k, v in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    assert episode is not None  # noqa: S101  # checked above
    return do_start_thread(user, participant, episode, data, guardian_link=guardian_link)


@transaction.atomic
def do_start_thread(
    user: User,
    participant: Participant,
    episode: Episode,
    data: NewThread,
    *,
    now: datetime | None = None,
    notify: bool = True,
    guardian_link: GuardianLink | None = None,
) -> Thread:
    """A new thread with its first message; the same `idempotency_key` again returns the
    thread it made (a double submit stores one). With `guardian_link`, a guardian's thread
    (written by that link's guardian, read by them and staff only)."""
    key = _key(data.idempotency_key)
    if key is not None:
        found = _resent(key, user)
        if found is not None:
            return found.thread
    now = now or timezone.now()
    from_participant = participant.user_id == user.pk
    from_guardian = guardian_link is not None and guardian_link.guardian_id == user.pk
    from_family = from_participant or from_guardian
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                participant=participant,
                episode=episode,
                recipient=data.recipient,
                subject=data.subject,
                started_by=user,
                created_at=now,
                last_message_at=now,
                awaiting_team=from_family,
                guardian_link=guardian_link,
            )
            message = Message.objects.create(
                thread=thread,
                author=user,
                from_participant=from_participant,
                from_guardian=from_guardian,
                body=data.body,
                created_at=now,
                idempotency_key=key,
            )
    except IntegrityError as error:
        # The same form posted twice at once: the other request's thread stands.
        found = _resent(key, user)
        if found is None:
            raise _used_form() from error
        return found.thread
    _mark_read(user, thread, now)
    purpose, role = _purpose_role(from_participant, from_guardian)
    detail = {"recipient": thread.recipient, "message": str(message.public_id)}
    if guardian_link is not None:
        detail["guardian_link"] = str(guardian_link.public_id)
    record(
        user,
        Action.CREATE,
        participant=participant,
        obj=thread,
        purpose=purpose,
        role=role,
        detail=detail,
    )
    if from_family:
        _raise_task(thread, message)
    elif notify and guardian_link is None:
        _notify_participant(participant, message)
    return thread


# --- reply ---


def check_reply(user: User, thread: Thread, body: str, *, idempotency_key: str = "") -> Message:
    """A reply from the participant or staff, refused (naming `body`) once the thread's
    episode has ended, or for an empty, too long or unprintable message."""
    if not thread.episode.is_open:
        if any(_writer(user, thread)):
            raise ValidationError(
                {"body": _("This conversation is closed: your program has ended.")}
            )
        # Staff pages are English only.
        raise ValidationError(
            {"body": "The episode has ended: messages can no longer be sent here."}
        )
    return do_reply(user, thread, clean_body(body), idempotency_key=idempotency_key)


@transaction.atomic
def do_reply(
    user: User,
    thread: Thread,
    body: str,
    *,
    idempotency_key: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> Message:
    """A message in the thread. From the participant (or the thread's guardian): the team's task
    (re)opens. From staff: the task is completed and the participant is emailed (no content);
    a guardian's thread notifies nobody (notifications go to participants only: the guardian
    sees "New" on their pages)."""
    key = _key(idempotency_key)
    if key is not None:
        found = _resent(key, user)
        if found is not None and found.thread_id == thread.pk:
            return found
    now = now or timezone.now()
    from_participant, from_guardian = _writer(user, thread)
    from_family = from_participant or from_guardian
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                thread=locked,
                author=user,
                from_participant=from_participant,
                from_guardian=from_guardian,
                body=body,
                created_at=now,
                idempotency_key=key,
            )
    except IntegrityError as error:
        found = _resent(key, user)
        if found is None or found.thread_id != thread.pk:
            raise _used_form() from error
        return found
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now, awaiting_team=from_family)
    thread.last_message_at, thread.awaiting_team = now, from_family
    _mark_read(user, thread, now)
    purpose, role = _purpose_role(from_participant, from_guardian)
    record(
        user,
        Action.CREATE,
        participant=thread.participant,
        obj=message,
        purpose=purpose,
        role=role,
        detail={"thread": str(thread.public_id)},
    )
    if from_family:
        _raise_task(thread, message)
    else:
        for task in _open_tasks(thread):
            do_complete_task(user, task, note="Answered in the thread.", now=now)
        # False only when the demo seeds its history; a guardian's thread is not the
        # participant's to be told about.
        if notify and thread.guardian_link_id is None:
            _notify_participant(thread.participant, message)
    return message


# --- read ---


@transaction.atomic
def do_mark_read(user: User, thread: Thread, *, now: datetime | None = None) -> None:
    """`user` has read the thread up to now. Staff reading acknowledges the team's open task
    (it stays open until someone answers or completes it in My work)."""
    now = now or timezone.now()
    _mark_read(user, thread, now)
    from_participant, from_guardian = _writer(user, thread)
    purpose, role = _purpose_role(from_participant, from_guardian)
    record(
        user,
        Action.UPDATE,
        participant=thread.participant,
        obj=thread,
        purpose=purpose,
        role=role,
        detail={"read": True},
    )
    if not (from_participant or from_guardian):
        for task in _open_tasks(thread):
            do_acknowledge_alert(user, task, now=now)


def do_open_thread(user: User, thread: Thread) -> bool:
    """`user` opens the thread (its page or the API): marked read when a message came since
    they last read it (`do_mark_read`, audited). True when it was unread."""
    if not is_unread(user, thread):
        return False
    do_mark_read(user, thread)
    return True


# --- file to the chart ---


def check_file_message(user: User, message: Message, note: Note) -> Note:
    """Quote the message in one of the user's own draft progress notes of the thread's
    episode, attributed and dated; the note is then edited and signed as usual."""
    from trellis.notes.models import NoteKind

    if message.filed_in:
        raise ValidationError({"note": _("This message is already filed to the chart.")})
    if (
        note.author_id != user.pk
        or not note.is_editable
        or note.kind != NoteKind.PROGRESS
        or note.episode_id != message.thread.episode_id
    ):
        raise ValidationError({"note": _("Choose one of your draft progress notes.")})
    from trellis.notes.actions import MAX_SECTION_LENGTH
    from trellis.notes.models import FORMAT_SECTIONS

    section = FORMAT_SECTIONS[note.format][0][0]
    if len(note.sections.get(section, "")) + len(quoted(message)) + 2 > MAX_SECTION_LENGTH:
        raise ValidationError({"note": _("The note's first section is full: start a new note.")})
    return do_file_message(user, message, note)


def quoted(message: Message) -> str:
    """The message as a quoted, attributed block: who wrote it, when (the program's zone)."""
    zone = message.thread.episode.program.organization.tz
    when = timezone.localtime(message.created_at, zone)
    author = (
        f"{message.thread.participant.given_name} {message.thread.participant.family_name} "
        "(participant)"
        if message.from_participant
        else f"{message.author.name} (parent/guardian)"
        if message.from_guardian
        else message.author.name
    )
    lines = "\n".join(f"> {line}" if line else ">" for line in message.body.split("\n"))
    return f"Secure message from {author}, {when:%Y-%m-%d %H:%M %Z}:\n{lines}"


@transaction.atomic
def do_file_message(user: User, message: Message, note: Note) -> Note:
    from trellis.notes.actions import NoteDraft, do_save_note
    from trellis.notes.models import FORMAT_SECTIONS

    section = FORMAT_SECTIONS[note.format][0][0]  # subjective / data / behavior / goal
    sections = note.sections
    before = sections.get(section, "").rstrip()
    sections[section] = f"{before}\n\n{quoted(message)}" if before else quoted(message)
    draft = NoteDraft(
        kind=note.kind,
        format=note.format,
        service=note.service,
        modality=note.modality,
        session_start=note.session_start,
        session_end=note.session_end,
        sections=sections,
        risk_level=note.risk_level,
        risk_notes=note.risk_notes,
        objectives=list(note.objectives),
    )
    saved = do_save_note(user, note, draft, revision=note.revision)
    Message.objects.filter(pk=message.pk).update(
        filed_in=f"notes.note:{note.public_id}", filed_at=timezone.now(), filed_by=user
    )
    record(
        user,
        Action.UPDATE,
        participant=message.thread.participant,
        obj=message,
        purpose=Purpose.TREAT,
        detail={"filed_in": f"notes.note:{note.public_id}"},
    )
    return saved
