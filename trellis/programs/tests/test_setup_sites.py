"""Sites (organization administrators) and rooms (administrators; directors of a program
at the site): list, add, edit, retire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.programs.actions import check_save_room
from trellis.programs.models import Room, Site
from trellis.programs.tests.setup_factory import make_administrator
from trellis.scheduling import actions as scheduling


def test_administrator_adds_and_edits_a_site(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admin = make_administrator(world)
    client = client_for(admin)
    response = client.post(
        "/programs/sites/new/",
        {
            "organization": str(world.organization.public_id),
            "name": "Riverbend East",
            "address_line1": "12 Elm St",
            "city": "Springfield",
            "state": "il",
            "postal_code": "62701",
        },
    )
    site = Site.objects.get(name="Riverbend East")
    assert response.status_code == 302
    assert site.state == "IL"
    assert site.organization == world.organization
    response = client.post(
        f"/programs/sites/{site.public_id}/edit/",
        {"name": "Riverbend East Annex", "city": "Springfield", "state": "IL"},
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.name == "Riverbend East Annex"
    assert Event.objects.filter(actor=admin, object_type="programs.site", action=Action.UPDATE)
    assert "Riverbend East Annex" in client.get("/programs/sites/").content.decode()


def test_a_duplicate_site_name_is_refused_on_the_form(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admin = make_administrator(world)
    response = client_for(admin).post(
        "/programs/sites/new/",
        {"organization": str(world.organization.public_id), "name": "riverbend main"},
    )
    assert response.status_code == 400
    assert "already has a site of that name" in response.content.decode()


def test_sites_are_for_organization_administrators(
    world: World, client_for: Callable[[User], Client]
) -> None:
    assert client_for(world.director).get("/programs/sites/").status_code == 403
    assert client_for(world.director).get("/programs/sites/new/").status_code == 403
    before = Event.objects.filter(actor=world.director, action=Action.DENY).count()
    edit = f"/programs/sites/{world.site.public_id}/edit/"
    assert client_for(world.director).get(edit).status_code == 404
    assert Event.objects.filter(actor=world.director, action=Action.DENY).count() == before + 1


def test_administrator_of_another_organization_gets_404_with_a_denial(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.personas import make_staff
    from trellis.programs.actions import do_create_organization
    from trellis.programs.models import Role

    other = do_create_organization(None, name="Elsewhere Health", time_zone="America/Chicago")
    stranger = make_staff("sam.stranger", "Sam", "Stranger", other, Role.ADMINISTRATOR)
    client = client_for(stranger)
    for path in (
        f"/programs/sites/{world.site.public_id}/edit/",
        f"/programs/sites/{world.site.public_id}/rooms/",
        f"/programs/rooms/{world.room.public_id}/edit/",
        f"/programs/{world.program.public_id}/setup/",
    ):
        assert client.get(path).status_code == 404, path
    assert Event.objects.filter(actor=stranger, action=Action.DENY).count() == 4
    assert "Riverbend Main" not in client.get("/programs/sites/").content.decode()


def test_director_manages_rooms_at_their_programs_site(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    url = f"/programs/sites/{world.site.public_id}/rooms/"
    response = client.post(url, {"name": "Group room B", "capacity": "10"})
    assert response.status_code == 302
    room = Room.objects.get(name="Group room B")
    response = client.post(
        f"/programs/rooms/{room.public_id}/edit/", {"name": "Room B", "capacity": "8"}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("Room B", 8)
    duplicate = client.post(url, {"name": "room 2", "capacity": "4"})
    assert duplicate.status_code == 400
    assert "already has a room of that name" in duplicate.content.decode()


def test_front_desk_and_clinicians_get_404_for_rooms(
    world: World, client_for: Callable[[User], Client]
) -> None:
    for persona in (world.front_desk, world.clinician):
        assert (
            client_for(persona).get(f"/programs/sites/{world.site.public_id}/rooms/").status_code
            == 404
        )
        assert (
            client_for(persona).post(f"/programs/rooms/{world.room.public_id}/retire/").status_code
            == 404
        )
    world.room.refresh_from_db()
    assert world.room.is_active


def _series_in_room(world: World, room: Room) -> Any:
    return scheduling.do_create_series(
        world.director,
        world.evening,
        scheduling.SeriesData(
            name="DBT skills",
            start_time=time(18, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE",
            dtstart=org_today() - timedelta(days=30),
            capacity=12,
            room=room,
        ),
    )


def test_a_room_with_upcoming_sessions_cannot_be_retired_and_says_which(
    world: World, client_for: Callable[[User], Client]
) -> None:
    _series_in_room(world, world.room)
    client = client_for(world.director)
    response = client.post(f"/programs/rooms/{world.room.public_id}/retire/", follow=True)
    body = response.content.decode()
    assert "Room 2 still has" in body
    assert "DBT skills (Adult Mental Health IOP, Evening)" in body
    world.room.refresh_from_db()
    assert world.room.is_active


def test_a_room_whose_sessions_have_ended_is_retired_and_reopened(
    world: World, client_for: Callable[[User], Client]
) -> None:
    room = check_save_room(world.director, world.site, name="Old annex", capacity=6)
    client = client_for(world.director)
    response = client.post(f"/programs/rooms/{room.public_id}/retire/", follow=True)
    assert "retired" in response.content.decode()
    room.refresh_from_db()
    assert not room.is_active
    client.post(f"/programs/rooms/{room.public_id}/retire/", {"reopen": "1"})
    room.refresh_from_db()
    assert room.is_active
    changes = Event.objects.filter(actor=world.director, object_id=str(room.public_id))
    assert {e.detail.get("change") for e in changes} >= {"room retired", "room reopened"}


def test_a_site_with_rooms_or_programs_in_use_is_not_retired(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admin = make_administrator(world)
    response = client_for(admin).post(
        f"/programs/sites/{world.site.public_id}/retire/", follow=True
    )
    assert "Retire its rooms first: Room 2." in response.content.decode()
    world.site.refresh_from_db()
    assert world.site.is_active


def test_sites_and_rooms_lists_run_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: Any
) -> None:
    admin = make_administrator(world)
    client = client_for(admin)
    rooms_url = f"/programs/sites/{world.site.public_id}/rooms/"
    client.get("/programs/sites/")
    with count_queries() as few_sites:
        client.get("/programs/sites/")
    with count_queries() as few_rooms:
        client.get(rooms_url)
    from trellis.programs.actions import SiteData, check_save_site

    for n in range(4):
        site = check_save_site(admin, world.organization, SiteData(name=f"Site {n}"))
        check_save_room(admin, site, name="Room 1", capacity=5)
        check_save_room(admin, world.site, name=f"Room {n + 10}", capacity=5)
    with count_queries() as many_sites:
        client.get("/programs/sites/")
    with count_queries() as many_rooms:
        client.get(rooms_url)
    assert many_sites.count == few_sites.count
    assert many_rooms.count == few_rooms.count
