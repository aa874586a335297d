"""Staff credentials and supervisors of a program: the director records licences and who
supervises each trainee; a trainee without a supervisor is flagged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client

from tests.personas import World, make_staff, org_today
from trellis.accounts.models import Credential, StaffProfile, User
from trellis.audit.models import Action, Event
from trellis.programs.models import ClinicianKind, Role


def _trainee(world: World) -> User:
    return make_staff(
        "toni.trainee", "Toni", "Trainee", world.organization, Role.CLINICIAN, world.program,
        ClinicianKind.THERAPIST,
    )  # fmt: skip


def _url(world: World, user: User | None = None) -> str:
    base = f"/programs/{world.program.public_id}/setup/staff/"
    return f"{base}{user.public_id}/" if user else base


def test_staff_list_shows_credentials_and_flags_a_trainee_without_supervisor(
    world: World, client_for: Callable[[User], Client]
) -> None:
    trainee = _trainee(world)
    StaffProfile.objects.update_or_create(user=trainee, defaults={"is_trainee": True})
    body = client_for(world.director).get(_url(world)).content.decode()
    assert "Casey Clinician" in body
    assert "LPC (OR)" in body
    assert "Trainees without a supervisor" in body
    assert "Toni Trainee" in body
    assert "Oakley Outsider" not in body  # the other program's clinician


def test_director_sets_a_trainees_supervisor_and_the_flag_clears(
    world: World, client_for: Callable[[User], Client]
) -> None:
    trainee = _trainee(world)
    client = client_for(world.director)
    response = client.post(
        _url(world, trainee),
        {"form": "supervisor", "is_trainee": "on", "supervisor": str(world.clinician.public_id)},
    )
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=trainee)
    assert (profile.is_trainee, profile.supervisor) == (True, world.clinician)
    assert Event.objects.filter(actor=world.director, object_type="accounts.staffprofile")
    assert "Trainees without a supervisor" not in client.get(_url(world)).content.decode()


def test_a_trainee_needs_a_supervisor_of_the_same_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    trainee = _trainee(world)
    client = client_for(world.director)
    response = client.post(_url(world, trainee), {"form": "supervisor", "is_trainee": "on"})
    assert response.status_code == 400
    assert "choose their supervisor" in response.content.decode()
    outsider = client.post(
        _url(world, trainee),
        {"form": "supervisor", "is_trainee": "on", "supervisor": str(world.outsider.public_id)},
    )
    assert outsider.status_code == 400  # not offered: another program's clinician
    assert not StaffProfile.objects.filter(user=trainee, is_trainee=True).exists()


def test_director_adds_and_removes_a_credential(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    expires = org_today() + timedelta(days=20)
    response = client.post(
        _url(world, world.clinician),
        {
            "form": "credential",
            "kind": "lcsw",
            "licence_number": "12345",
            "state": "il",
            "expires_on": expires.isoformat(),
        },
    )
    assert response.status_code == 302
    credential = Credential.objects.get(user=world.clinician, kind="LCSW")
    assert (credential.state, credential.licence_number) == ("IL", "12345")
    assert "Expires soon" in client.get(_url(world)).content.decode()
    duplicate = client.post(
        _url(world, world.clinician), {"form": "credential", "kind": "LCSW", "state": "IL"}
    )
    assert duplicate.status_code == 400
    client.post(_url(world, world.clinician), {"form": "remove", "credential": "LCSW|IL"})
    assert not Credential.objects.filter(user=world.clinician, kind="LCSW").exists()
    assert Event.objects.filter(actor=world.director, action=Action.DELETE).exists()


def test_staff_of_another_program_and_non_directors_get_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    director = client_for(world.director)
    before = Event.objects.filter(actor=world.director, action=Action.DENY).count()
    assert director.get(_url(world, world.outsider)).status_code == 404
    assert Event.objects.filter(actor=world.director, action=Action.DENY).count() == before + 1
    for persona in (world.clinician, world.front_desk, world.outsider):
        assert client_for(persona).get(_url(world)).status_code == 404
        assert client_for(persona).get(_url(world, world.clinician)).status_code == 404


def test_staff_list_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: Any
) -> None:
    client = client_for(world.director)
    client.get(_url(world))
    with count_queries() as few:
        client.get(_url(world))
    for n in range(4):
        make_staff(
            f"extra{n}", "Extra", f"Person{n}", world.organization, Role.CLINICIAN,
            world.program, ClinicianKind.COUNSELOR, "LPC",
        )  # fmt: skip
    with count_queries() as many:
        client.get(_url(world))
    assert many.count == few.count
