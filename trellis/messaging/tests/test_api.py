"""Secure messages through the API (/api/v1/messaging/...): the participant's own threads
and staff's inbox, the pages' access functions and actions, idempotent writes, refusals
that name the field and store nothing, and the audited 404 for anyone else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event, Outcome
from trellis.messaging.actions import MAX_BODY
from trellis.messaging.models import Message, Thread
from trellis.messaging.tests.helpers import participant_writes, staff_writes
from trellis.participants.actions import do_discharge
from trellis.participants.models import DischargeReason
from trellis.worklist.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db

ME = "/api/v1/messaging/me/threads"
STAFF = "/api/v1/messaging"


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def test_write_list_reply_and_the_team_answers(world: World) -> None:
    phone = token_client(world.participant_user)
    listed = phone.get(ME).json()
    assert (listed["can_write"], listed["threads"]) == (True, [])
    assert listed["reply_time"] == "one business day"

    body = {"recipient": "care_team", "subject": "Evenings", "body": "Can I switch?"}
    first = post(phone, ME, body, **{"Idempotency-Key": "t-1"})
    retry = post(phone, ME, body, **{"Idempotency-Key": "t-1"})
    assert (first.status_code, retry.status_code) == (201, 200), first.content
    assert first.json()["public_id"] == retry.json()["public_id"]
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1
    thread = Thread.objects.get()
    task = Alert.objects.get(source=f"messaging.thread:{thread.public_id}")
    assert task.status == AlertStatus.OPEN

    mine = phone.get(f"{ME}/{thread.public_id}").json()
    assert [m["body"] for m in mine["messages"]] == ["Can I switch?"]
    assert mine["messages"][0]["author"].endswith(world.participant.family_name)

    clinician = token_client(world.clinician)
    inbox = clinician.get(f"{STAFF}/inbox").json()
    assert inbox["count"] == 1
    assert inbox["items"][0]["unread"] is True
    assert inbox["items"][0]["participant_public_id"] == str(world.participant.public_id)
    opened = clinician.get(f"{STAFF}/threads/{thread.public_id}").json()
    assert opened["was_unread"] is True
    task.refresh_from_db()
    assert task.status == AlertStatus.ACKNOWLEDGED  # read: acknowledged, not done
    assert clinician.get(f"{STAFF}/inbox").json()["items"][0]["unread"] is False

    answer = post(clinician, f"{STAFF}/threads/{thread.public_id}/messages",
                  {"body": "Yes, from Monday.", "idempotency_key": "a-1"})  # fmt: skip
    assert answer.status_code == 201, answer.content
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED

    shown = phone.get(ME).json()["threads"][0]
    assert shown["unread"] is True
    again = phone.get(f"{ME}/{thread.public_id}").json()
    assert again["was_unread"] is True
    assert [m["from_participant"] for m in again["messages"]] == [True, False]
    assert phone.get(ME).json()["threads"][0]["unread"] is False

    reply = post(phone, f"{ME}/{thread.public_id}/messages", {"body": "Thanks"},
                 **{"Idempotency-Key": "r-1"})  # fmt: skip
    replay = post(phone, f"{ME}/{thread.public_id}/messages", {"body": "Thanks"},
                  **{"Idempotency-Key": "r-1"})  # fmt: skip
    assert (reply.status_code, replay.status_code) == (201, 200)
    assert Message.objects.filter(thread=thread).count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recipient": "care_team", "body": "   "}, "body"),
        ({"recipient": "care_team", "body": "x" * (MAX_BODY + 1)}, "body"),
        ({"recipient": "the_mayor", "body": "Hello"}, "recipient"),
        ({"recipient": "care_team", "subject": "s" * 121, "body": "Hello"}, "subject"),
        ({"recipient": "care_team", "body": "Hi\u202e"}, "body"),
        ({"recipient": "care_team"}, "body"),
        ({"recipient": "care_team", "body": "Hi", "idempotency_key": "k" * 65}, "idempotency_key"),
    ],
)
def test_bad_messages_name_the_field_and_store_nothing(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = post(token_client(world.participant_user), ME, body)
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert not Thread.objects.exists()
    assert not Message.objects.exists()


def test_a_reply_after_the_program_ended_is_refused(world: World) -> None:
    thread = participant_writes(world.participant)
    yesterday = world.organization.today() - timedelta(days=1)
    episode = world.participant.episodes.get()
    do_discharge(None, episode, discharged_on=yesterday, reason=DischargeReason.COMPLETED)
    response = post(token_client(world.participant_user), f"{ME}/{thread.public_id}/messages",
                    {"body": "Still there?"})  # fmt: skip
    assert response.status_code == 422
    assert fields(response) == {"body"}
    assert Message.objects.count() == 1
    staff = post(token_client(world.director), f"{STAFF}/threads/{thread.public_id}/messages",
                 {"body": "Yes"})  # fmt: skip
    assert staff.status_code == 422
    assert Message.objects.count() == 1


def test_someone_elses_thread_is_the_audited_404(world: World) -> None:
    other = staff_writes(world.director, world.other_participant, "For Rowan only")
    phone = token_client(world.participant_user)
    for response in (
        phone.get(f"{ME}/{other.public_id}"),
        post(phone, f"{ME}/{other.public_id}/messages", {"body": "Hi"}),
        phone.get(f"{ME}/not-a-thread"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    denied = Event.objects.filter(actor=world.participant_user, outcome=Outcome.DENIED,
                                  object_type="messaging.thread")  # fmt: skip
    assert denied.count() == 3
    assert Message.objects.filter(thread=other).count() == 1
    assert "For Rowan only" not in str(phone.get(ME).content)


def test_staff_outside_the_care_team_get_the_audited_404(world: World) -> None:
    thread = participant_writes(world.participant)
    for persona in ("other_clinician", "front_desk", "outsider"):
        user = world.personas[persona]
        client = token_client(user)
        assert client.get(f"{STAFF}/threads/{thread.public_id}").status_code == 404, persona
        sent = post(client, f"{STAFF}/threads/{thread.public_id}/messages", {"body": "Hi"})
        assert sent.status_code == 404
        assert Event.objects.filter(actor=user, outcome=Outcome.DENIED).count() == 2
        assert client.get(f"{STAFF}/inbox").json()["count"] == 0
    assert Message.objects.count() == 1


def test_the_participant_api_is_not_for_staff_and_staff_api_is_not_for_participants(
    world: World,
) -> None:
    thread = participant_writes(world.participant)
    clinician = token_client(world.clinician)
    assert clinician.get(ME).status_code == 404  # not a participant: the audited 404
    assert clinician.get(f"{ME}/{thread.public_id}").status_code == 404
    assert post(clinician, ME, {"recipient": "care_team", "body": "Hi"}).status_code == 404
    phone = token_client(world.participant_user)
    assert phone.get(f"{STAFF}/inbox").status_code == 403
    assert phone.get(f"{STAFF}/threads/{thread.public_id}").status_code == 403
    assert post(phone, f"{STAFF}/threads/{thread.public_id}/messages",
                {"body": "Hi"}).status_code == 403  # fmt: skip
    assert Message.objects.count() == 1


def test_signed_out_gets_401(db: None) -> None:
    assert Client().get(ME).status_code == 401
    assert Client().get(f"{STAFF}/inbox").status_code == 401


def test_the_lists_run_the_same_queries_at_two_sizes(
    world: World, count_queries: CountQueries
) -> None:
    director = token_client(world.director)
    phone = token_client(world.participant_user)

    def write(n: int) -> None:
        for i in range(n):
            who = world.participant if i % 2 else world.other_participant
            staff_writes(world.director, who, f"Note {i}")

    write(3)
    director.get(f"{STAFF}/inbox")  # warm: the token's first use, the audit chain head
    phone.get(ME)
    with count_queries() as small_inbox:
        assert director.get(f"{STAFF}/inbox").status_code == 200
    with count_queries() as small_mine:
        assert phone.get(ME).status_code == 200
    write(40)
    with count_queries() as large_inbox:
        inbox = director.get(f"{STAFF}/inbox").json()
    with count_queries() as large_mine:
        mine = phone.get(ME).json()
    assert (inbox["count"], inbox["pages"], len(inbox["items"])) == (43, 2, 25)
    assert len(mine["threads"]) == 21
    assert small_inbox.count == large_inbox.count
    assert small_mine.count == large_mine.count
