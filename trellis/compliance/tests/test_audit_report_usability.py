"""The audit report reads well: roles as words, MRN in any case, users from a list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World, make_staff
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.audit.trail import record
from trellis.compliance.tests.conftest import Trail
from trellis.programs.actions import do_create_organization
from trellis.programs.models import Role

URL = "/audit/"


@pytest.fixture
def officer(world: World, client_for: Callable[[User], Client]) -> Client:
    return client_for(world.compliance)


def role_shown(officer: Client, event: Event) -> str:
    response = officer.get(URL + "?sort=-time")
    row = next(r for r in response.context["rows"] if r.event.pk == event.pk)
    return str(row.role)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("alert_recipient", "Alert recipient"),
        ("supervisor", "Clinical supervisor"),
        ("participant", "Participant (own record)"),
        (Role.PROGRAM_DIRECTOR, "Program director"),
        (Role.INTAKE_COORDINATOR, "Intake coordinator"),
    ],
)
def test_the_role_column_shows_a_label_never_a_code(
    world: World, officer: Client, code: str, label: str
) -> None:
    event = record(
        world.director, Action.VIEW, participant=world.participant, obj=world.participant,
        purpose=Purpose.TREAT, role=code,
    )  # fmt: skip
    assert role_shown(officer, event) == label
    assert f"<td>{label}</td>" in officer.get(URL).content.decode()


def test_an_event_without_a_role_shows_a_dash(world: World, officer: Client) -> None:
    event = record(None, Action.UPDATE, object_type="programs.program", obj=world.program)
    assert role_shown(officer, event) == "—"


def test_the_mrn_filter_ignores_case(officer: Client, trail: Trail) -> None:
    rows = officer.get(URL + "?mrn=mrn-1001").context["rows"]
    assert trail.late_evening_view in [r.event for r in rows]
    assert all(r.event.participant.mrn == "MRN-1001" for r in rows)


def test_the_user_filter_offers_the_organizations_staff(
    world: World, officer: Client, trail: Trail
) -> None:
    elsewhere = do_create_organization(None, name="Elsewhere", time_zone="America/Chicago")
    make_staff("zed.elsewhere", "Zed", "Elsewhere", elsewhere, Role.PROGRAM_DIRECTOR)
    body = officer.get(URL).content.decode()
    assert '<datalist id="audit-users">' in body or "<select" in body.split('name="user"')[0][-200:]
    assert "casey.clinician" in body
    assert "Casey Clinician" in body
    assert "zed.elsewhere" not in body  # another organization's staff are not offered
    rows = officer.get(URL + "?user=casey.clinician").context["rows"]
    assert trail.late_evening_view in [r.event for r in rows]
