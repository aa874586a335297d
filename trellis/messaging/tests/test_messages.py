"""Secure messages end to end (docs/portal.md, "Messages"): the lifecycle, permissions, bad
input, double submits, filing to a note and the inbox's query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.messaging.actions import MAX_BODY, do_reply
from trellis.messaging.models import Message, ProgramInbox, Thread
from trellis.messaging.queries import unread_count
from trellis.messaging.tests.helpers import participant_writes, staff_writes
from trellis.notes.actions import NoteHeader, check_create_note
from trellis.notes.models import Modality, Note, NoteFormat, NoteKind, Service
from trellis.notifications.actions import do_deliver_due
from trellis.worklist.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _new(client: Client, **post: Any) -> Any:
    data = {"recipient": "care_team", "subject": "Changing tracks", "body": "Hello"} | post
    return client.post(reverse("messaging:new"), data)


def test_the_lifecycle_from_message_to_worklist_to_reply_to_reading(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    pat = client_for(world.participant_user)
    compose = pat.get(reverse("messaging:new"))
    assert compose.status_code == 200
    page = compose.content.decode()
    assert "Your team usually replies within one business day." in page
    assert "Plain text, up to 5,000 characters. No attachments." in page
    assert "This is not for emergencies." in page
    assert 'href="tel:988"' in page

    response = _new(
        pat, body="Can I switch to the evening track? Work changed.", idempotency_key="k1"
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:my-thread", args=[thread.public_id])
    # Encrypted at rest: the column holds a Fernet token, never the words.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA")
    assert "evening" not in stored

    # A task for the therapist (the primary clinician), saying nothing of the content.
    task = Alert.objects.get(source=f"messaging.thread:{thread.public_id}")
    assert task.status == AlertStatus.OPEN
    assert list(task.recipients.values_list("user_id", flat=True)) == [world.clinician.pk]
    assert "evening" not in task.title + task.detail
    worklist = client_for(world.clinician).get(reverse("worklist:detail", args=[task.public_id]))
    assert reverse("messaging:thread", args=[thread.public_id]) in worklist.content.decode()

    # The therapist reads it: audited, the task acknowledged (it stays open until answered).
    therapist = client_for(world.clinician)
    inbox = therapist.get(reverse("messaging:inbox")).content.decode()
    assert "Changing tracks" in inbox
    assert "Unread" in inbox
    read = therapist.get(reverse("messaging:thread", args=[thread.public_id]))
    assert "Work changed." in read.content.decode()
    assert Event.objects.filter(
        actor=world.clinician,
        action=Action.VIEW,
        object_type="messaging.thread",
        object_id=str(thread.public_id),
    ).exists()
    task.refresh_from_db()
    assert task.status == AlertStatus.ACKNOWLEDGED

    # The reply closes the task and emails the participant without any content.
    with django_capture_on_commit_callbacks(execute=True):
        replied = therapist.post(
            reverse("messaging:thread", args=[thread.public_id]),
            {"body": "Yes: from Monday, 6 pm.", "idempotency_key": "r1"},
        )
    assert replied.status_code == 302
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED
    assert do_deliver_due() == 1  # the notifications sweep (docs/portal.md, "Notifications")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.participant.email]
    assert email.subject == "You have a new message from your care team"
    text = email.subject + email.body
    for secret in ("Monday", "evening", "Changing tracks", "Clinician", "IOP", "Casey"):
        assert secret not in text
    assert "/me/messages/" in email.body

    # The participant sees it on the home card and reads it.
    assert unread_count(world.participant_user, world.participant) == 1
    home = pat.get(reverse("portal:home")).content.decode()
    assert "1 conversation with a new message" in home
    mine = pat.get(reverse("messaging:my-thread", args=[thread.public_id])).content.decode()
    assert "Yes: from Monday, 6 pm." in mine
    assert unread_count(world.participant_user, world.participant) == 0
    assert "No new messages." in pat.get(reverse("portal:home")).content.decode()


def test_a_new_message_after_the_answer_raises_a_new_task(world: World) -> None:
    thread = participant_writes(world.participant)
    do_reply(world.clinician, thread, "Answered.")
    do_reply(world.participant_user, thread, "One more question.")
    do_reply(world.participant_user, thread, "And another.")
    tasks = Alert.objects.filter(source=f"messaging.thread:{thread.public_id}")
    assert sorted(tasks.values_list("status", flat=True)) == ["open", "resolved"]


def test_the_program_inbox_goes_to_the_programs_director(world: World) -> None:
    thread = participant_writes(world.participant, recipient="program")
    task = Alert.objects.get(source=f"messaging.thread:{thread.public_id}")
    assert task.owner == world.director


def test_another_participants_thread_is_the_audited_404(world: World, client_for: Clients) -> None:
    staff_thread = staff_writes(world.other_clinician, world.other_participant, "Private words")
    pat = client_for(world.participant_user)
    url = reverse("messaging:my-thread", args=[staff_thread.public_id])
    assert pat.get(url).status_code == 404
    assert pat.post(url, {"body": "hijack"}).status_code == 404
    assert Message.objects.filter(thread=staff_thread).count() == 1
    assert Event.objects.filter(
        actor=world.participant_user,
        outcome=Outcome.DENIED,
        object_type="messaging.thread",
        object_id=str(staff_thread.public_id),
    ).exists()
    assert "Private words" not in pat.get(reverse("messaging:mine")).content.decode()


@pytest.mark.parametrize("persona", ["front_desk", "other_clinician", "outsider", "intake"])
def test_staff_who_do_not_see_the_participant_clinically_get_404(
    world: World, client_for: Clients, persona: str
) -> None:
    thread = participant_writes(world.participant, "Words for my therapist")
    client = client_for(world.personas[persona])
    for url in (
        reverse("messaging:thread", args=[thread.public_id]),
        reverse("messaging:chart-tab", args=[world.participant.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Words for my therapist" not in client.get(reverse("messaging:inbox")).content.decode()
    posted = client.post(reverse("messaging:thread", args=[thread.public_id]), {"body": "x"})
    assert posted.status_code == 404
    assert Message.objects.filter(thread=thread).count() == 1


def test_the_director_reads_and_the_chart_tab_lists(world: World, client_for: Clients) -> None:
    thread = participant_writes(world.participant)
    director = client_for(world.director)
    assert director.get(reverse("messaging:thread", args=[thread.public_id])).status_code == 200
    tab = director.get(reverse("messaging:chart-tab", args=[world.participant.public_id]))
    assert tab.status_code == 200
    assert "Changing tracks" in tab.content.decode()


def test_who_gets_what_on_the_other_side(world: World, client_for: Clients) -> None:
    assert client_for(world.participant_user).get(reverse("messaging:inbox")).status_code == 403
    staff = client_for(world.clinician).get(reverse("messaging:mine"))
    assert staff.status_code == 302
    assert staff["Location"] == reverse("today")
    assert Client().get(reverse("messaging:mine")).status_code == 302  # to sign in


def test_a_megabyte_an_empty_message_and_control_characters_store_nothing(
    world: World, client_for: Clients
) -> None:
    pat = client_for(world.participant_user)
    big = _new(pat, body="x" * 1_000_000)
    assert big.status_code == 400
    assert f"under {MAX_BODY:,} characters" in big.content.decode()
    empty = _new(pat, body="   \n ")
    assert empty.status_code == 400
    assert "Write your message." in empty.content.decode()
    control = _new(pat, body="hi\x00there")
    assert control.status_code == 400
    no_one = _new(pat, recipient="the-director")
    assert no_one.status_code == 400
    assert "Choose who the message is for." in no_one.content.decode()
    assert Thread.objects.count() == 0
    assert Message.objects.count() == 0
    assert Alert.objects.count() == 0
    thread = participant_writes(world.participant)
    reply = pat.post(
        reverse("messaging:my-thread", args=[thread.public_id]), {"body": "y" * (MAX_BODY + 1)}
    )
    assert reply.status_code == 400
    assert Message.objects.count() == 1


def test_html_is_kept_as_typed_and_shown_escaped(world: World, client_for: Clients) -> None:
    body = '<script>alert("x")</script><b>bold</b> <a href="https://evil.test">link</a>'
    thread = participant_writes(world.participant, body)
    assert thread.messages.get().body == body
    for client, url in (
        (
            client_for(world.participant_user),
            reverse("messaging:my-thread", args=[thread.public_id]),
        ),
        (client_for(world.clinician), reverse("messaging:thread", args=[thread.public_id])),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>bold</b>" not in page
        assert "&lt;script&gt;" in page
        assert 'href="https://evil.test"' not in page


def test_a_double_submit_stores_one_message(world: World, client_for: Clients) -> None:
    pat = client_for(world.participant_user)
    first = _new(pat, idempotency_key="same-form")
    second = _new(pat, idempotency_key="same-form")
    assert first["Location"] == second["Location"]
    thread = Thread.objects.get()
    assert Message.objects.count() == 1
    assert Alert.objects.count() == 1
    url = reverse("messaging:thread", args=[thread.public_id])
    therapist = client_for(world.clinician)
    for _ in range(2):
        therapist.post(url, {"body": "Once only", "idempotency_key": "reply-form"})
    assert Message.objects.filter(body="Once only").count() == 0  # encrypted: not searchable
    assert Message.objects.filter(thread=thread).count() == 2


def test_the_compose_screen_shows_the_programs_reply_time_and_crisis_phone(
    world: World, client_for: Clients
) -> None:
    ProgramInbox.objects.create(program=world.program, reply_time="two business days")
    world.program.crisis_phone = "555-0199"
    world.program.save()
    page = client_for(world.participant_user).get(reverse("messaging:new")).content.decode()
    assert "Your team usually replies within two business days." in page
    assert 'href="tel:555-0199"' in page


def test_a_message_is_filed_as_a_quoted_block_in_a_draft_note(
    world: World, client_for: Clients
) -> None:
    thread = participant_writes(world.participant, "I practised DEAR MAN\nwith my boss.")
    message = thread.messages.get()
    start = timezone.now() - timedelta(hours=2)
    note = check_create_note(
        world.clinician,
        thread.episode,
        NoteHeader(
            kind=NoteKind.PROGRESS,
            format=NoteFormat.SOAP,
            service=Service.INDIVIDUAL_THERAPY,
            modality=Modality.IN_PERSON,
            session_start=start,
            session_end=start + timedelta(minutes=50),
        ),
    )
    therapist = client_for(world.clinician)
    page = therapist.get(reverse("messaging:thread", args=[thread.public_id])).content.decode()
    assert "File to a draft note" in page
    url = reverse("messaging:file-message", args=[thread.public_id, message.public_id])
    assert therapist.post(url, {"note": str(note.public_id)}).status_code == 302
    subjective = Note.objects.get(pk=note.pk).sections["subjective"]
    assert subjective.startswith("Secure message from ")
    assert "(participant)" in subjective
    assert "> I practised DEAR MAN\n> with my boss." in subjective
    message.refresh_from_db()
    assert message.filed_in == f"notes.note:{note.public_id}"
    # Filing twice, or into someone else's note, is refused with a message; nothing changes.
    therapist.post(url, {"note": str(note.public_id)})
    director = client_for(world.director)
    director.post(url, {"note": str(note.public_id)})
    assert Note.objects.get(pk=note.pk).sections["subjective"] == subjective


def _threads(world: World, n: int) -> None:
    for i in range(n):
        who = world.participant if i % 2 else world.other_participant
        staff_writes(world.director, who, f"Note {i}")


def test_the_inbox_runs_the_same_queries_at_two_sizes(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    director = client_for(world.director)
    _threads(world, 3)
    director.get(reverse("messaging:inbox"))  # warm the session and caches
    with count_queries() as small:
        assert director.get(reverse("messaging:inbox")).status_code == 200
    _threads(world, 40)
    with count_queries() as large:
        response = director.get(reverse("messaging:inbox"))
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()
    assert small.count == large.count


def test_the_chart_tab_runs_the_same_queries_at_two_sizes(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    director = client_for(world.director)
    url = reverse("messaging:chart-tab", args=[world.participant.public_id])
    staff_writes(world.director, world.participant)
    director.get(url)
    with count_queries() as small:
        director.get(url)
    for _ in range(10):
        staff_writes(world.director, world.participant)
    with count_queries() as large:
        director.get(url)
    assert small.count == large.count


def test_a_form_token_used_by_someone_else_stores_nothing(
    world: World, client_for: Clients
) -> None:
    pat = client_for(world.participant_user)
    _new(pat, idempotency_key="token-1")
    thread = Thread.objects.get()
    response = client_for(world.clinician).post(
        reverse("messaging:thread", args=[thread.public_id]),
        {"body": "Mine", "idempotency_key": "token-1"},
    )
    assert response.status_code == 400
    assert "This form was already used" in response.content.decode()
    assert Message.objects.count() == 1


def test_without_an_open_episode_nothing_can_be_sent(world: World) -> None:
    from django.core.exceptions import ValidationError

    from trellis.messaging.actions import NewThread, check_start_thread

    with pytest.raises(ValidationError) as raised:
        check_start_thread(
            world.participant_user,
            world.participant,
            None,
            NewThread(recipient="care_team", subject="", body="Hello"),
        )
    assert "while you are in a program" in str(raised.value)
    assert Thread.objects.count() == 0


def test_the_task_is_due_the_next_business_day(world: World) -> None:
    from datetime import datetime

    from trellis.messaging.actions import NewThread, do_start_thread

    friday_evening = datetime(2026, 12, 4, 18, 0, tzinfo=world.organization.tz)
    thread = do_start_thread(
        world.participant_user,
        world.participant,
        world.participant.episodes.get(),
        NewThread(recipient="care_team", subject="", body="Weekend question"),
        now=friday_evening,
    )
    task = Alert.objects.get(source=f"messaging.thread:{thread.public_id}")
    due = timezone.localtime(task.due_at, world.organization.tz)
    assert (due.weekday(), due.hour) == (0, 18)  # Monday, same hour
