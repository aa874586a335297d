"""The CSV export at /audit/export.csv: same filters and sort as the report, streamed, safe to
open in a spreadsheet, and recorded."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.audit.trail import record
from trellis.compliance.tests.conftest import Trail
from trellis.compliance.views import CSV_HEADER

URL = "/audit/export.csv"


def download(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(URL + query)
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == CSV_HEADER
    return list(reader)


@pytest.fixture
def officer(world: World, client_for: Callable[[User], Client]) -> Client:
    return client_for(world.compliance)


def test_export_is_a_dated_csv_attachment(officer: Client, trail: Trail) -> None:
    response = officer.get(URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="trellis-audit-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    assert "no-store" in response["Cache-Control"]


def test_export_has_every_field_including_the_hashes(officer: Client, trail: Trail) -> None:
    rows = download(officer, "?action=deny")
    assert len(rows) == 1
    row, event = rows[0], trail.outsider_denied
    assert row["id"] == str(event.pk)
    assert row["occurred_at_utc"] == "2024-03-14T15:00:00.000000Z"
    assert row["actor_label"] == "oakley.outsider"
    assert row["participant_mrn"] == "MRN-1001"
    assert row["participant_name"] == "Patricia Quillfeather"
    assert row["outcome"] == "denied"
    assert row["purpose"] == "TREAT"
    assert row["object_id"] == str(event.object_id)
    assert (row["prev_hash"], row["hash"]) == (event.prev_hash, event.hash)


def test_export_applies_the_reports_filters_and_sort(officer: Client, trail: Trail) -> None:
    rows = download(officer, "?date_from=2024-03-01&date_to=2024-03-31&sort=actor")
    assert [r["actor_label"] for r in rows] == [
        "casey.clinician",
        "dana.director",
        "frankie.frontdesk",
        "oakley.outsider",
    ]
    assert [r["id"] for r in download(officer, "?mrn=MRN-1002&action=view")] == [
        str(trail.director_view.pk)
    ]


def test_export_is_recorded_before_it_streams(world: World, officer: Client, trail: Trail) -> None:
    response = officer.get(URL + "?user=dana.director")
    event = Event.objects.filter(actor=world.compliance, action=Action.EXPORT).get()
    assert event.object_type == "audit.event"
    assert event.purpose == Purpose.COMPL
    assert event.detail["user"] == "dana.director"
    assert event.detail["format"] == "csv"
    response.close()


@pytest.mark.parametrize("payload", ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(
    world: World, officer: Client, payload: str
) -> None:
    record(None, Action.SIGN_IN_FAILED, actor_label=payload, object_id=payload)
    rows = download(officer, "?action=sign_in_failed")
    assert rows[0]["actor_label"] == f"'{payload}"
    assert rows[0]["object_id"] == f"'{payload}"


def test_export_with_a_bad_filter_answers_400_and_records_nothing(
    world: World, officer: Client
) -> None:
    response = officer.get(URL + "?date_from=31/02/2024")
    assert response.status_code == 400
    assert "date_from" in response.content.decode()
    assert not Event.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk"])
def test_staff_without_the_compliance_role_cannot_export(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    assert client_for(world.personas[persona]).get(URL).status_code == 403
    assert not Event.objects.filter(action=Action.EXPORT).exists()


def test_anonymous_visitor_cannot_export(world: World) -> None:
    assert Client().get(URL).status_code == 302
