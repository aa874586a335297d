"""Who sees what: participants their own check-ins, front desk only that one is due,
clinicians their care teams'; every read audited; bounded queries on list pages."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.listed import listed
from tests.personas import World, make_participant
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.measures.tests.factories import complete_checkin, open_checkin


def test_the_measures_tab_shows_summary_chart_and_table_to_the_clinician(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 18, days_ago=14)
    complete_checkin(world.participant, 11)
    page = client_for(world.clinician).get(f"/participants/{world.participant.public_id}/measures/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "PHQ-9 18 → 11 (−7, reliable improvement, week" in body
    assert "<svg" in body
    assert 'role="img"' in body
    assert "reliable-band" in body
    assert "Admission" in body
    assert "<table" in body
    assert Event.objects.filter(
        participant=world.participant, action="view", actor=world.clinician
    ).exists()


def test_the_chart_header_shows_latest_scores_to_clinicians_and_only_due_to_front_desk(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 13)
    open_checkin(world.participant, "GAD-7")
    chart = f"/participants/{world.participant.public_id}/"
    clinician = client_for(world.clinician).get(chart).content.decode()
    assert "PHQ-9 13" in clinician
    assert "1 check-in due" in clinician
    front = client_for(world.front_desk).get(chart).content.decode()
    assert "1 check-in due" in front
    assert "PHQ-9" not in front
    assert "GAD-7" not in front
    assert "Measures" not in front
    assert client_for(world.front_desk).get(f"{chart}measures/").status_code == 404


def test_clinicians_outside_the_care_team_and_other_programs_get_404(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 13)
    url = f"/participants/{world.participant.public_id}/measures/"
    for persona in (world.other_clinician, world.outsider, world.compliance):
        assert client_for(persona).get(url).status_code == 404
    assert client_for(world.director).get(url).status_code == 200
    assert Event.objects.filter(actor=world.outsider, action="deny").exists()


def test_a_participant_sees_only_their_own_checkins(
    world: World, client_for: Callable[[User], Client]
) -> None:
    mine = open_checkin(world.participant)
    theirs = open_checkin(world.other_participant)
    client = client_for(world.participant_user)
    assert client.get("/me/check-ins/").status_code == 200
    assert client.get(f"/me/check-ins/{mine.public_id}/").status_code == 200
    assert client.get(f"/me/check-ins/{theirs.public_id}/").status_code == 404
    assert client.get(f"/participants/{world.participant.public_id}/measures/").status_code == 403


def test_program_scores_page_lists_only_what_the_user_sees_clinically(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 16)
    complete_checkin(world.other_participant, 7)
    url = f"/measures/programs/{world.program.public_id}/"
    director = client_for(world.director).get(url + "?sort=PHQ-9").content.decode()
    assert "Quillfeather" in director
    assert "Thistledown" in director
    assert director.index("Quillfeather") < director.index("Thistledown")  # 16 before 7
    clinician = client_for(world.clinician).get(url).content.decode()
    assert "Quillfeather" in clinician
    assert "Thistledown" not in clinician
    assert client_for(world.front_desk).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


def test_program_scores_page_names_each_person_it_shows(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 16)
    complete_checkin(world.other_participant, 7)
    url = f"/measures/programs/{world.program.public_id}/"
    assert client_for(world.director).get(url).status_code == 200
    assert listed(world.director, "measures.score") == {world.participant, world.other_participant}
    assert client_for(world.clinician).get(url).status_code == 200
    assert listed(world.clinician, "measures.score") == {world.participant}


def test_program_page_and_measures_tab_run_the_same_queries_at_two_sizes(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    def _queries(client: Client, url: str) -> int:
        with count_queries() as captured:
            assert client.get(url).status_code == 200
        return captured.count

    client = client_for(world.director)
    program_url = f"/measures/programs/{world.program.public_id}/"
    tab_url = f"/participants/{world.participant.public_id}/measures/"
    complete_checkin(world.participant, 15, days_ago=7)
    _queries(client, program_url)  # warm up: the session and the audit chain head
    small = (_queries(client, program_url), _queries(client, tab_url))
    for n in range(4):
        extra = make_participant(
            world.organization,
            f"MRN-9{n}",
            "Extra",
            f"Person{n}",
            program=world.program,
            track=world.morning,
            team=[(world.other_clinician, "therapist", True)],
        )
        complete_checkin(extra, 5 + n)
    for days in (5, 3, 1):
        complete_checkin(world.participant, 12, days_ago=days)
    complete_checkin(world.participant, 6, code="GAD-7")
    large = (_queries(client, program_url), _queries(client, tab_url))
    assert small == large


def test_every_column_of_the_check_in_table_has_a_header_name(
    world: World, client_for: Callable[[User], Client]
) -> None:
    open_checkin(world.participant)
    page = (
        client_for(world.clinician)
        .get(f"/participants/{world.participant.public_id}/measures/")
        .content.decode()
    )
    assert '<th scope="col"></th>' not in page  # axe: empty-table-header
    assert '<span class="visually-hidden">Actions</span>' in page
