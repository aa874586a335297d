"""A program director sets who is on call for the program's urgent alerts on a page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.personas import World, make_staff
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.programs.models import Role
from trellis.worklist.actions import do_set_on_call
from trellis.worklist.models import ProgramOnCall
from trellis.worklist.queries import on_call_clinicians


def url(world: World) -> str:
    return f"/worklist/programs/{world.program.public_id}/on-call/"


def local(world: World, moment: datetime) -> str:
    """A moment as the datetime-local input sends it, in the program's zone."""
    return f"{moment.astimezone(world.organization.tz):%Y-%m-%dT%H:%M}"


def shift_post(
    world: World, user: User, starts: datetime, ends: datetime, **extra: str
) -> dict[str, str]:
    return {
        "user": str(user.public_id),
        "starts_at": local(world, starts),
        "ends_at": local(world, ends),
        **extra,
    }


def soon() -> datetime:
    return (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)


def test_the_page_says_plainly_when_nobody_is_on_call(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nobody is on call for Adult Mental Health IOP right now." in page
    # ...and it says who receives urgent alerts instead: the program's directors, at once.
    assert f"program's directors ({world.director.name})" in page


def test_a_director_adds_a_shift_read_in_the_programs_zone_and_it_receives_urgent_alerts(
    world: World, client_for: Callable[[User], Client]
) -> None:
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    ends = starts + timedelta(hours=12)
    response = client_for(world.director).post(
        url(world), shift_post(world, world.other_clinician, starts, ends)
    )
    assert response.status_code == 302
    shift = ProgramOnCall.objects.get(program=world.program)
    assert (shift.starts_at, shift.ends_at) == (starts, ends)  # Chicago wall time, not UTC
    assert on_call_clinicians(world.program, timezone.now()) == [world.other_clinician]
    assert Event.objects.filter(
        actor=world.director, action=Action.CREATE, object_id=str(shift.public_id)
    ).exists()
    page = client_for(world.director).get(url(world)).content.decode()
    assert "Nobody is on call" not in page
    assert world.other_clinician.name in page


def test_only_the_programs_clinical_staff_can_be_on_call(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.director)
    for person in (world.front_desk, world.outsider):
        response = client.post(
            url(world), shift_post(world, person, soon(), soon() + timedelta(hours=8))
        )
        assert response.status_code == 422
    assert not ProgramOnCall.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "ends_in", "message"),
    [
        (timedelta(hours=5), timedelta(hours=2), "The shift must end after it starts."),
        (timedelta(hours=-9), timedelta(hours=-1), "That shift has already ended."),
        (timedelta(hours=1), timedelta(days=20), "A shift can last at most 14 days"),
    ],
)
def test_impossible_shifts_are_refused_with_the_reason_and_nothing_is_saved(
    world: World,
    client_for: Callable[[User], Client],
    starts_in: timedelta,
    ends_in: timedelta,
    message: str,
) -> None:
    now = timezone.now()
    response = client_for(world.director).post(
        url(world), shift_post(world, world.clinician, now + starts_in, now + ends_in)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ProgramOnCall.objects.exists()


def test_an_overlap_with_someone_else_needs_the_director_to_say_both_are_on_call(
    world: World, client_for: Callable[[User], Client]
) -> None:
    do_set_on_call(
        world.director,
        world.program,
        world.clinician,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=10),
    )
    client = client_for(world.director)
    data = shift_post(
        world, world.other_clinician, soon() + timedelta(hours=2), soon() + timedelta(hours=14)
    )
    refused = client.post(url(world), data)
    assert refused.status_code == 422
    assert "on call alongside" in refused.content.decode()
    assert ProgramOnCall.objects.count() == 1
    accepted = client.post(url(world), data | {"alongside": "on"})
    assert accepted.status_code == 302
    assert ProgramOnCall.objects.count() == 2


def test_one_person_never_holds_two_overlapping_shifts(
    world: World, client_for: Callable[[User], Client]
) -> None:
    do_set_on_call(
        world.director,
        world.program,
        world.clinician,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=10),
    )
    response = client_for(world.director).post(
        url(world),
        shift_post(
            world,
            world.clinician,
            soon() + timedelta(hours=9),
            soon() + timedelta(hours=20),
            alongside="on",
        ),
    )
    assert response.status_code == 422
    assert "is already on call" in response.content.decode()


def test_ending_a_shift_under_way_keeps_it_on_record_and_cancelling_an_upcoming_one_removes_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    current = do_set_on_call(
        world.director,
        world.program,
        world.clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
    )
    upcoming = do_set_on_call(
        world.director,
        world.program,
        world.other_clinician,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    client = client_for(world.director)
    client.post(f"{url(world)}{current.public_id}/end/")
    client.post(f"{url(world)}{upcoming.public_id}/end/")
    current.refresh_from_db()
    assert current.ends_at <= timezone.now()
    assert on_call_clinicians(world.program, timezone.now()) == []
    assert not ProgramOnCall.objects.filter(pk=upcoming.pk).exists()
    assert Event.objects.filter(action=Action.DELETE, object_id=str(upcoming.public_id)).exists()
    assert "Ended in the last 14 days" in client.get(url(world)).content.decode()


@pytest.mark.parametrize(
    "persona", ["clinician", "front_desk", "intake", "outsider", "sud_director"]
)
def test_anyone_who_does_not_direct_the_program_gets_an_audited_404(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    user = (
        make_staff(
            "sud-director",
            "Sam",
            "Sud",
            world.organization,
            Role.PROGRAM_DIRECTOR,
            world.sud_program,
        )
        if persona == "sud_director"
        else world.personas[persona]
    )
    shift = do_set_on_call(
        world.director,
        world.program,
        world.clinician,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=3),
    )
    client = client_for(user)
    assert client.get(url(world)).status_code == 404
    assert client.post(f"{url(world)}{shift.public_id}/end/").status_code == 404
    assert (
        client.post(
            url(world), shift_post(world, user, soon(), soon() + timedelta(hours=3))
        ).status_code
        == 404
    )
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 3
    assert ProgramOnCall.objects.count() == 1


def test_another_programs_shift_cannot_be_ended_through_this_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    theirs = do_set_on_call(
        None,
        world.sud_program,
        world.outsider,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=3),
    )
    response = client_for(world.director).post(f"{url(world)}{theirs.public_id}/end/")
    assert response.status_code == 404
    assert ProgramOnCall.objects.filter(pk=theirs.pk).exists()


def test_the_on_call_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    client.get(url(world))
    with count_queries() as small:
        assert client.get(url(world)).status_code == 200
    now = timezone.now()
    for day in range(-5, 10):
        for person in (world.clinician, world.other_clinician):
            start = now + timedelta(days=day, hours=2 if person == world.clinician else 14)
            do_set_on_call(
                None, world.program, person, starts_at=start, ends_at=start + timedelta(hours=10)
            )
    with count_queries() as large:
        assert client.get(url(world)).status_code == 200
    assert small.count == large.count
