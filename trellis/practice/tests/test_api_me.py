"""The participant's own practice through the API (/api/v1/practice/me/...), signed in with
an API token: the same access functions and actions as the participant's pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event, Outcome
from trellis.participants.models import Participant
from trellis.practice.models.assignments import Assignment, AssignmentStatus, PracticeEntry
from trellis.practice.models.diary import DiaryCard
from trellis.practice.models.safety import UnsafeReport
from trellis.practice.tests.helpers import assign_practice, dear_man, skill_practice_log
from trellis.practice.tests.test_safety_plan import _signed_plan
from trellis.worklist.models import Alert, AlertKind, Priority

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
BASE = "/api/v1/practice/me"


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def phone(world: World) -> Client:
    """The participant's phone app, signed in with their own API token."""
    return token_client(world.participant_user)


def assign_to(world: World, participant: Participant, **overrides: Any) -> Assignment:
    return assign_practice(world, participant, **overrides)


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def fields_of(response: Any) -> set[str]:
    return {error["field"] for error in response.json()["detail"]}


def test_lists_only_my_open_assignments(world: World, phone: Client) -> None:
    mine = assign_to(world, world.participant, title="Open one")
    closed = assign_to(world, world.participant, title="Closed one")
    closed.status = AssignmentStatus.EXCUSED
    closed.save(update_fields=["status"])
    assign_to(world, world.other_participant, title="Someone else's")
    response = phone.get(f"{BASE}/assignments")
    assert response.status_code == 200
    [row] = response.json()
    assert row["public_id"] == str(mine.public_id)
    assert (row["title"], row["skill"], row["done"]) == ("Open one", "Asking for what you need", 0)
    assert "id" not in row
    assert phone.get(f"{BASE}/assignments/{mine.public_id}").json()["title"] == "Open one"


def test_a_practice_entry_is_stored_once_on_retry(world: World, phone: Client) -> None:
    assignment = assign_to(world, world.participant)
    url = f"{BASE}/assignments/{assignment.public_id}/entries"
    body = {"practiced_on": world.organization.today().isoformat(), "rating": 7,
            "what_happened": "Asked my sister for a lift"}  # fmt: skip
    first = post(phone, url, body, idempotency_key="k-1")
    retry = post(phone, url, body, idempotency_key="k-1")
    assert (first.status_code, retry.status_code) == (201, 200), first.content
    assert first.json()["public_id"] == retry.json()["public_id"]
    assert first.json()["assignment_status"] == AssignmentStatus.DONE
    assert PracticeEntry.objects.filter(assignment=assignment).count() == 1
    entry = PracticeEntry.objects.get(assignment=assignment)
    assert entry.answers == {"what_happened": "Asked my sister for a lift"}
    assert entry.entered_by == world.participant_user


def test_a_worksheet_entry_goes_through_its_definition(world: World, phone: Client) -> None:
    sheet = skill_practice_log(world.organization)
    assignment = assign_to(world, world.participant, skill=None, worksheet=sheet)
    url = f"{BASE}/assignments/{assignment.public_id}/entries"
    today = world.organization.today().isoformat()
    skill = str(dear_man(world.organization).public_id)
    bad = post(phone, url, {"practiced_on": today, "answers": {"situation": "Work"},
                            "idempotency_key": "w-1"})  # fmt: skip
    assert bad.status_code == 422
    assert {"skill", "how_it_went"} <= fields_of(bad)
    answers = {"situation": "Work", "skill": skill, "how_it_went": 6}
    good = post(phone, url, {"practiced_on": today, "idempotency_key": "w-2", "answers": answers})
    assert good.status_code == 201, good.content
    assert good.json()["rating"] == 6
    shown = phone.get(f"{BASE}/assignments/{assignment.public_id}").json()
    assert shown["worksheet"] == "skill-practice"
    assert shown["worksheet_fields"][0]["key"] == "situation"
    assert shown["status"] == AssignmentStatus.DONE


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"practiced_on": "2099-01-01", "rating": 5}, {"idempotency_key": "b1"}, "practiced_on"),
        ({"practiced_on": "today", "rating": 5}, {"idempotency_key": "b2"}, "practiced_on"),
        ({"practiced_on": "TODAY", "rating": 11}, {"idempotency_key": "b3"}, "rating"),
        ({"practiced_on": "TODAY"}, {"idempotency_key": "b4"}, "rating"),
        ({"practiced_on": "TODAY", "rating": 5}, {}, "idempotency_key"),
        ({"practiced_on": "TODAY", "rating": 5, "answers": {"x": 1}}, {"idempotency_key": "b6"},
         "answers"),
    ],
)  # fmt: skip
def test_bad_entries_name_the_field_and_store_nothing(
    world: World, phone: Client, body: dict[str, Any], headers: dict[str, str], field: str
) -> None:
    assignment = assign_to(world, world.participant)
    if body["practiced_on"] == "TODAY":
        body = body | {"practiced_on": world.organization.today().isoformat()}
    url = f"{BASE}/assignments/{assignment.public_id}/entries"
    response = post(phone, url, body, **headers)
    assert response.status_code == 422, response.content
    assert field in fields_of(response)
    assert not PracticeEntry.objects.filter(assignment=assignment).exists()


def test_couldnt_do_it_needs_a_reason_and_is_stored_encrypted(world: World, phone: Client) -> None:
    assignment = assign_to(world, world.participant)
    url = f"{BASE}/assignments/{assignment.public_id}/could-not"
    empty = post(phone, url, {"reason": "  "})
    assert empty.status_code == 422
    assert fields_of(empty) == {"reason"}
    response = post(phone, url, {"reason": "My shift changed"})
    assert response.status_code == 200
    assert response.json()["could_not"] is True
    assignment.refresh_from_db()
    assert assignment.could_not_reason == "My shift changed"
    assert assignment.could_not_at is not None


def test_another_participants_assignment_is_a_404(world: World, phone: Client) -> None:
    theirs = assign_to(world, world.other_participant, title="Their practice")
    base = f"{BASE}/assignments/{theirs.public_id}"
    today = world.organization.today().isoformat()
    answers = [
        phone.get(base),
        post(phone, f"{base}/entries", {"practiced_on": today, "rating": 5}, idempotency_key="x"),
        post(phone, f"{base}/could-not", {"reason": "nope"}),
        phone.get(f"{BASE}/assignments/00000000-0000-0000-0000-000000000000"),
    ]
    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    assert answers[0].json() == answers[3].json()  # theirs looks like nothing at all
    assert not PracticeEntry.objects.filter(assignment=theirs).exists()
    theirs.refresh_from_db()
    assert theirs.could_not_at is None
    assert Event.objects.filter(
        actor=world.participant_user, outcome=Outcome.DENIED, object_id=str(theirs.public_id)
    ).exists()


def test_staff_get_a_404_from_the_participant_endpoints(
    world: World, client_for: ClientFor
) -> None:
    assignment = assign_to(world, world.participant)
    clinician = token_client(world.clinician)
    assert clinician.get(f"{BASE}/assignments").status_code == 404
    assert clinician.get(f"{BASE}/assignments/{assignment.public_id}").status_code == 404
    assert clinician.get(f"{BASE}/safety-plan").status_code == 404
    today = world.organization.today().isoformat()
    card = post(clinician, f"{BASE}/diary-cards", {"card_on": today, "answers": {"joy": 1}})
    assert card.status_code == 404
    assert post(clinician, f"{BASE}/safety-plan/not-safe", {}).status_code == 404
    assert Client().get(f"{BASE}/assignments").status_code == 401


def test_a_diary_card_today_and_back_filled_idempotent(world: World, phone: Client) -> None:
    today = world.organization.today()
    url = f"{BASE}/diary-cards"
    body = {"card_on": today.isoformat(), "answers": {"joy": 3}}
    first = post(phone, url, body, idempotency_key="d-1")
    retry = post(phone, url, body, idempotency_key="d-1")
    assert (first.status_code, retry.status_code) == (201, 200), first.content
    assert first.json()["urgent"] is False
    assert first.json()["late_entered"] is False
    yesterday = post(phone, url, {"card_on": (today - timedelta(days=1)).isoformat(),
                                  "answers": {"joy": 2}})  # fmt: skip
    assert yesterday.status_code == 201
    assert yesterday.json()["late_entered"] is True
    assert DiaryCard.objects.filter(participant=world.participant).count() == 2
    too_old = post(phone, url, {"card_on": (today - timedelta(days=30)).isoformat(),
                                "answers": {"joy": 2}})  # fmt: skip
    assert too_old.status_code == 422
    assert fields_of(too_old) == {"card_on"}
    out_of_range = post(phone, url, {"card_on": (today - timedelta(days=2)).isoformat(),
                                     "answers": {"joy": 9}})  # fmt: skip
    assert out_of_range.status_code == 422
    assert "joy" in fields_of(out_of_range)
    assert DiaryCard.objects.filter(participant=world.participant).count() == 2


def test_a_high_urge_raises_one_urgent_alert_and_answers_with_the_crisis_numbers(
    world: World, phone: Client
) -> None:
    world.program.crisis_phone = "555-0100"
    world.program.save(update_fields=["crisis_phone"])
    body = {"card_on": world.organization.today().isoformat(), "answers": {"self_harm_urge": 4}}
    response = post(phone, f"{BASE}/diary-cards", body, idempotency_key="u-1")
    assert response.status_code == 201
    assert response.json()["urgent"] is True
    assert response.json()["crisis"] == {
        "crisis_line": "988", "program_phone": "555-0100", "emergency": "911"
    }  # fmt: skip
    post(phone, f"{BASE}/diary-cards", body, idempotency_key="u-1")
    alerts = Alert.objects.filter(participant=world.participant, kind=AlertKind.PRACTICE_RISK)
    assert [a.priority for a in alerts] == [Priority.URGENT]


def test_my_safety_plan_is_the_signed_version(world: World, phone: Client) -> None:
    before = phone.get(f"{BASE}/safety-plan")
    assert before.status_code == 200
    assert before.json()["plan"] is None
    assert before.json()["crisis"]["crisis_line"] == "988"
    plan = _signed_plan(world)
    response = phone.get(f"{BASE}/safety-plan").json()
    assert response["plan"]["version"] == plan.version
    sections = {s["key"]: s["items"] for s in response["plan"]["sections"]}
    assert sections["warning_signs"] == ["Not sleeping", "Skipping group"]


def test_i_am_not_safe_raises_one_urgent_alert_a_day(world: World, phone: Client) -> None:
    url = f"{BASE}/safety-plan/not-safe"
    first = post(phone, url, {})
    again = post(phone, url, {})
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json()["created"] is True
    assert again.json()["created"] is False
    alerts = Alert.objects.filter(participant=world.participant, kind=AlertKind.PRACTICE_RISK)
    assert [a.priority for a in alerts] == [Priority.URGENT]
    assert UnsafeReport.objects.filter(participant=world.participant).count() == 1
