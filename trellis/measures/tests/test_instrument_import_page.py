"""Administrators and directors import an instrument from a page: upload, see what would be
imported, confirm. Validated as the command validates it; a refused file stores nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.personas import World, make_staff
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.measures.actions import check_import_instrument
from trellis.measures.models import ImportedInstrument
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import bundled
from trellis.measures.tests.test_import_and_demo import custom_instrument
from trellis.programs.models import Role

URL = "/measures/instruments/import/"


def upload(text: str | bytes) -> dict[str, SimpleUploadedFile]:
    raw = text.encode() if isinstance(text, str) else text
    return {"definition": SimpleUploadedFile("worry.json", raw, "application/json")}


def test_a_director_sees_what_would_be_imported_then_confirms(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    checked = client.post(URL, upload(json.dumps(custom_instrument())))
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "What would be imported: WORRY-2 version" in page
    assert not ImportedInstrument.objects.exists()  # nothing stored before confirming
    definition = checked.context["definition_text"]
    confirmed = client.post(URL, {"confirm": "1", "definition_json": definition})
    assert confirmed.status_code == 302
    row = ImportedInstrument.objects.get()
    assert (row.code, row.imported_by) == ("WORRY-2", world.director)
    assert get_instrument("WORRY-2").high == 6
    assert (
        Event.objects.filter(
            actor=world.director, action=Action.CREATE, object_id=str(row.pk)
        ).exists()
        or Event.objects.filter(actor=world.director, action=Action.CREATE).exists()
    )


def test_a_file_that_is_not_json_names_the_line_and_stores_nothing(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).post(URL, upload('{\n  "questionnaire": {,\n}'))
    assert response.status_code == 422
    assert "Line 2, column 21: Expecting property name" in response.content.decode()
    assert not ImportedInstrument.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["scoring"].update(bands=[]), "at least one band"),
        (
            lambda d: d["questionnaire"].update(date="not-a-date", publisher=5),
            "questionnaire.publisher: Input should be a valid string.",
        ),
    ],
)
def test_an_invalid_definition_is_refused_with_its_problems_and_stores_nothing(
    world: World,
    client_for: Callable[[User], Client],
    change: Callable[[Any], None],
    message: str,
) -> None:
    data = custom_instrument()
    change(data)
    response = client_for(world.director).post(URL, upload(json.dumps(data)))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportedInstrument.objects.exists()


def test_every_field_that_does_not_fit_fhir_gets_its_own_line(
    world: World, client_for: Callable[[User], Client]
) -> None:
    data = custom_instrument()
    data["questionnaire"].update(date="not-a-date", publisher=5)  # type: ignore[attr-defined]  # a JSON object
    response = client_for(world.director).post(URL, upload(json.dumps(data)))
    problems = response.context["problems"]
    assert problems[0] == "questionnaire is not a valid FHIR R4B Questionnaire:"
    assert [line.split(":")[0] for line in problems[1:]] == [
        "questionnaire.date",
        "questionnaire.publisher",
    ]


def test_a_shipped_instrument_or_a_version_imported_already_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    shipped = client.post(URL, upload(json.dumps(dict(bundled()["PHQ-9"].raw))))
    assert "ships with Trellis" in shipped.content.decode()
    check_import_instrument(None, custom_instrument())
    again = client.post(URL, upload(json.dumps(custom_instrument())))
    assert again.status_code == 422
    assert "is already imported" in again.content.decode()
    assert ImportedInstrument.objects.count() == 1


def test_a_confirmation_is_validated_again_and_a_tampered_one_stores_nothing(
    world: World, client_for: Callable[[User], Client]
) -> None:
    data = custom_instrument()
    data["scoring"]["bands"] = []  # type: ignore[index]
    response = client_for(world.director).post(
        URL, {"confirm": "1", "definition_json": json.dumps(data)}
    )
    assert response.status_code == 422
    assert not ImportedInstrument.objects.exists()


@pytest.mark.parametrize("persona", ["clinician", "front_desk", "intake", "compliance"])
def test_staff_who_neither_administer_nor_direct_get_an_audited_404(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    user = world.personas[persona]
    client = client_for(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, upload(json.dumps(custom_instrument()))).status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 2
    assert not ImportedInstrument.objects.exists()


def test_an_administrator_may_import(world: World, client_for: Callable[[User], Client]) -> None:
    admin = make_staff("admin", "Ada", "Admin", world.organization, Role.ADMINISTRATOR)
    assert client_for(admin).get(URL).status_code == 200


def test_the_import_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    client.get(URL)
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    for number in range(4):
        data = custom_instrument()
        data["questionnaire"]["version"] = f"1.{number}"  # type: ignore[index]  # a JSON object
        check_import_instrument(world.director, data)
    with count_queries() as large:
        assert client.get(URL).status_code == 200
    assert small.count == large.count
