"""A program director sets the program's check-in schedules on a page; the care team pauses a
check-in or moves its weekday for one episode from the Measures tab, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import World, make_staff, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.lib.choices import Weekday
from trellis.measures.actions import (
    ScheduleData,
    do_create_schedule,
    do_schedule_checkins,
)
from trellis.measures.models import (
    Administration,
    AdministrationStatus,
    Schedule,
    ScheduleKind,
    ScheduleOverride,
)
from trellis.programs.models import Role


def schedules_url(world: World) -> str:
    return f"/measures/programs/{world.program.public_id}/schedules/"


def weekly(world: World, weekday: int = Weekday.TUESDAY, code: str = "PHQ-9") -> Schedule:
    return do_create_schedule(
        None, world.program, ScheduleData(code, ScheduleKind.WEEKLY, weekday=weekday)
    )


def test_a_director_adds_a_weekly_schedule_and_the_sweep_offers_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    response = client_for(world.director).post(
        schedules_url(world),
        {
            "instrument_code": "GAD-7",
            "kind": "weekly",
            "weekday": str(today.weekday()),
            "window_days": "2",
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(program=world.program)
    assert (schedule.instrument_code, schedule.weekday, schedule.window_days) == (
        "GAD-7",
        today.weekday(),
        2,
    )
    assert Event.objects.filter(
        actor=world.director, action=Action.CREATE, object_id=str(schedule.public_id)
    ).exists()
    page = client_for(world.director).get(schedules_url(world)).content.decode()
    assert f"Every {Weekday(today.weekday()).label}" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (
            {"instrument_code": "PHQ-9", "kind": "weekly", "window_days": "3"},
            "A weekly check-in needs a weekday.",
        ),
        (
            {
                "instrument_code": "PHQ-9",
                "kind": "after_discharge",
                "offset_days": "0",
                "window_days": "14",
            },
            "Follow-up is 1 to 365 days",
        ),
        (
            {"instrument_code": "PHQ-9", "kind": "weekly", "weekday": "1", "window_days": "9"},
            "at most 7 days",
        ),
        (
            {"instrument_code": "NOPE-1", "kind": "admission", "window_days": "3"},
            "Select a valid choice",
        ),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_the_reason_and_nothing_is_saved(
    world: World, client_for: Callable[[User], Client], data: dict[str, str], field_message: str
) -> None:
    response = client_for(world.director).post(schedules_url(world), data)
    assert response.status_code == 422
    assert field_message in response.content.decode()
    assert not Schedule.objects.filter(program=world.program).exists()


def test_the_same_schedule_twice_is_refused(
    world: World, client_for: Callable[[User], Client]
) -> None:
    weekly(world)
    response = client_for(world.director).post(
        schedules_url(world),
        {"instrument_code": "PHQ-9", "kind": "weekly", "weekday": "1", "window_days": "3"},
    )
    assert response.status_code == 422
    assert "PHQ-9 is already scheduled then." in response.content.decode()


def test_editing_changes_the_day_and_window_but_never_the_instrument(
    world: World, client_for: Callable[[User], Client]
) -> None:
    schedule = weekly(world)
    response = client_for(world.director).post(
        f"{schedules_url(world)}{schedule.public_id}/",
        {"instrument_code": "GAD-7", "kind": "admission", "weekday": "4", "window_days": "2"},
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.instrument_code, schedule.kind) == ("PHQ-9", ScheduleKind.WEEKLY)
    assert (schedule.weekday, schedule.window_days) == (Weekday.FRIDAY, 2)


def test_a_retired_schedule_offers_no_new_check_ins_and_stays_listed_as_retired(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    schedule = weekly(world, weekday=today.weekday())
    client = client_for(world.director)
    assert client.post(f"{schedules_url(world)}{schedule.public_id}/retire/").status_code == 302
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert [a for a in do_schedule_checkins(today) if a.schedule_id == schedule.pk] == []
    assert "Retired" in client.get(schedules_url(world)).content.decode()


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
    schedule = weekly(world)
    client = client_for(user)
    base = schedules_url(world)
    assert client.get(base).status_code == 404
    assert (
        client.post(
            base, {"instrument_code": "PHQ-9", "kind": "admission", "window_days": "3"}
        ).status_code
        == 404
    )
    assert client.get(f"{base}{schedule.public_id}/").status_code == 404
    assert client.post(f"{base}{schedule.public_id}/retire/").status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 4
    schedule.refresh_from_db()
    assert schedule.is_active
    assert Schedule.objects.filter(program=world.program).count() == 1


def test_another_programs_schedule_cannot_be_reached_through_this_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    theirs = do_create_schedule(
        None, world.sud_program, ScheduleData("PHQ-9", ScheduleKind.ADMISSION)
    )
    client = client_for(world.director)
    assert client.post(f"{schedules_url(world)}{theirs.public_id}/retire/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_schedules_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.director)
    weekly(world)
    client.get(schedules_url(world))
    with count_queries() as small:
        assert client.get(schedules_url(world)).status_code == 200
    for day in (2, 3, 4):
        weekly(world, weekday=day, code="GAD-7")
    do_create_schedule(
        None,
        world.program,
        ScheduleData("PHQ-9", ScheduleKind.AFTER_DISCHARGE, offset_days=30, window_days=14),
    )
    with count_queries() as large:
        assert client.get(schedules_url(world)).status_code == 200
    assert small.count == large.count


# --- one episode's exception --------------------------------------------------------------


def override_url(world: World, schedule: Schedule) -> str:
    return f"/participants/{world.participant.public_id}/measures/schedules/{schedule.public_id}/"


def test_the_care_team_pauses_a_check_in_for_one_episode_with_a_reason(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    schedule = weekly(world, weekday=today.weekday())
    episode = world.participant.episodes.get()
    episode.admitted_on = today - timedelta(days=10)
    episode.save(update_fields=["admitted_on"])  # admitted before this week's check-in day
    open_one = [a for a in do_schedule_checkins(today) if a.episode_id == episode.pk]
    assert open_one
    assert open_one[0].status == AdministrationStatus.DUE
    client = client_for(world.clinician)
    response = client.post(
        override_url(world, schedule), {"mode": "pause", "reason": "Inpatient stay this week"}
    )
    assert response.status_code == 302
    override = ScheduleOverride.objects.get(episode=episode, schedule=schedule)
    assert (override.skip, override.reason, override.set_by) == (
        True,
        "Inpatient stay this week",
        world.clinician,
    )
    assert Administration.objects.get(pk=open_one[0].pk).status == AdministrationStatus.CANCELLED
    assert do_schedule_checkins(today) == []  # paused: nothing new either
    tab = client.get(f"/participants/{world.participant.public_id}/measures/").content.decode()
    assert "Paused for this episode" in tab
    assert "Inpatient stay this week" in tab
    event = Event.objects.get(
        actor=world.clinician, action=Action.CREATE, object_id=str(override.public_id)
    )
    assert event.participant_id == world.participant.pk
    assert "Inpatient" not in str(event.detail)  # the reason is clinical: not in the trail


def test_a_weekly_check_in_moves_to_another_day_for_one_episode_and_back(
    world: World, client_for: Callable[[User], Client]
) -> None:
    schedule = weekly(world, weekday=Weekday.TUESDAY)
    client = client_for(world.clinician)
    moved = client.post(
        override_url(world, schedule),
        {"mode": "weekday", "weekday": str(Weekday.THURSDAY), "reason": "Works Tuesdays"},
    )
    assert moved.status_code == 302
    override = ScheduleOverride.objects.get(schedule=schedule)
    assert (override.skip, override.weekday) == (False, Weekday.THURSDAY)
    back = client.post(
        override_url(world, schedule), {"mode": "program", "reason": "Shift changed"}
    )
    assert back.status_code == 302
    override.refresh_from_db()
    assert (override.skip, override.weekday, override.reason) == (False, None, "Shift changed")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "pause", "reason": "  "}, "Say why"),
        ({"mode": "weekday", "reason": "x"}, "Choose the weekday."),
        ({"mode": "weekday", "weekday": "1", "reason": "x"}, "That is the program"),
    ],
)
def test_an_override_without_a_reason_or_a_day_is_refused(
    world: World, client_for: Callable[[User], Client], data: dict[str, str], message: str
) -> None:
    schedule = weekly(world, weekday=Weekday.TUESDAY)
    response = client_for(world.clinician).post(override_url(world, schedule), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ScheduleOverride.objects.exists()


def test_only_a_weekly_check_in_offers_another_day(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admission = do_create_schedule(
        None, world.program, ScheduleData("PHQ-9", ScheduleKind.ADMISSION)
    )
    client = client_for(world.clinician)
    assert "Another weekday" not in client.get(override_url(world, admission)).content.decode()
    response = client.post(
        override_url(world, admission), {"mode": "weekday", "weekday": "3", "reason": "x"}
    )
    assert response.status_code == 422
    assert not ScheduleOverride.objects.exists()


@pytest.mark.parametrize("persona", ["other_clinician", "front_desk", "outsider"])
def test_staff_who_do_not_treat_the_participant_get_an_audited_404(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    schedule = weekly(world)
    user = world.personas[persona]
    response = client_for(user).post(
        override_url(world, schedule), {"mode": "pause", "reason": "x"}
    )
    assert response.status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).exists()
    assert not ScheduleOverride.objects.exists()


def test_a_schedule_of_another_program_cannot_be_overridden_on_this_episode(
    world: World, client_for: Callable[[User], Client]
) -> None:
    theirs = do_create_schedule(
        None, world.sud_program, ScheduleData("PHQ-9", ScheduleKind.ADMISSION)
    )
    response = client_for(world.clinician).post(
        override_url(world, theirs), {"mode": "pause", "reason": "x"}
    )
    assert response.status_code == 404
    assert not ScheduleOverride.objects.exists()


def test_the_measures_tab_with_overrides_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.clinician)
    url = f"/participants/{world.participant.public_id}/measures/"
    first = weekly(world)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for day in (2, 3, 4):
        schedule = weekly(world, weekday=day, code="GAD-7")
        client.post(override_url(world, schedule), {"mode": "pause", "reason": "x"})
    client.post(override_url(world, first), {"mode": "pause", "reason": "x"})
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count
