"""Programs and tracks over the API: each user sees the programs they work in."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.personas import World
from trellis.accounts.models import User


def test_staff_list_the_programs_they_work_in(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.clinician).get("/api/v1/programs").json()
    assert [p["name"] for p in body] == ["Adult Mental Health IOP"]
    assert body[0]["time_zone"] == "America/Chicago"
    assert body[0]["level_of_care"] == "ASAM3:2.1"


def test_organization_wide_membership_lists_every_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.compliance).get("/api/v1/programs").json()
    assert {p["name"] for p in body} == {"Adult Mental Health IOP", "Adult Substance Use IOP"}


def test_program_detail_and_its_tracks(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.director)
    program = client.get(f"/api/v1/programs/{world.program.public_id}")
    assert program.status_code == 200
    assert program.json()["organization"]["name"] == "Riverbend Health (test)"
    tracks = client.get(f"/api/v1/programs/{world.program.public_id}/tracks").json()
    assert [t["name"] for t in tracks] == ["Evening", "Morning"]
    track = client.get(f"/api/v1/tracks/{world.morning.public_id}").json()
    assert track["program"]["public_id"] == str(world.program.public_id)
    assert track["delivery"] == "in_person"


def test_program_of_someone_elses_work_is_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.outsider)
    assert client.get(f"/api/v1/programs/{world.program.public_id}").status_code == 404
    assert client.get(f"/api/v1/programs/{world.program.public_id}/tracks").status_code == 404
    response = client.get(f"/api/v1/tracks/{world.morning.public_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_malformed_program_id_is_404(world: World, client_for: Callable[[User], Client]) -> None:
    assert client_for(world.director).get("/api/v1/programs/42").status_code == 404
