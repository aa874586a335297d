"""The intake API's decision, admission and waitlist endpoints: each persona, each bad input
named by its field, nothing written on a refusal, and a waitlist that runs the same queries
for 2 and for 12 people."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.intake.actions import check_add_to_waitlist, do_seed_consent_documents
from trellis.intake.models import (
    ConsentSignature,
    InquiryStatus,
    LevelOfCareDecision,
    WaitlistEntry,
)
from trellis.intake.queries import required_consents
from trellis.intake.tests.helpers import decided_inquiry
from trellis.intake.tests.screening_helpers import complete, screened_inquiry
from trellis.participants.models import EpisodeStatus

pytestmark = pytest.mark.django_db

API = "/api/v1/intake"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}


# --- the level-of-care decision ----------------------------------------------------------------


def _screened(world: World, phq9: int = 2) -> str:
    inquiry, screening, _ = screened_inquiry(world, preferred_schedule="evening")
    complete(screening, phq9=phq9)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    return str(inquiry.public_id)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinician", 201),
        ("director", 201),
        ("intake", 403),  # reads the recommendation, does not decide
        ("front_desk", 404),
        ("compliance", 404),
        ("outsider", 404),
    ],
)
def test_only_directors_and_clinicians_decide_the_level_of_care(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    inquiry_id = _screened(world)
    response = post(
        client_for(world.personas[persona]), f"/inquiries/{inquiry_id}/decision", {"accept": True}
    )
    assert response.status_code == status, response.content
    assert LevelOfCareDecision.objects.exists() == (status == 201)
    if status == 201:
        body = response.json()
        assert (body["accepted"], body["level"], body["inquiry_status"]) == (
            True, "iop", "decision",
        )  # fmt: skip
        assert body["decided_by"]["public_id"] == str(world.personas[persona].public_id)


def test_an_override_elsewhere_needs_rationale_and_destination_then_refers(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry_id = _screened(world)
    client = client_for(world.clinician)
    path = f"/inquiries/{inquiry_id}/decision"
    assert fields_of(post(client, path, {"accept": False, "level": "partial"})) == {
        "rationale", "destination",
    }  # fmt: skip
    assert fields_of(post(client, path, {"accept": False, "level": "nowhere"})) == {"level"}
    assert fields_of(post(client, path, {"accept": True, "track": str(world.sud_track.public_id)}))
    assert not LevelOfCareDecision.objects.exists()
    done = post(
        client,
        path,
        {
            "accept": False,
            "level": "partial",
            "rationale": "Daily structure needed first.",
            "destination": "Lakeside partial hospitalization",
        },
    )
    assert done.status_code == 201, done.content
    assert (done.json()["inquiry_status"], done.json()["destination"]) == (
        "referred", "Lakeside partial hospitalization",
    )  # fmt: skip
    # Decided once: a second decision is refused without a new record (a referred inquiry
    # is no longer the clinician's to read; the director gets the reason).
    assert post(client, path, {"accept": True}).status_code == 404
    assert fields_of(post(client_for(world.director), path, {"accept": True})) == {""}
    assert LevelOfCareDecision.objects.count() == 1


def test_a_decision_before_the_screening_is_complete_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, _screening, _ = screened_inquiry(world)
    response = post(
        client_for(world.clinician), f"/inquiries/{inquiry.public_id}/decision", {"accept": True}
    )
    assert fields_of(response) == {""}
    assert not LevelOfCareDecision.objects.exists()


# --- admission ----------------------------------------------------------------------------------


def _admission_body(world: World, **changes: Any) -> dict[str, Any]:
    do_seed_consent_documents(None, world.program)
    body = {
        "track": str(world.evening.public_id),
        "admitted_on": org_today().isoformat(),
        "primary": str(world.clinician.public_id),
        "primary_role": "therapist",
        "others": [str(world.director.public_id)],
        "consents": [
            {"document": d.key, "method": "tablet", "typed_name": "Sam Rivera", "agreed": True}
            for d in required_consents(world.program)
        ],
    }
    return body | changes


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("intake", 201),
        ("director", 201),
        ("front_desk", 404),
        ("clinician", 404),
        ("outsider", 404),
    ],
)
def test_the_admission_page_s_people_admit_over_the_api(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    inquiry = decided_inquiry(world)
    response = post(
        client_for(world.personas[persona]),
        f"/inquiries/{inquiry.public_id}/admit",
        _admission_body(world),
    )
    assert response.status_code == status, response.content
    inquiry.refresh_from_db()
    assert (inquiry.status == InquiryStatus.ADMITTED) == (status == 201)
    if status == 201:
        body = response.json()
        assert inquiry.episode is not None
        assert body["episode_id"] == str(inquiry.episode.public_id)
        assert inquiry.episode.status == EpisodeStatus.ACTIVE
        assert body["track"] == str(world.evening.public_id)
        assert ConsentSignature.objects.filter(episode=inquiry.episode).count() == len(
            required_consents(world.program)
        )
        assert Event.objects.filter(
            actor=world.personas[persona], action=Action.UPDATE, object_id=str(inquiry.public_id)
        ).exists()


def test_bad_admissions_name_their_fields_and_write_nothing(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = decided_inquiry(world)
    do_seed_consent_documents(None, world.program)
    client = client_for(world.intake)
    path = f"/inquiries/{inquiry.public_id}/admit"
    cases: list[tuple[dict[str, Any], set[str] | None]] = [
        ({"track": str(world.sud_track.public_id)}, {"track"}),
        ({"primary": str(world.front_desk.public_id)}, {"primary"}),
        ({"others": [str(world.outsider.public_id)]}, {"others"}),
        ({"consents": []}, {f"consent_{d.key}" for d in required_consents(world.program)}),
        ({"consents": [{"document": "nope", "method": "paper"}]}, None),
        ({"admitted_on": "2001-01-01"}, {"admitted_on"}),
        ({"primary_role": "wizard"}, {"primary_role"}),
    ]
    for changes, expected in cases:
        got = fields_of(post(client, path, _admission_body(world, **changes)))
        if expected is None:
            assert "consent_nope" in got
        else:
            assert got == expected, changes
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    assert not ConsentSignature.objects.exists()


def test_a_full_track_needs_a_reason_to_admit_over_capacity(
    world: World, client_for: Callable[[User], Client]
) -> None:
    world.evening.capacity = 1
    world.evening.save()
    client = client_for(world.intake)
    first = decided_inquiry(world, "Ana")
    assert post(client, f"/inquiries/{first.public_id}/admit", _admission_body(world)).status_code
    second = decided_inquiry(world, "Ben")
    path = f"/inquiries/{second.public_id}/admit"
    assert fields_of(post(client, path, _admission_body(world))) == {"track"}
    over = post(client, path, _admission_body(world, capacity_override="Step-down from PHP."))
    assert over.status_code == 201, over.content


# --- the waitlist -------------------------------------------------------------------------------


def _line_up(world: World, *names: str) -> list[WaitlistEntry]:
    return [
        check_add_to_waitlist(world.intake, decided_inquiry(world, n), world.evening) for n in names
    ]


@pytest.mark.parametrize(
    ("persona", "status", "moves"),
    [
        ("intake", 200, True),
        ("director", 200, True),
        ("front_desk", 200, False),
        ("clinician", 404, False),
        ("outsider", 404, False),
    ],
)
def test_each_persona_reads_the_waitlist_as_on_the_page(
    world: World, client_for: Callable[[User], Client], persona: str, status: int, moves: bool
) -> None:
    _line_up(world, "Ana", "Ben")
    response = client_for(world.personas[persona]).get(f"{API}/waitlists/{world.evening.public_id}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert [e["display_name"].split()[0] for e in body["entries"]] == ["Ana", "Ben"]
        assert [e["position"] for e in body["entries"]] == [1, 2]
        assert (body["entries"][0]["moves"] is not None) == moves
        assert (
            Event.objects.filter(
                actor=world.personas[persona],
                action=Action.LIST,
                object_type="intake.waitlistentry",
            ).count()
            == 2
        )


def test_moving_someone_needs_a_reason_and_a_real_position(
    world: World, client_for: Callable[[User], Client]
) -> None:
    ana, ben = _line_up(world, "Ana", "Ben")
    client = client_for(world.intake)
    path = f"/waitlists/{world.evening.public_id}/entries/{ben.public_id}/move"
    assert fields_of(post(client, path, {"position": 1, "reason": " "})) == {"reason"}
    assert fields_of(post(client, path, {"position": 5, "reason": "Urgent"})) == {"position"}
    assert fields_of(post(client, path, {"reason": "Urgent"})) == {"position"}
    refused = post(client_for(world.front_desk), path, {"position": 1, "reason": "Urgent"})
    assert refused.status_code == 404
    elsewhere = f"/waitlists/{world.sud_track.public_id}/entries/{ben.public_id}/move"
    assert post(client, elsewhere, {"position": 1, "reason": "Urgent"}).status_code == 404
    moved = post(client, path, {"position": 1, "reason": "Discharged from inpatient today"})
    assert moved.status_code == 200, moved.content
    entries = moved.json()["entries"]
    assert [e["public_id"] for e in entries] == [str(ben.public_id), str(ana.public_id)]
    assert entries[0]["moves"][0]["reason"] == "Discharged from inpatient today"


def test_the_waitlist_runs_the_same_queries_for_2_and_12_people(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.intake)
    url = f"{API}/waitlists/{world.evening.public_id}"
    _line_up(world, "Ana", "Ben")
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _line_up(world, *[f"P{i}" for i in range(10)])
    with count_queries() as large:
        assert len(client.get(url).json()["entries"]) == 12
    assert small.count == large.count
