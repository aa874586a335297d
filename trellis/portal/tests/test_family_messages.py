"""A guardian's messages to the care team (docs/portal.md, "Guardians", "Messages"): the
guardian writes → the staff inbox, the chart's Messages tab and a task in My work; the team
answers → the guardian reads it; the teenager never sees their guardian's threads and the
guardian never the teenager's; the policy, an ended link and other people's ids; bad input;
the query count of the guardian's list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome, Purpose
from trellis.messaging.actions import GUARDIAN_TASK_TITLE, NewThread, do_reply, do_start_thread
from trellis.messaging.models import Message, Recipient, Thread
from trellis.messaging.queries import unread_count
from trellis.messaging.tests.helpers import participant_writes
from trellis.notifications.models import Notification
from trellis.participants.actions.guardians import do_end_guardian_link, do_set_guardian_policy
from trellis.participants.models import GuardianKind, Participant
from trellis.participants.tests.guardian_factories import Teens, build_teens
from trellis.worklist.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
WITHOUT_MESSAGES: set[str] = {
    GuardianKind.SCHEDULE,
    GuardianKind.ATTENDANCE,
    GuardianKind.CHECKINS_DUE,
}


@pytest.fixture
def teens(world: World) -> Teens:
    return build_teens(world)


def _urls(participant: Participant, thread: Thread | None = None) -> dict[str, str]:
    urls = {
        "list": reverse("portal:family-messages", args=[participant.public_id]),
        "new": reverse("portal:family-message-new", args=[participant.public_id]),
    }
    if thread is not None:
        urls["thread"] = reverse(
            "portal:family-message", args=[participant.public_id, thread.public_id]
        )
    return urls


def _write(client: Client, participant: Participant, **post: Any) -> Any:
    data = {"subject": "Tobin's sleep", "body": "He is not sleeping well."} | post
    return client.post(_urls(participant)["new"], data)


def _guardian_thread(teens: Teens, body: str = "Is he doing the homework?") -> Thread:
    return do_start_thread(
        teens.guardian,
        teens.teen,
        teens.teen.episodes.get(),
        NewThread(recipient=Recipient.CARE_TEAM, subject="Homework", body=body),
        guardian_link=teens.link,
    )


def _teen_user(teens: Teens) -> User:
    user = User.objects.create_user(username="tobin", password=PASSWORD)
    Participant.objects.filter(pk=teens.teen.pk).update(user=user)
    teens.teen.refresh_from_db()
    return user


def test_a_guardian_writes_and_the_team_answers(
    world: World, teens: Teens, client_for: Clients
) -> None:
    gale = client_for(teens.guardian)
    family = gale.get(f"/family/{teens.teen.public_id}/").content.decode()
    assert 'id="messages-h"' in family
    compose = gale.get(_urls(teens.teen)["new"])
    assert compose.status_code == 200
    page = compose.content.decode()
    assert 'href="tel:988"' in page  # the crisis text on the compose screen
    assert "un día hábil" in page  # the program's reply time, in the guardian's Spanish
    assert "portal-crisis" in page or "crisis" in page

    response = _write(gale, teens.teen, idempotency_key="g1")
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _urls(teens.teen, thread)["thread"]
    assert thread.guardian_link == teens.link
    assert thread.awaiting_team
    (message,) = Message.objects.all()
    assert message.author == teens.guardian
    assert message.from_guardian
    assert not message.from_participant
    created = Event.objects.get(
        actor=teens.guardian, action=Action.CREATE, object_type="messaging.thread"
    )
    assert (created.purpose, created.role) == (Purpose.FAMRQT, "guardian")

    # A task for the therapist, exactly like a participant's, saying nothing of the content.
    task = Alert.objects.get(source=f"messaging.thread:{thread.public_id}")
    assert task.title == GUARDIAN_TASK_TITLE
    assert list(task.recipients.values_list("user_id", flat=True)) == [world.clinician.pk]
    assert "sleep" not in task.title + task.detail

    therapist = client_for(world.clinician)
    inbox = therapist.get(reverse("messaging:inbox")).content.decode()
    assert "Tobin&#x27;s sleep" in inbox
    assert "from Gale Wexcombe (parent/guardian)" in inbox
    chart = therapist.get(reverse("messaging:chart-tab", args=[teens.teen.public_id]))
    assert "from Gale Wexcombe (parent/guardian)" in chart.content.decode()
    staff_page = therapist.get(reverse("messaging:thread", args=[thread.public_id]))
    assert "Gale Wexcombe (parent/guardian)" in staff_page.content.decode()
    assert "He is not sleeping well." in staff_page.content.decode()

    answered = therapist.post(
        reverse("messaging:thread", args=[thread.public_id]),
        {"body": "Thanks, let's talk on Thursday.", "idempotency_key": "s1"},
    )
    assert answered.status_code == 302
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED
    thread.refresh_from_db()
    assert not thread.awaiting_team
    # Notifications go to participants only: nothing is queued for the teenager.
    assert not Notification.objects.filter(participant=teens.teen).exists()

    family = gale.get(f"/family/{teens.teen.public_id}/").content.decode()
    assert "1 conversación con una respuesta nueva" in family
    listed = gale.get(_urls(teens.teen)["list"]).content.decode()
    assert "Tobin&#x27;s sleep" in listed
    read = gale.get(_urls(teens.teen, thread)["thread"])
    assert "Thanks, let&#x27;s talk on Thursday." in read.content.decode()
    viewed = Event.objects.filter(
        actor=teens.guardian, action=Action.VIEW, object_type="messaging.thread"
    ).last()
    assert viewed is not None
    assert (viewed.purpose, viewed.role) == (Purpose.FAMRQT, "guardian")

    # The guardian replies: the team owes an answer again, a new task.
    gale.post(
        _urls(teens.teen, thread)["thread"], {"body": "Thursday works.", "idempotency_key": "g2"}
    )
    thread.refresh_from_db()
    assert thread.awaiting_team
    assert Alert.objects.filter(source=task.source, status=AlertStatus.OPEN).count() == 1


def test_the_teenager_does_not_see_their_guardians_threads(
    teens: Teens, client_for: Clients
) -> None:
    teen = _teen_user(teens)
    thread = _guardian_thread(teens)
    client = client_for(teen)
    assert "Homework" not in client.get(reverse("messaging:mine")).content.decode()
    own = client.get(reverse("messaging:my-thread", args=[thread.public_id]))
    assert own.status_code == 404
    assert "homework" not in own.content.decode()
    assert (
        client.post(
            reverse("messaging:my-thread", args=[thread.public_id]), {"body": "Hi"}
        ).status_code
        == 404
    )
    assert Message.objects.count() == 1
    assert unread_count(teen, teens.teen) == 0
    assert "Homework" not in client.get("/api/v1/messaging/me/threads").content.decode()


def test_the_guardian_never_sees_the_teenagers_own_threads(
    teens: Teens, client_for: Clients
) -> None:
    _teen_user(teens)
    teen_thread = participant_writes(teens.teen, "I want to change groups", subject="Groups")
    gale = client_for(teens.guardian)
    assert "Groups" not in gale.get(_urls(teens.teen)["list"]).content.decode()
    url = _urls(teens.teen, teen_thread)["thread"]
    response = gale.get(url)
    assert response.status_code == 404
    assert "change groups" not in response.content.decode()
    assert gale.post(url, {"body": "Hello", "idempotency_key": "x"}).status_code == 404
    assert Message.objects.count() == 1
    assert Event.objects.filter(
        actor=teens.guardian,
        action=Action.DENY,
        outcome=Outcome.DENIED,
        object_id=str(teen_thread.public_id),
        purpose=Purpose.FAMRQT,
    ).exists()


def test_a_policy_without_messages_means_no_messaging(
    world: World, teens: Teens, client_for: Clients
) -> None:
    thread = _guardian_thread(teens)
    do_set_guardian_policy(world.director, teens.program, WITHOUT_MESSAGES)
    gale = client_for(teens.guardian)
    assert 'id="messages-h"' not in gale.get(f"/family/{teens.teen.public_id}/").content.decode()
    for url in _urls(teens.teen, thread).values():
        assert gale.get(url).status_code == 404, url
        assert gale.post(url, {"body": "Still there?", "idempotency_key": url}).status_code == 404
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1


def test_an_ended_link_opens_nothing_and_stores_nothing(
    world: World, teens: Teens, client_for: Clients
) -> None:
    thread = _guardian_thread(teens)
    do_end_guardian_link(world.clinician, teens.link)
    gale = client_for(teens.guardian)
    for url in _urls(teens.teen, thread).values():
        assert gale.get(url).status_code == 404, url
        assert gale.post(url, {"body": "Hello?", "idempotency_key": url}).status_code == 404
    assert Message.objects.count() == 1
    # Staff still read and answer; nobody is notified.
    do_reply(world.clinician, thread, "We will call you.")
    assert not Notification.objects.exists()


def test_another_participants_id_is_the_audited_404(
    world: World, teens: Teens, client_for: Clients
) -> None:
    thread = _guardian_thread(teens)
    gale = client_for(teens.guardian)
    for target in (teens.sibling, world.participant):
        for url in _urls(target).values():
            response = gale.get(url)
            assert response.status_code == 404, url
            assert target.given_name not in response.content.decode()
        assert _write(gale, target).status_code == 404
        # Their own thread under another participant's address: 404 too.
        assert gale.get(_urls(target, thread)["thread"]).status_code == 404
        assert Event.objects.filter(
            actor=teens.guardian,
            action=Action.DENY,
            object_id=str(target.public_id),
            purpose=Purpose.FAMRQT,
        ).exists()
    assert Thread.objects.count() == 1


def test_bad_input_stores_nothing_and_html_is_shown_escaped(
    teens: Teens, client_for: Clients
) -> None:
    gale = client_for(teens.guardian)
    assert _write(gale, teens.teen, body="   ").status_code == 400
    too_long = _write(gale, teens.teen, body="x" * 1_000_000)
    assert too_long.status_code == 400
    assert "1,000,000" in too_long.content.decode()
    assert not Thread.objects.exists()

    _write(gale, teens.teen, body="<script>alert(1)</script>", idempotency_key="once")
    _write(gale, teens.teen, body="<script>alert(1)</script>", idempotency_key="once")
    thread = Thread.objects.get()
    assert Message.objects.count() == 1
    page = gale.get(_urls(teens.teen, thread)["thread"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    url = _urls(teens.teen, thread)["thread"]
    assert gale.post(url, {"body": "", "idempotency_key": "r"}).status_code == 400
    gale.post(url, {"body": "Again", "idempotency_key": "r2"})
    gale.post(url, {"body": "Again", "idempotency_key": "r2"})
    assert Message.objects.count() == 2


def test_the_guardians_list_runs_the_same_queries_at_two_sizes(
    teens: Teens, client_for: Clients, count_queries: CountQueries
) -> None:
    gale = client_for(teens.guardian)
    url = _urls(teens.teen)["list"]
    _guardian_thread(teens)
    gale.get(url)
    with count_queries() as small:
        assert gale.get(url).status_code == 200
    for _ in range(10):
        _guardian_thread(teens)
    with count_queries() as large:
        response = gale.get(url)
    assert response.content.decode().count("Homework") == 11
    assert small.count == large.count
