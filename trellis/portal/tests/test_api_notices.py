"""Session notices through the API (/api/v1/me/sessions...): the page's access function and
action, the caller's own sessions only, refusals name the field and store nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event, Outcome
from trellis.scheduling.models import SessionNotice, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today

pytestmark = pytest.mark.django_db

REASON = "My daughter has a fever"


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    return series


def url(series: SessionSeries, day: date | str) -> str:
    on = day if isinstance(day, str) else f"{day:%Y-%m-%d}"
    return f"/api/v1/me/sessions/{series.public_id}/{on}/notice"


def put(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.put(path, body, content_type="application/json")


def test_late_then_absent_replaces_the_notice_and_the_list_shows_it(
    world: World, group: SessionSeries
) -> None:
    phone = token_client(world.participant_user)
    day = local_today(world) + timedelta(days=1)
    late = put(phone, url(group, day), {"kind": "late", "minutes": 20})
    assert late.status_code == 200, late.content
    assert (late.json()["kind"], late.json()["minutes_late"]) == ("late", 20)
    again = put(phone, url(group, day), {"kind": "absent", "reason": REASON})
    assert again.status_code == 200
    assert SessionNotice.objects.count() == 1  # replaced, as on the page
    notice = SessionNotice.objects.get()
    assert (notice.kind, notice.reason) == ("absent", REASON)
    assert Event.objects.filter(object_type="scheduling.sessionnotice", action="update").exists()
    sessions = phone.get("/api/v1/me/sessions").json()
    row = next(s for s in sessions if s["occurrence_date"] == f"{day:%Y-%m-%d}")
    assert row["series_id"] == str(group.public_id)
    assert row["notice"]["kind"] == "absent"
    assert row["notice"]["reason"] == REASON
    assert "id" not in row
    assert all(s["notice"] is None for s in sessions if s is not row)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "late", "minutes": 4}, "minutes"),
        ({"kind": "late"}, "minutes"),
        ({"kind": "absent", "reason": "  "}, "reason"),
        ({"kind": "maybe"}, "kind"),
        ({"kind": "late", "minutes": "soon"}, "minutes"),
    ],
)
def test_bad_notices_name_the_field_and_store_nothing(
    world: World, group: SessionSeries, body: dict[str, Any], field: str
) -> None:
    day = local_today(world) + timedelta(days=1)
    response = put(token_client(world.participant_user), url(group, day), body)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["detail"]}
    assert not SessionNotice.objects.exists()


def test_a_past_session_is_refused(world: World, group: SessionSeries) -> None:
    day = local_today(world) - timedelta(days=2)
    late = {"kind": "late", "minutes": 10}
    response = put(token_client(world.participant_user), url(group, day), late)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"occurrence"}
    assert not SessionNotice.objects.exists()


def test_someone_elses_session_is_the_audited_404(world: World) -> None:
    """A session of the other program (the 42 CFR Part 2 one): not the caller's."""
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    series.track = world.sud_track
    series.save(update_fields=["track"])
    day = local_today(world) + timedelta(days=1)
    for path in (url(series, day), url(series, "not-a-date"), url(series, "2020-01-01")):
        late = {"kind": "late", "minutes": 10}
        response = put(token_client(world.participant_user), path, late)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}
    denied = Event.objects.filter(actor=world.participant_user, outcome=Outcome.DENIED,
                                  object_type="scheduling.occurrence")  # fmt: skip
    assert denied.count() == 3
    assert not SessionNotice.objects.exists()


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk"])
def test_staff_are_not_participants(world: World, group: SessionSeries, persona: str) -> None:
    user = world.personas[persona]
    client = token_client(user)
    assert client.get("/api/v1/me/sessions").status_code == 404
    day = local_today(world) + timedelta(days=1)
    response = put(client, url(group, day), {"kind": "late", "minutes": 10})
    assert response.status_code == 404
    assert Event.objects.filter(actor=user, outcome=Outcome.DENIED).count() == 2
    assert not SessionNotice.objects.exists()


def test_signed_out_gets_401(world: World, group: SessionSeries) -> None:
    day = local_today(world) + timedelta(days=1)
    assert Client().get("/api/v1/me/sessions").status_code == 401
    assert put(Client(), url(group, day), {"kind": "late", "minutes": 10}).status_code == 401


def test_the_sessions_list_runs_the_same_queries_at_two_sizes(
    world: World, group: SessionSeries, count_queries: CountQueries
) -> None:
    phone = token_client(world.participant_user)
    phone.get("/api/v1/me/sessions")  # warm: the token's first use, the audit chain head
    with count_queries() as small:
        assert phone.get("/api/v1/me/sessions").status_code == 200
    for n in range(3):
        more = daily_group(world, dtstart=local_today(world) - timedelta(days=5), name=f"G{n}")
        enroll(more, world.participant)
        late = {"kind": "late", "minutes": 15}
        put(phone, url(more, local_today(world) + timedelta(days=2)), late)
    with count_queries() as large:
        sessions = phone.get("/api/v1/me/sessions").json()
    assert sum(1 for s in sessions if s["notice"] is not None) == 3
    assert small.count == large.count
