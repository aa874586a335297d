"""Double bookings that already exist are shown where people plan: the program's week, the
room's week and the series page name the other session; tracks keep their hours; only
clinical staff cover a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.participants.actions import ParticipantDetails, do_create_participant
from trellis.participants.models import EpisodeStatus
from trellis.programs.actions import do_create_room, do_create_track
from trellis.programs.models import Delivery, Room
from trellis.scheduling import actions
from trellis.scheduling.forms import SubstituteForm
from trellis.scheduling.models import Mode, SessionSeries
from trellis.scheduling.tests.factory import enroll, local_today, slot

EVERY_DAY = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU"


def monday(world: World) -> date:
    today = local_today(world)
    return today - timedelta(days=today.weekday())


def group(
    world: World,
    name: str,
    *,
    at: time = time(18, 0),
    minutes: int = 90,
    room: Room | None = None,
    facilitator: User | None = None,
    track: Any = None,
    rrule: str = EVERY_DAY,
    dtstart: date | None = None,
) -> SessionSeries:
    """A daily series written straight through do_create_series (no conflict check), the way
    older data and imports hold double bookings."""
    return actions.do_create_series(
        None,
        track or world.evening,
        actions.SeriesData(
            name=name,
            start_time=at,
            duration_minutes=minutes,
            rrule=rrule,
            dtstart=dtstart or monday(world),
            capacity=12,
            mode=Mode.IN_PERSON if room else Mode.TELEHEALTH,
            room=room,
            telehealth_url="" if room else "https://video.example.test/r",
            facilitators=[facilitator] if facilitator else [],
        ),
    )


def pages(world: World, series: SessionSeries) -> list[str]:
    return [
        f"/schedule/?program={world.program.public_id}",
        f"/schedule/rooms/{world.room.public_id}/",
        f"/schedule/series/{series.public_id}/",
    ]


def test_a_room_holding_two_groups_at_once_is_flagged_on_week_room_and_series_pages(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    group(
        world, "Family night", at=time(18, 30), room=world.room,
        facilitator=world.other_clinician, track=world.morning,
    )  # fmt: skip
    client = client_for(world.director)
    for url in pages(world, first):
        page = client.get(url).content.decode()
        assert "Room 2 is also booked" in page, url
        assert "Family night" in page, url
        assert "Casey Clinician is also facilitating" not in page, url


def test_a_facilitator_in_two_places_at_once_is_flagged(
    world: World, client_for: Callable[[User], Client]
) -> None:
    other_room = do_create_room(None, world.site, name="Room 5", capacity=12)
    first = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    group(world, "Family night", at=time(19, 0), room=other_room, facilitator=world.clinician)
    page = client_for(world.director).get(f"/schedule/series/{first.public_id}/").content.decode()
    assert "Casey Clinician is also facilitating Family night" in page
    assert "Room 2 is also booked" not in page


def test_a_participant_on_two_overlapping_rosters_is_flagged_without_their_name(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    second = group(world, "Family night", at=time(19, 0), facilitator=world.other_clinician)
    enroll(first, world.participant, monday(world))
    enroll(second, world.participant, monday(world))
    for client in (client_for(world.director), client_for(world.compliance)):
        page = client.get(f"/schedule/?program={world.program.public_id}").content.decode()
        assert "1 participant is also expected at Family night" in page
        assert "Quillfeather" not in page


def test_back_to_back_sessions_and_cancelled_ones_are_no_conflict(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    group(world, "Late group", at=time(19, 30), room=world.room, facilitator=world.clinician)
    day = monday(world) + timedelta(days=7)
    overlapping = group(
        world, "Family night", at=time(18, 0), room=world.room, minutes=30,
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=1", dtstart=day,
    )  # fmt: skip
    client = client_for(world.director)
    page = client.get(f"/schedule/series/{first.public_id}/").content.decode()
    assert "Room 2 is also booked: Family night" in page
    actions.do_cancel_occurrence(None, slot(overlapping, day), "Room repainted")
    page = client.get(f"/schedule/series/{first.public_id}/").content.decode()
    assert "is also booked" not in page
    assert "is also facilitating" not in page


def test_conflict_flags_cost_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    first = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    enroll(first, world.participant, monday(world))
    client = client_for(world.director)

    def counts() -> list[int]:
        result = []
        for url in pages(world, first):
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            result.append(queries.count)
        return result

    counts()  # warm caches
    small = counts()
    for number in range(4):
        other = group(
            world, f"Clash {number}", at=time(17, number * 10), room=world.room,
            facilitator=world.clinician,
        )  # fmt: skip
        participant = do_create_participant(
            None, world.organization,
            ParticipantDetails(
                mrn=f"C-{number}", given_name="Bulk", family_name=f"Person{number}",
                date_of_birth=date(1985, 1, 1),
            ),
            program=world.program, track=world.evening, status=EpisodeStatus.ACTIVE,
            admitted_on=monday(world),
        )  # fmt: skip
        enroll(first, participant, monday(world))
        enroll(other, participant, monday(world))
    large = counts()
    assert small == large


# --- tracks have hours ---------------------------------------------------------------------


def after_school(world: World) -> Any:
    return do_create_track(
        None, world.program, name="After school", delivery=Delivery.IN_PERSON, capacity=10,
        day_starts_at=time(15, 30), day_ends_at=time(18, 0),
    )  # fmt: skip


def test_a_series_outside_its_tracks_hours_is_refused_with_the_hours_named(
    world: World,
) -> None:
    track = after_school(world)
    morning = actions.SeriesData(
        name="Skills", start_time=time(9, 0), duration_minutes=150, rrule="FREQ=WEEKLY;BYDAY=MO",
        dtstart=monday(world) + timedelta(days=7), capacity=10, room=world.room,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        actions.check_create_series(world.director, track, morning)
    message = " ".join(error.value.message_dict["start_time"])
    assert "3:30 pm" in message
    assert "6:00 pm" in message
    assert not SessionSeries.objects.filter(track=track).exists()
    running_late = actions.SeriesData(**{**morning.__dict__, "start_time": time(16, 0)})
    with pytest.raises(ValidationError):  # 4:00-6:30 pm ends after the track's hours
        actions.check_create_series(world.director, track, running_late)
    fits = actions.SeriesData(**{**morning.__dict__, "start_time": time(15, 30)})
    assert actions.check_create_series(world.director, track, fits).track == track


def test_editing_a_series_out_of_its_tracks_hours_is_refused(world: World) -> None:
    track = after_school(world)
    data = actions.SeriesData(
        name="Skills", start_time=time(15, 30), duration_minutes=150, rrule="FREQ=WEEKLY;BYDAY=MO",
        dtstart=monday(world) + timedelta(days=7), capacity=10, room=world.room,
    )  # fmt: skip
    series = actions.check_create_series(world.director, track, data)
    moved = actions.SeriesData.of(series)
    moved.start_time = time(9, 0)
    with pytest.raises(ValidationError) as error:
        actions.check_update_series(world.director, series, moved)
    assert "start_time" in error.value.message_dict
    series.refresh_from_db()
    assert series.start_time == time(15, 30)


# --- substitutes -------------------------------------------------------------------------


def test_only_clinical_staff_of_the_program_are_offered_as_substitutes(
    world: World, client_for: Callable[[User], Client]
) -> None:
    offered = set(SubstituteForm(world.program).fields["substitute"].queryset)  # type: ignore[attr-defined]  # ModelChoiceField
    assert {world.clinician, world.other_clinician, world.director} <= offered
    assert not offered & {world.front_desk, world.compliance, world.intake, world.outsider}
    series = group(world, "Evening group", room=world.room, facilitator=world.clinician)
    with pytest.raises(ValidationError) as error:
        actions.check_substitute_facilitator(
            world.director, slot(series, monday(world) + timedelta(days=7)),
            substitute=world.front_desk, replaced=world.clinician,
        )  # fmt: skip
    assert "substitute" in error.value.message_dict
