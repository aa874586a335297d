"""Program set-up: the hub and the tracks page (hours and days)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.programs.actions import TrackData, check_save_track
from trellis.programs.models import Track
from trellis.programs.tests.setup_factory import make_administrator


def test_program_page_links_to_set_up_for_its_director_only(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/programs/{world.program.public_id}/"
    assert "Set up this program" in client_for(world.director).get(url).content.decode()
    assert "Set up this program" not in client_for(world.front_desk).get(url).content.decode()
    assert "Set up this program" not in client_for(world.clinician).get(url).content.decode()


def test_hub_lists_the_set_up_pages(world: World, client_for: Callable[[User], Client]) -> None:
    body = client_for(world.director).get(f"/programs/{world.program.public_id}/setup/")
    text = body.content.decode()
    assert body.status_code == 200
    assert f"/programs/{world.program.public_id}/setup/tracks/" in text
    assert f"/programs/sites/{world.site.public_id}/rooms/" in text
    assert '/programs/sites/"' not in text  # sites are for organization administrators
    # Clinical set-up pages of other apps are listed for the program's director.
    for path in (
        f"/worklist/programs/{world.program.public_id}/on-call/",
        f"/measures/programs/{world.program.public_id}/schedules/",
        f"/plans/programs/{world.program.public_id}/templates/",
        "/measures/instruments/import/",
    ):
        assert path in text


def test_staff_of_the_program_who_do_not_direct_it_get_404_with_a_denial(
    world: World, client_for: Callable[[User], Client]
) -> None:
    for persona in (world.front_desk, world.clinician, world.outsider):
        before = Event.objects.filter(actor=persona, action=Action.DENY).count()
        for path in (
            f"/programs/{world.program.public_id}/setup/",
            f"/programs/{world.program.public_id}/setup/tracks/",
            f"/programs/tracks/{world.evening.public_id}/edit/",
        ):
            assert client_for(persona).get(path).status_code == 404
        denials = Event.objects.filter(actor=persona, action=Action.DENY, outcome=Outcome.DENIED)
        assert denials.count() - before == 3


def test_director_of_another_program_gets_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(f"/programs/{world.sud_program.public_id}/setup/")
    assert response.status_code == 404
    assert Event.objects.filter(
        actor=world.director, action=Action.DENY, object_type="programs.program"
    ).exists()


def test_administrator_sets_up_any_program_of_the_organization(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admin = make_administrator(world)
    response = client_for(admin).get(f"/programs/{world.sud_program.public_id}/setup/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/programs/sites/" in text
    # An administrator who does not direct the program is not offered its clinical set-up.
    assert "/on-call/" not in text
    assert "/schedules/" not in text


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "new-name": "After-school",
        "new-delivery": "in_person",
        "new-capacity": "10",
        "new-day_starts_at": "15:30",
        "new-day_ends_at": "18:30",
        "new-weekdays": ["0", "2", "3"],
        "new-is_active": "on",
    }
    data.update(overrides)
    return data


def test_director_adds_a_track_with_hours_and_days_and_it_is_audited(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/programs/{world.program.public_id}/setup/tracks/"
    response = client_for(world.director).post(url, _post())
    assert response.status_code == 302
    track = Track.objects.get(program=world.program, name="After-school")
    assert (track.day_starts_at, track.day_ends_at) == (time(15, 30), time(18, 30))
    assert track.weekdays == [0, 2, 3]
    assert track.hours_summary == "Mon, Wed, Thu 3:30 pm–6:30 pm"
    event = Event.objects.get(
        actor=world.director, action=Action.CREATE, object_type="programs.track"
    )
    assert event.detail["hours"] == "Mon, Wed, Thu 3:30 pm–6:30 pm"
    page = client_for(world.director).get(url).content.decode()
    assert "Mon, Wed, Thu 3:30 pm–6:30 pm" in page


def test_hours_that_end_before_they_start_are_refused_and_the_form_kept(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/programs/{world.program.public_id}/setup/tracks/"
    response = client_for(world.director).post(url, _post(**{"new-day_ends_at": "14:00"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "ends after it starts" in body
    assert 'value="After-school"' in body
    assert not Track.objects.filter(name="After-school").exists()


def test_hours_without_days_and_a_duplicate_name_are_refused(world: World) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        check_save_track(
            world.director,
            world.program,
            TrackData(
                name="evening",
                delivery="hybrid",
                capacity=12,
                day_starts_at=time(18),
                day_ends_at=time(21),
            ),
        )
    assert set(raised.value.message_dict) == {"name", "weekdays"}


def test_director_edits_a_track_and_closes_it_to_enrolment(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/programs/tracks/{world.evening.public_id}/edit/"
    assert client_for(world.director).get(url).status_code == 200
    response = client_for(world.director).post(
        url,
        {
            "name": "Evening",
            "delivery": "hybrid",
            "capacity": "14",
            "day_starts_at": "18:00",
            "day_ends_at": "21:00",
            "weekdays": ["0", "1", "3"],
        },
    )
    assert response.status_code == 302
    world.evening.refresh_from_db()
    assert world.evening.capacity == 14
    assert world.evening.is_active is False
    assert world.evening.hours_summary == "Mon, Tue, Thu 6:00 pm–9:00 pm"
    assert Event.objects.filter(
        actor=world.director, action=Action.UPDATE, object_id=str(world.evening.public_id)
    ).exists()


def test_tracks_list_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: Any
) -> None:
    client = client_for(world.director)
    url = f"/programs/{world.program.public_id}/setup/tracks/"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(5):
        check_save_track(
            world.director,
            world.program,
            TrackData(name=f"Extra {n}", delivery="in_person", capacity=8),
        )
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count
