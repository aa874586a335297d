"""The audit report at /audit/: compliance officers only, filtered, sorted, paginated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.personas import World, make_participant
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.audit.tests.tamper import record_at
from trellis.audit.trail import record
from trellis.compliance.queries import SORT_FIELDS
from trellis.compliance.tests.conftest import Trail
from trellis.programs.actions import do_create_organization

URL = "/audit/"


def shown(client: Client, query: str = "") -> list[Event]:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return [row.event for row in response.context["rows"]]


@pytest.fixture
def officer(world: World, client_for: Callable[[User], Client]) -> Client:
    return client_for(world.compliance)


def test_compliance_officer_sees_events_with_participant_mrn_and_name(
    officer: Client, trail: Trail
) -> None:
    response = officer.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "MRN-1001" in body
    assert "Patricia Quillfeather" in body
    assert "casey.clinician" in body
    assert "Dates and times are in America/Chicago" in body
    assert trail.outsider_denied in shown(officer)


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "intake", "outsider"])
def test_staff_without_the_compliance_role_get_403(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = client_for(world.personas[persona]).get(URL)
    assert response.status_code == 403
    assert "Quillfeather" not in response.content.decode()


def test_a_participant_gets_403(world: World, client_for: Callable[[User], Client]) -> None:
    assert client_for(world.participant_user).get(URL).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/")
    assert "next=/audit/" in response["Location"]


def test_viewing_the_report_is_itself_recorded_with_its_filters(
    world: World, officer: Client, trail: Trail
) -> None:
    officer.get(URL + "?user=casey.clinician&action=view")
    event = Event.objects.filter(actor=world.compliance, action=Action.LIST).get()
    assert event.object_type == "audit.event"
    assert event.purpose == Purpose.COMPL
    assert event.role == "compliance_officer"
    assert event.detail["user"] == "casey.clinician"
    assert event.detail["action"] == "view"
    assert event.detail["results"] == 1


def test_filter_by_user_shows_only_their_events(officer: Client, trail: Trail) -> None:
    events = shown(officer, "?user=Dana.Director")
    assert events == [trail.director_view]


def test_filter_by_participant_mrn_shows_only_events_about_them(
    world: World, officer: Client, trail: Trail
) -> None:
    events = shown(officer, "?mrn=MRN-1002")
    assert trail.director_view in events
    assert all(e.participant_id == world.other_participant.pk for e in events)


def test_mrn_matches_exactly_not_as_a_prefix(officer: Client, trail: Trail) -> None:
    assert shown(officer, "?mrn=MRN-100") == []


def test_participants_of_another_organization_never_appear(
    world: World, officer: Client, trail: Trail
) -> None:
    elsewhere = do_create_organization(None, name="Elsewhere Clinic", time_zone="UTC")
    stranger = make_participant(elsewhere, "MRN-1001", "Stella", "Farawayfield")
    record(world.director, Action.VIEW, participant=stranger, obj=stranger)

    response = officer.get(URL + "?mrn=MRN-1001")
    assert "Farawayfield" not in response.content.decode()
    assert all(e.participant_id != stranger.pk for e in shown(officer))


def test_filter_by_action_and_outcome(officer: Client, trail: Trail) -> None:
    assert shown(officer, "?action=deny") == [trail.outsider_denied]
    assert shown(officer, "?outcome=denied") == [trail.outsider_denied]
    assert shown(officer, "?action=list&outcome=denied") == []


def test_date_range_is_in_the_officers_time_zone_and_includes_both_ends(
    officer: Client, trail: Trail
) -> None:
    # 03:00 UTC on the 12th is still the evening of the 11th in Chicago.
    assert shown(officer, "?date_from=2024-03-11&date_to=2024-03-11") == [trail.late_evening_view]
    assert shown(officer, "?date_from=2024-03-12&date_to=2024-03-13&sort=time") == [
        trail.director_view,
        trail.front_desk_list,
    ]


def test_filters_combine(officer: Client, trail: Trail) -> None:
    query = "?date_from=2024-03-01&date_to=2024-03-31&mrn=MRN-1001&action=view"
    assert shown(officer, query) == [trail.late_evening_view]


def test_default_order_is_newest_first(officer: Client, trail: Trail) -> None:
    events = shown(officer)
    times = [e.occurred_at for e in events]
    assert times == sorted(times, reverse=True)


def test_sort_by_user_ascending_and_descending(officer: Client, trail: Trail) -> None:
    query = "?date_from=2024-03-01&date_to=2024-03-31"
    ascending = shown(officer, query + "&sort=actor")
    assert [e.actor_label for e in ascending] == [
        "casey.clinician",
        "dana.director",
        "frankie.frontdesk",
        "oakley.outsider",
    ]
    descending = shown(officer, query + "&sort=-actor")
    assert [e.actor_label for e in descending] == [e.actor_label for e in reversed(ascending)]


def test_sort_by_participant_puts_events_without_one_last(officer: Client, trail: Trail) -> None:
    events = shown(officer, "?date_from=2024-03-01&date_to=2024-03-31&sort=participant")
    assert [e.participant.mrn if e.participant else None for e in events] == [
        "MRN-1001",
        "MRN-1001",
        "MRN-1002",
        None,
    ]


@pytest.mark.parametrize("column", list(SORT_FIELDS))
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_column_sorts_and_marks_itself_for_screen_readers(
    officer: Client, trail: Trail, column: str, direction: str
) -> None:
    response = officer.get(f"{URL}?sort={direction}{column}")
    assert response.status_code == 200
    body = response.content.decode()
    expected = "descending" if direction else "ascending"
    assert body.count("aria-sort=") == 1
    assert f'aria-sort="{expected}"' in body
    assert body.count('<th scope="col"') == len(SORT_FIELDS) + 1


def test_an_unknown_sort_falls_back_to_newest_first(officer: Client, trail: Trail) -> None:
    response = officer.get(URL + "?sort=hash")
    assert response.status_code == 200
    assert 'aria-sort="descending"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date_from=2024-02-31", "Enter a date as YYYY-MM-DD"),
        ("?date_to=yesterday", "Enter a date as YYYY-MM-DD"),
        ("?date_from=0001-01-01", "Enter a date between"),
        ("?date_to=9999-12-31", "Enter a date between"),
        ("?date_from=2024-03-12&date_to=2024-03-11", "The end date is before the start date."),
        ("?action=teleport", "Select a valid choice"),
        ("?outcome=maybe", "Select a valid choice"),
        ("?mrn=" + "9" * 31, "Ensure this value has at most 30 characters"),
    ],
)
def test_bad_filters_show_a_field_error_not_a_crash(
    officer: Client, trail: Trail, query: str, message: str
) -> None:
    response = officer.get(URL + query)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'class="errorlist"' in body
    assert "Quillfeather" not in body


def test_a_nul_in_a_filter_is_refused_before_the_report_runs(officer: Client, trail: Trail) -> None:
    response = officer.get(URL + "?user=a%00b")
    assert response.status_code == 400  # lib/middleware.py: NUL never reaches a query
    assert "Quillfeather" not in response.content.decode()


def test_a_bad_page_number_shows_a_page_rather_than_failing(officer: Client, trail: Trail) -> None:
    assert officer.get(URL + "?page=abc").status_code == 200
    assert officer.get(URL + "?page=99999").status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["date_from", "date_to", "user", "mrn", "action", "outcome", "sort"]),
    value=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
)
def test_any_filter_value_answers_200_or_400(officer: Client, name: str, value: str) -> None:
    assert officer.get(URL, {name: value}).status_code in {200, 400}


def test_pages_hold_fifty_events_and_link_to_the_next(world: World, officer: Client) -> None:
    for _ in range(60):
        record(world.clinician, Action.VIEW, participant=world.participant)
    response = officer.get(URL + "?user=casey.clinician")
    assert len(response.context["rows"]) == 50
    assert "page=2" in response.content.decode()
    assert len(officer.get(URL + "?user=casey.clinician&page=2").context["rows"]) == 10


def test_the_report_runs_the_same_number_of_queries_for_10_and_500_events(
    world: World, officer: Client, count_queries: CountQueries
) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)

    def add_events(count: int) -> None:
        for n in range(count):
            participant = world.participant if n % 2 else world.other_participant
            actor = world.clinician if n % 3 else world.director
            record_at(start + timedelta(minutes=n), actor, Action.VIEW, participant=participant)

    def queries_for_report() -> int:
        with count_queries() as captured:
            assert officer.get(URL + "?date_to=2024-12-31").status_code == 200
        return captured.count

    add_events(10)
    officer.get(URL)  # the first request of a session may warm caches
    with_10 = queries_for_report()
    add_events(490)
    with_500 = queries_for_report()
    assert with_10 == with_500
