"""The intake API: what each persona sees and may do, every bad input named, audit events,
and a list that runs the same queries at any size."""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.intake import schemas
from trellis.intake.actions import check_create_inquiry, do_change_inquiry_status
from trellis.intake.models import (
    ContactPreference,
    EventKind,
    Inquiry,
    InquirySource,
    InquiryStatus,
    Payment,
    PreferredSchedule,
)
from trellis.intake.tests.test_inquiries import details

pytestmark = pytest.mark.django_db

API = "/api/v1/intake"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}


def an_inquiry(world: World, *, program: Any = None) -> Inquiry:
    return check_create_inquiry(world.intake, program or world.program, details())


def test_the_status_and_source_names_match_the_models() -> None:
    assert set(typing.get_args(schemas.InquiryStatusName)) == set(InquiryStatus.values)
    assert set(typing.get_args(schemas.InquirySourceName)) == set(InquirySource.values)
    assert set(typing.get_args(schemas.PaymentName)) == set(Payment.values)
    assert set(typing.get_args(schemas.PreferredScheduleName)) == set(PreferredSchedule.values)
    assert set(typing.get_args(schemas.ContactPreferenceName)) == set(ContactPreference.values)


# --- listing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees", "reason"),
    [
        ("director", True, True),
        ("intake", True, True),
        ("front_desk", True, False),
        ("clinician", False, False),
        ("compliance", False, False),
        ("outsider", False, False),
    ],
)
def test_each_persona_lists_only_their_programs_inquiries_and_front_desk_no_reason(
    world: World, client_for: Callable[[User], Client], persona: str, sees: bool, reason: bool
) -> None:
    mine = an_inquiry(world)
    an_inquiry(world, program=world.sud_program)
    body = client_for(world.personas[persona]).get(f"{API}/inquiries").json()
    ids = [item["public_id"] for item in body["items"]]
    assert ids == ([str(mine.public_id)] if sees else [])
    if sees:
        item = body["items"][0]
        assert item["phone"] == "555-0100"
        assert item["reason"] == (mine.reason if reason else None)
        assert item["scope"] == ("clinical" if reason else "contact")


def test_the_participant_gets_403_from_the_intake_api(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert client_for(world.participant_user).get(f"{API}/inquiries").status_code == 403


def test_a_token_lists_inquiries_as_its_owner(world: World) -> None:
    an_inquiry(world)
    _, secret = do_create_api_token(world.front_desk, name="desk phone app")
    response = Client().get(f"{API}/inquiries", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["items"][0]["reason"] is None
    assert Client().get(f"{API}/inquiries").status_code == 401


def test_the_list_filters_by_program_and_status_and_pages(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first, second, third = (an_inquiry(world) for _ in range(3))
    do_change_inquiry_status(world.intake, second, InquiryStatus.CONTACTED)
    client = client_for(world.director)
    body = client.get(f"{API}/inquiries?status=contacted").json()
    assert [i["public_id"] for i in body["items"]] == [str(second.public_id)]
    body = client.get(f"{API}/inquiries?program={world.sud_program.public_id}").json()
    assert body["count"] == 0
    body = client.get(f"{API}/inquiries?limit=2&offset=1").json()
    assert body["count"] == 3
    # Newest first: third, second, first.
    assert [i["public_id"] for i in body["items"]] == [str(second.public_id), str(first.public_id)]
    assert third.pk


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=lost", "status"), ("limit=0", "limit"), ("offset=-1", "offset"),
     ("program=not-a-uuid", "program")],
)  # fmt: skip
def test_bad_list_filters_are_named(
    world: World, client_for: Callable[[User], Client], query: str, field: str
) -> None:
    response = client_for(world.director).get(f"{API}/inquiries?{query}")
    assert fields_of(response) == {field}


def test_the_list_records_one_list_event_per_inquiry_shown(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiries = [an_inquiry(world) for _ in range(2)]
    client_for(world.intake).get(f"{API}/inquiries")
    events = Event.objects.filter(action=Action.LIST, object_type="intake.inquiry")
    assert sorted(e.object_id for e in events) == sorted(str(i.public_id) for i in inquiries)
    assert all(e.detail["via"] == "api" and e.detail["results"] == 2 for e in events)


def test_an_empty_list_still_records_the_search(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client_for(world.intake).get(f"{API}/inquiries?status=closed")
    event = Event.objects.get(action=Action.LIST, object_type="intake.inquiry")
    assert (event.object_id, event.detail["status"]) == ("", "closed")


def _list_queries(client: Client, count_queries: CountQueries) -> int:
    client.get(f"{API}/inquiries")  # a first request may refresh the session's idle stamp
    with count_queries() as queries:
        response = client.get(f"{API}/inquiries?limit=100")
    assert response.status_code == 200
    return queries.count


def test_the_list_runs_the_same_queries_for_2_and_for_60_inquiries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.intake)
    for _ in range(2):
        an_inquiry(world)
    small = _list_queries(client, count_queries)
    for n in range(58):
        inquiry = an_inquiry(world)
        if n % 3 == 0:
            do_change_inquiry_status(world.intake, inquiry, InquiryStatus.CONTACTED)
    assert Inquiry.objects.count() == 60
    assert _list_queries(client, count_queries) == small


# --- creating ---------------------------------------------------------------------------------


def new_body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "program": str(world.program.public_id),
        "source": "phone",
        "given_name": "Ana",
        "family_name": "Quill",
        "phone": "555-0142",
        "reason": "Panic attacks at work.",
        "consent_to_contact": True,
    }
    return body | changes


@pytest.mark.parametrize("persona", ["director", "intake", "front_desk"])
def test_staff_who_work_inquiries_record_one(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = post(client_for(world.personas[persona]), "/inquiries", new_body(world))
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert (inquiry.given_name, inquiry.reason, inquiry.status) == (
        "Ana",
        "Panic attacks at work.",
        "new",
    )
    body = response.json()
    assert body["public_id"] == str(inquiry.public_id)
    # The front desk takes the call but does not read the reason back.
    assert body["reason"] == (None if persona == "front_desk" else "Panic attacks at work.")
    assert Event.objects.filter(action=Action.CREATE, object_type="intake.inquiry").count() == 1


@pytest.mark.parametrize("persona", ["clinician", "compliance", "outsider"])
def test_others_cannot_record_an_inquiry_for_the_program(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = post(client_for(world.personas[persona]), "/inquiries", new_body(world))
    assert fields_of(response) == {"program"}
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_name": " "}, "given_name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"source": "fax"}, "source"),
        ({"source": "referral"}, "referrer_organization"),
        ({"payment": "barter"}, "payment"),
        ({"email": "not-an-address"}, "email"),
        ({"date_of_birth": 19900101}, "date_of_birth"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"program": "00000000-0000-0000-0000-000000000000"}, "program"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: World, client_for: Callable[[User], Client], changes: dict[str, Any], field: str
) -> None:
    response = post(client_for(world.intake), "/inquiries", new_body(world, **changes))
    assert field in fields_of(response)
    assert not Inquiry.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    born = str(org_today() + timedelta(days=1))
    response = post(client_for(world.intake), "/inquiries", new_body(world, date_of_birth=born))
    assert fields_of(response) == {"date_of_birth"}


# --- one inquiry ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "clinical"),
    [
        ("director", 200, True),
        ("intake", 200, True),
        ("front_desk", 200, False),
        ("clinician", 404, False),
        ("compliance", 404, False),
        ("outsider", 404, False),
        ("participant", 403, False),
    ],
)
def test_one_inquiry_for_each_persona(
    world: World,
    client_for: Callable[[User], Client],
    persona: str,
    status: int,
    clinical: bool,
) -> None:
    inquiry = an_inquiry(world)
    response = client_for(world.personas[persona]).get(f"{API}/inquiries/{inquiry.public_id}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["given_name"] == "Sam"
        if clinical:
            assert body["reason"] == inquiry.reason
            assert [e["kind"] for e in body["history"]] == ["received"]
        else:
            assert (body["reason"], body["history"], body["close_note"]) == (None, None, None)
        assert Event.objects.filter(action=Action.VIEW, object_id=str(inquiry.public_id)).exists()
    elif status == 404:
        assert response.json() == {"detail": "Not found."}
        assert Event.objects.filter(action=Action.DENY, outcome=Outcome.DENIED).count() == 1


def test_missing_and_malformed_ids_get_the_same_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    for wrong in ("00000000-0000-0000-0000-000000000000", "not-an-id"):
        assert client.get(f"{API}/inquiries/{wrong}").json() == {"detail": "Not found."}
    assert Event.objects.filter(action=Action.DENY).count() == 2


# --- working an inquiry -----------------------------------------------------------------------


def test_intake_moves_an_inquiry_and_closes_it_with_a_reason(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = an_inquiry(world)
    client = client_for(world.intake)
    response = post(client, f"/inquiries/{inquiry.public_id}/status", {"status": "contacted"})
    assert response.status_code == 200
    assert response.json()["status"] == "contacted"
    assert response.json()["history"][-1]["to_status"] == "contacted"
    response = post(
        client,
        f"/inquiries/{inquiry.public_id}/status",
        {
            "status": "closed",
            "close_reason": "chose_elsewhere",
            "note": "Went to a clinic nearer home.",
        },
    )
    assert response.json()["close_reason"] == "chose_elsewhere"
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    updates = Event.objects.filter(action=Action.UPDATE, object_id=str(inquiry.public_id))
    assert updates.count() == 4  # each change: the gate's update and the action's


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "screening", "close_reason": ""}, "status"),  # closed → screening
        ({"status": "admitted"}, "status"),
        ({"status": "closed"}, "close_reason"),
        ({"status": "gone"}, "status"),
        ({"status": "new", "note": "x" * 301}, "note"),
    ],
)
def test_refused_status_changes_are_named_and_change_nothing(
    world: World, client_for: Callable[[User], Client], body: dict[str, str], field: str
) -> None:
    inquiry = an_inquiry(world)
    do_change_inquiry_status(world.intake, inquiry, InquiryStatus.CLOSED, close_reason="other")
    if body["status"] == "closed":
        do_change_inquiry_status(world.intake, inquiry, InquiryStatus.NEW)
    before = Inquiry.objects.get(pk=inquiry.pk).status
    response = post(client_for(world.intake), f"/inquiries/{inquiry.public_id}/status", body)
    assert field in fields_of(response)
    assert Inquiry.objects.get(pk=inquiry.pk).status == before


@pytest.mark.parametrize("persona", ["front_desk", "clinician", "outsider"])
def test_only_intake_and_directors_work_an_inquiry(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    inquiry = an_inquiry(world)
    client = client_for(world.personas[persona])
    base = f"/inquiries/{inquiry.public_id}"
    assert post(client, f"{base}/status", {"status": "contacted"}).status_code == 404
    assert (
        post(client, f"{base}/events", {"kind": "call", "text": "Left a message"}).status_code
        == 404
    )
    assert post(client, f"{base}/assign", {"owner": None}).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.events.count() == 1
    assert Event.objects.filter(action=Action.DENY).count() == 3


def test_a_call_is_logged_in_the_history(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = an_inquiry(world)
    response = post(
        client_for(world.intake),
        f"/inquiries/{inquiry.public_id}/events",
        {"kind": "call", "text": "Called back, screening booked for Tuesday."},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "call"
    assert inquiry.events.filter(kind=EventKind.CALL).get().text.startswith("Called back")
    audit = Event.objects.filter(action=Action.UPDATE, object_id=str(inquiry.public_id))
    assert "Called" not in json.dumps([e.detail for e in audit])


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "fax", "text": "x"}, "kind"), ({"kind": "note", "text": "  "}, "text"),
     ({"kind": "note", "text": "x" * 4001}, "text"), ({"kind": "note"}, "text")],
)  # fmt: skip
def test_a_bad_log_entry_is_named(
    world: World, client_for: Callable[[User], Client], body: dict[str, str], field: str
) -> None:
    inquiry = an_inquiry(world)
    response = post(client_for(world.intake), f"/inquiries/{inquiry.public_id}/events", body)
    assert fields_of(response) == {field}
    assert inquiry.events.count() == 1


def test_intake_assigns_an_inquiry_to_a_coordinator(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = an_inquiry(world)
    due = str(org_today() + timedelta(days=1))
    response = post(
        client_for(world.director),
        f"/inquiries/{inquiry.public_id}/assign",
        {"owner": str(world.intake.public_id), "next_action": "Call back", "next_action_due": due},
    )
    assert response.status_code == 200
    assert response.json()["owner"]["public_id"] == str(world.intake.public_id)
    inquiry.refresh_from_db()
    assert (inquiry.owner, inquiry.next_action, str(inquiry.next_action_due)) == (
        world.intake, "Call back", due,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("owner", "extra", "field"),
    [
        ("clinician", {}, "owner"),
        ("front_desk", {}, "owner"),
        ("outsider", {}, "owner"),
        ("unknown", {}, "owner"),
        ("intake", {"next_action_due": "2026-13-01"}, "next_action_due"),
        ("intake", {"next_action_due": "2026-12-10"}, "next_action"),
        ("intake", {"next_action": "x" * 201}, "next_action"),
    ],
)
def test_a_bad_assignment_is_named_and_changes_nothing(
    world: World,
    client_for: Callable[[User], Client],
    owner: str,
    extra: dict[str, str],
    field: str,
) -> None:
    inquiry = an_inquiry(world)
    who = (
        "00000000-0000-0000-0000-000000000000"
        if owner == "unknown"
        else str(world.personas[owner].public_id)
    )
    response = post(
        client_for(world.intake), f"/inquiries/{inquiry.public_id}/assign", {"owner": who} | extra
    )
    assert fields_of(response) == {field}
    inquiry.refresh_from_db()
    assert inquiry.owner is None


# --- the funnel -------------------------------------------------------------------------------


def test_the_director_reads_the_funnel_figures_as_json(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = an_inquiry(world)
    do_change_inquiry_status(world.intake, inquiry, InquiryStatus.SCREENING)
    an_inquiry(world)
    response = client_for(world.director).get(f"{API}/funnel?program={world.program.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert [(s["key"], s["count"]) for s in body["stages"]] == [
        ("received", 2), ("screened", 1), ("decided", 0), ("admitted", 0),
    ]  # fmt: skip
    assert body["stages"][1]["percent_of_received"] == 50
    assert body["end"] == str(org_today())
    assert body["days_to_first_session"] == {
        "n": 0, "median": None, "p90": None, "median_min_n": 5, "p90_min_n": 10,
        "not_started": 2,
    }  # fmt: skip
    assert "Sam" not in response.content.decode()
    event = Event.objects.get(object_type="intake.funnel")
    assert (event.action, event.detail["inquiries"]) == (Action.VIEW, 2)


@pytest.mark.parametrize("persona", ["intake", "front_desk", "clinician", "outsider"])
def test_only_the_programs_directors_read_its_funnel(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    client = client_for(world.personas[persona])
    response = client.get(f"{API}/funnel?program={world.program.public_id}")
    assert response.status_code == 404
    assert Event.objects.get(object_type="intake.funnel").action == Action.DENY


def test_a_director_gets_404_for_another_programs_funnel(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(f"{API}/funnel?program={world.sud_program.public_id}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "program"), ("&start=2026-03-01&end=2026-02-01", "start"),
     ("&end=2999-01-01", "end"), ("&start=2020-01-01&end=2026-01-01", "start"),
     ("&start=soon", "start")],
)  # fmt: skip
def test_a_bad_funnel_period_is_named(
    world: World, client_for: Callable[[User], Client], query: str, field: str
) -> None:
    program = "" if query == "" else f"program={world.program.public_id}"
    response = client_for(world.director).get(f"{API}/funnel?{program}{query}")
    assert fields_of(response) == {field}
