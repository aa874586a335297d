"""My progress at /me/progress/: every section with and without data, item 9 never shown,
another person's data never shown, who gets what, and a query count that does not grow
with the participant's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import PASSWORD, World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.measures.models import Score
from trellis.measures.tests.factories import complete_checkin
from trellis.plans.tests.factory import GOAL_WORDS, signed_plan
from trellis.portal.tests.history import add_practice_history, add_score_history
from trellis.practice import adherence as rules
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_record_entry,
)
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling.actions import Mark, check_record_attendance
from trellis.scheduling.tests.factory import admitted_since, daily_group, enroll, slot

URL = "/me/progress/"


def page(world: World, client_for: Callable[[User], Client], user: User | None = None) -> str:
    response = client_for(user or world.participant_user).get(URL)
    assert response.status_code == 200
    return str(response.content.decode())


def section(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_an_empty_progress_page_says_so_in_every_section(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = page(world, client_for)
    scores = section(body, "progress-scores-h")
    assert "No PHQ-9 scores yet." in scores
    assert "No GAD-7 scores yet." in scores
    assert "<svg" not in scores
    assert "No sessions were scheduled for you" in section(body, "progress-hours-h")
    assert "No practice assigned yet." in section(body, "progress-practice-h")
    assert "not signed a plan with you yet" in section(body, "progress-goals-h")
    assert 'href="tel:988"' in section(body, "crisis-h")


def test_scores_show_the_chart_the_latest_band_in_plain_words_and_the_change(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first = complete_checkin(world.participant, 18, code="PHQ-9", item9=2)
    Score.objects.filter(response=first).update(observed_on=org_today() - timedelta(days=14))
    complete_checkin(world.participant, 11, code="PHQ-9", item9=1)
    scores = section(page(world, client_for), "progress-scores-h")
    phq = scores.split('id="measure-phq-9"')[1].split('id="measure-gad-7"')[0]
    assert '<svg class="trajectory progress-chart"' in phq
    assert phq.count("<circle") == 2
    assert "11 out of 27 (moderate, 10 to 14)" in phq
    assert "A moderate amount of low mood (depression)" in phq
    assert "7 points lower than your first score" in phq
    assert "clear improvement" in phq  # 7 ≥ the PHQ-9's reliable change of 6
    assert "<table" in phq
    assert "<td>18</td>" in phq
    assert "<td>11</td>" in phq
    assert "No GAD-7 scores yet." in scores


def test_the_self_harm_item_is_never_on_the_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 12, code="PHQ-9", item9=3)
    body = page(world, client_for)
    assert "better off dead" not in body
    assert "hurting yourself" not in body
    assert "Item 9" not in body
    assert "item 9" not in body
    assert "Nearly every day" not in body  # no answer of any item


def test_a_rise_is_named_gently_and_one_score_says_it_is_the_first(
    world: World, client_for: Callable[[User], Client]
) -> None:
    first = complete_checkin(world.participant, 5, code="GAD-7")
    Score.objects.filter(response=first).update(observed_on=org_today() - timedelta(days=7))
    complete_checkin(world.participant, 12, code="GAD-7")
    complete_checkin(world.participant, 4, code="PHQ-9")
    scores = section(page(world, client_for), "progress-scores-h")
    gad = scores.split('id="measure-gad-7"')[1]
    assert "7 points higher than your first score" in gad
    assert "talk it over with them" in gad
    phq = scores.split('id="measure-phq-9"')[1].split('id="measure-gad-7"')[0]
    assert "This is your first score." in phq
    assert "Few or no signs of low mood" in phq


def test_hours_attended_against_the_plan_for_recent_weeks(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    series = daily_group(world, dtstart=today - timedelta(days=20), minutes=90)
    enroll(series, world.participant, today - timedelta(days=20))
    yesterday = today - timedelta(days=1)
    check_record_attendance(
        world.clinician, slot(series, yesterday), world.participant.episodes.get(), Mark("present")
    )
    hours = section(page(world, client_for), "progress-hours-h")
    assert "plan for you: 9 to 19 hours a week." in hours
    assert "hours a week" in hours
    assert "This week (so far)" in hours
    assert "<meter" in hours
    assert "1.5 h" in hours  # yesterday's 90 minutes (this week or last week)
    assert "below your plan" in hours or "still to come" in hours


def test_a_week_only_partly_in_the_program_is_not_judged_against_the_plan(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    wednesday = today - timedelta(days=today.weekday()) - timedelta(weeks=3) + timedelta(days=2)
    admitted_since(world.participant, wednesday)
    series = daily_group(world, dtstart=wednesday, minutes=90)
    enroll(series, world.participant, wednesday)
    check_record_attendance(
        world.clinician, slot(series, wednesday), world.participant.episodes.get(), Mark("present")
    )
    hours = section(page(world, client_for), "progress-hours-h")
    admission_week = hours.split("<tr")[-1]  # newest first: the admission week is the last row
    assert "1.5 h" in admission_week
    assert "part of the week in the program" in admission_week
    assert "below your plan" in hours  # the whole weeks since, with nothing marked


def test_practice_streaks_in_days_and_weeks(
    world: World, client_for: Callable[[User], Client]
) -> None:
    today = org_today()
    episode = world.participant.episodes.get()
    monday = today - timedelta(days=today.weekday())
    assignment = do_assign(
        world.clinician,
        episode,
        AssignmentData(
            title="Practise DEAR MAN",
            starts_on=monday - timedelta(weeks=1),
            due_on=monday + timedelta(days=6),
            skill=dear_man(world.organization),
            frequency="times",
            times_required=2,
        ),
    )
    for n, day in enumerate((today - timedelta(days=1), today)):
        do_record_entry(
            world.participant_user,
            assignment,
            EntryData(practiced_on=day, idempotency_key=f"k{n}", rating=6),
        )
    practice = section(page(world, client_for), "progress-practice-h")
    assert '<strong class="progress-number">2</strong> days in a row' in practice
    assert '<strong class="progress-number">1</strong> week in a row' in practice
    assert "2 of 2" in practice
    assert "You last practised on" in practice


def test_no_run_of_practice_is_said_kindly_not_as_a_zero(
    world: World, client_for: Callable[[User], Client]
) -> None:
    add_practice_history(world.participant, 2, org_today() - timedelta(weeks=2))
    practice = section(page(world, client_for), "progress-practice-h")
    assert "Days in a row with practice: none right now." in practice
    assert "Weeks in a row with all your practice done: none right now." in practice
    assert "progress-number" not in practice


def test_the_week_streak_skips_weeks_with_nothing_due_and_stops_at_one_not_done() -> None:
    from datetime import date

    today = date(2026, 12, 2)  # a Wednesday
    monday = date(2026, 11, 30)

    def week(weeks_ago: int, done: int, status: str = "open") -> rules.AssignmentFacts:
        start = monday - timedelta(weeks=weeks_ago)
        return rules.AssignmentFacts(
            key=weeks_ago,
            frequency="times",
            times_required=2,
            starts_on=start,
            due_on=start + timedelta(days=6),
            status=status,
            practiced_on=tuple(start + timedelta(days=d) for d in range(done)),
        )

    # This week not done yet (the week is not over), last week done, two weeks ago nothing
    # due, three weeks ago done, four weeks ago excused, five weeks ago not done.
    facts = [week(0, 1), week(1, 2), week(3, 2), week(4, 0, "excused"), week(5, 1)]
    assert rules.week_streak(facts, today) == 2
    assert rules.week_streak([*facts[1:], week(0, 2)], today) == 3
    assert rules.week_streak([], today) == 0


def test_plan_goals_in_the_participants_words_with_their_status(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    signed_plan(episode.care_team.get(is_primary=True).user, episode, PASSWORD)
    complete_checkin(world.participant, 6, code="GAD-7")  # the objective "GAD-7 below 10"
    goals = section(page(world, client_for), "progress-goals-h")
    assert GOAL_WORDS in goals
    assert "measured step" in goals  # GAD-7 met; attendance has no data yet
    assert "1 of 1 measured step at its target so far." in goals
    assert "2 more steps you review with your care team." in goals
    assert "uses it sometimes" not in goals  # the clinician's rating note is the team's
    assert 'href="/me/plan/"' in goals


def test_another_persons_data_is_never_shown(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.other_participant, 19, code="PHQ-9")
    other_episode = world.other_participant.episodes.get()
    signed_plan(
        other_episode.care_team.get(is_primary=True).user,
        other_episode,
        PASSWORD,
        goal="Someone else's goal",
    )
    add_practice_history(world.other_participant, 3, org_today())
    body = page(world, client_for)
    assert "No PHQ-9 scores yet." in body
    assert "Someone else" not in body
    assert "No practice assigned yet." in body
    assert world.other_participant.family_name not in body


def test_the_page_opens_the_record_once_audited_as_the_participants_own_request(
    world: World, client_for: Callable[[User], Client]
) -> None:
    def opened() -> int:
        return Event.objects.filter(
            actor=world.participant_user, participant=world.participant, purpose="PATRQT"
        ).count()

    before = opened()
    page(world, client_for)
    assert opened() == before + 1


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "compliance"])
def test_staff_are_sent_to_their_today(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = client_for(world.personas[persona]).get(URL, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200


def test_signed_out_visitors_are_asked_to_sign_in(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_home_links_to_progress_and_the_menu_names_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    home = client_for(world.participant_user).get("/me/").content.decode()
    assert 'href="/me/progress/"' in section(home, "progress-h")
    body = page(world, client_for)
    assert 'aria-current="page"' in body.split(">Progress<")[0].rsplit("<a", 1)[1]


def test_the_pages_queries_do_not_grow_with_a_year_of_history(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    today = org_today()
    episode = world.participant.episodes.get()
    signed_plan(episode.care_team.get(is_primary=True).user, episode, PASSWORD)
    series = daily_group(world, dtstart=today - timedelta(weeks=52))
    enroll(series, world.participant, today - timedelta(weeks=52))
    client = client_for(world.participant_user)
    client.get(URL)  # warm up: the session and the audit chain head
    add_practice_history(world.participant, 4, today)
    add_score_history(world.participant, 4, today, codes=("PHQ-9", "GAD-7"))
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    add_practice_history(world.participant, 48, today - timedelta(weeks=4))
    add_score_history(world.participant, 48, today - timedelta(weeks=4), codes=("PHQ-9",))
    with count_queries() as large:
        body = client.get(URL).content.decode()
    phq = body.split('id="measure-phq-9"')[1].split('id="measure-gad-7"')[0]
    assert phq.count("<circle") == 52
    assert small.count == large.count
