"""The portal's home at /me/: every card with and without data, the crisis line, who gets
what, and a query count that does not grow with the participant's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import PASSWORD, World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.measures.tests.factories import open_checkin
from trellis.plans.tests.factory import signed_plan
from trellis.portal.tests.history import add_practice_history
from trellis.practice.access import access_diary
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_record_entry,
)
from trellis.practice.actions.diary import check_submit_diary_card, do_configure_diary
from trellis.practice.tests.helpers import dear_man
from trellis.practice.tests.walk_safety import safety_walk_values
from trellis.scheduling.tests.factory import daily_group, enroll


def home(world: World, client_for: Callable[[User], Client]) -> str:
    response = client_for(world.participant_user).get("/me/")
    assert response.status_code == 200
    return str(response.content.decode())


def section(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_an_empty_home_says_so_honestly_and_always_shows_the_crisis_line(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = home(world, client_for)
    assert "No sessions in the next two weeks." in section(body, "sessions-h")
    assert "Add to calendar" in section(body, "sessions-h")
    assert "No check-ins due." in section(body, "checkins-h")
    assert "No practice assigned this week." in section(body, "practice-h")
    assert "not signed a plan with you yet" in section(body, "plan-h")
    assert "do not have a signed safety plan" in section(body, "safety-h")
    assert 'id="diary-h"' not in body  # the program does not use diary cards
    crisis = section(body, "crisis-h")
    assert 'href="tel:988"' in crisis


def test_the_crisis_line_names_the_programs_phone(
    world: World, client_for: Callable[[User], Client]
) -> None:
    program = world.participant.episodes.get().program
    program.crisis_phone = "555-0100"
    program.save(update_fields=["crisis_phone"])
    crisis = section(home(world, client_for), "crisis-h")
    assert 'href="tel:555-0100"' in crisis
    assert 'href="tel:988"' in crisis


def test_next_sessions_show_time_in_the_programs_zone_place_and_calendar(
    world: World, client_for: Callable[[User], Client]
) -> None:
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="DBT skills")
    enroll(series, world.participant, org_today())
    sessions = section(home(world, client_for), "sessions-h")
    assert "DBT skills" in sessions
    assert "6:00 p.m." in sessions or "6:00 pm" in sessions  # 6 pm in the program's zone
    assert "7:30" in sessions
    assert world.room.name in sessions
    assert 'href="/me/schedule/#calendar"' in sessions
    assert sessions.count("portal-session") == 3  # the next three, not a fortnight


def test_a_session_of_a_group_the_participant_is_not_on_is_not_shown(
    world: World, client_for: Callable[[User], Client]
) -> None:
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="Other group")
    enroll(series, world.other_participant, org_today())
    assert "Other group" not in home(world, client_for)


def test_check_ins_due_name_the_instruments_and_the_minutes(
    world: World, client_for: Callable[[User], Client]
) -> None:
    phq = open_checkin(world.participant, "PHQ-9")
    open_checkin(world.participant, "GAD-7")
    checkins = section(home(world, client_for), "checkins-h")
    assert "PHQ-9 and GAD-7" in checkins or "GAD-7 and PHQ-9" in checkins
    assert "about 3 minutes" in checkins
    assert f'href="/me/check-ins/{phq.public_id}/"' in checkins


def test_practice_this_week_counts_what_is_done(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    today = org_today()
    assignment = do_assign(
        world.clinician,
        episode,
        AssignmentData(
            title="Practise DEAR MAN three times",
            starts_on=today - timedelta(days=today.weekday()),
            due_on=today - timedelta(days=today.weekday()) + timedelta(days=6),
            skill=dear_man(world.organization),
            frequency="times",
            times_required=3,
        ),
    )
    do_record_entry(
        world.participant_user,
        assignment,
        EntryData(practiced_on=today, idempotency_key="k1", rating=7),
    )
    practice = section(home(world, client_for), "practice-h")
    assert "DEAR MAN, 1 of 3 this week" in practice
    assert f'href="/me/practice/{assignment.public_id}/"' in practice


def test_the_diary_card_says_whether_today_is_filled_in(
    world: World, client_for: Callable[[User], Client]
) -> None:
    do_configure_diary(None, world.participant.episodes.get().program)
    assert "not filled in yet" in section(home(world, client_for), "diary-h")
    diary = access_diary(world.participant_user, world.participant.public_id)
    check_submit_diary_card(
        world.participant_user, diary, card_on=org_today(), answers={"sadness": "1"}
    )
    assert "is filled in" in section(home(world, client_for), "diary-h")


def test_a_signed_safety_plan_is_one_big_button(
    world: World, client_for: Callable[[User], Client]
) -> None:
    safety_walk_values(world, world.participant)
    body = home(world, client_for)
    assert 'class="portal-safety" href="/me/practice/safety-plan/"' in body
    assert 'id="safety-h"' not in body


def test_plan_goals_are_listed_in_the_participants_words(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    signed_plan(episode.care_team.get(is_primary=True).user, episode, PASSWORD)
    plan = section(home(world, client_for), "plan-h")
    assert 'href="/me/plan/"' in plan
    assert "not signed a plan" not in plan


def test_the_home_never_shows_another_participants_data(
    world: World, client_for: Callable[[User], Client]
) -> None:
    open_checkin(world.other_participant, "PHQ-9")
    safety_walk_values(world, world.other_participant)
    body = home(world, client_for)
    assert "No check-ins due." in body
    assert "portal-safety" not in body
    assert world.other_participant.family_name not in body


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "compliance"])
def test_staff_at_the_portal_are_sent_to_their_today(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = client_for(world.personas[persona]).get("/me/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200  # their Today: a clear answer, never a 500


def test_signed_out_visitors_are_asked_to_sign_in(db: None) -> None:
    response = Client().get("/me/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_sign_in_and_the_root_send_a_participant_home(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": world.participant_user.username, "password": PASSWORD},
    )
    assert response["Location"] == "/me/"
    assert client.get("/")["Location"] == "/me/"


def test_the_homes_queries_do_not_grow_with_a_year_of_history(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    today = org_today()
    do_configure_diary(None, world.participant.episodes.get().program)
    series = daily_group(world, dtstart=today - timedelta(weeks=52), name="DBT skills")
    enroll(series, world.participant, today - timedelta(weeks=52))
    open_checkin(world.participant, "PHQ-9")
    client = client_for(world.participant_user)
    client.get("/me/")  # warm up: the session and the audit chain head
    add_practice_history(world.participant, 4, today)
    with count_queries() as small:
        assert client.get("/me/").status_code == 200
    add_practice_history(world.participant, 48, today - timedelta(weeks=4))
    with count_queries() as large:
        assert client.get("/me/").status_code == 200
    assert small.count == large.count
