"""Programs and tracks pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.programs.actions import do_create_program
from trellis.programs.models import Population


def test_director_sees_their_programs_tracks_and_census(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.director).get("/programs/").content.decode()
    assert "Adult Mental Health IOP" in body
    assert "Evening" in body
    assert "9–19 hours a week" in body
    assert "Adult Substance Use IOP" not in body


def test_program_page_shows_level_of_care_and_clinical_staff(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = (
        client_for(world.front_desk).get(f"/programs/{world.program.public_id}/").content.decode()
    )
    assert "intensive outpatient" in body
    assert "Casey Clinician, LPC" in body


def test_program_of_another_team_is_404(world: World, client_for: Callable[[User], Client]) -> None:
    response = client_for(world.director).get(f"/programs/{world.sud_program.public_id}/")
    assert response.status_code == 404


def test_adolescent_program_defaults_to_6_to_19_hours(world: World) -> None:
    program = do_create_program(
        None, world.organization, name="Teen IOP", population=Population.ADOLESCENT
    )
    assert (program.min_hours_per_week, program.max_hours_per_week) == (Decimal(6), Decimal(19))


def test_404_page_shows_no_request_details(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(
        "/participants/00000000-0000-4000-8000-000000000000/?q=Quillfeather"
    )
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "Quillfeather" not in body
    assert "00000000" not in body
