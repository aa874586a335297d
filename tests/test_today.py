"""Today as its users start the day: the organization's date, tonight's sessions first for a
facilitator, sessions left without attendance, co-signatures and unsigned notes, and links to
the pages they work from (co-sign queue, program scores)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.listed import listed
from tests.personas import PASSWORD, World, make_participant, make_staff, org_today
from tests.queries import CountQueries
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile, User
from trellis.meetings.sweeps import raise_note_tasks
from trellis.notes.tests.factory import signed_note, written_note
from trellis.participants.actions import do_add_care_team_member
from trellis.programs.models import ClinicianKind, Role
from trellis.scheduling.actions import Mark, do_cancel_occurrence, do_record_attendance
from trellis.scheduling.models import AttendanceStatus
from trellis.scheduling.queries import attendance_not_taken
from trellis.scheduling.tests.factory import daily_group, enroll, slot
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import Alert, AlertKind, Priority


@pytest.fixture
def trainee(world: World) -> User:
    user = make_staff(
        "tara.trainee",
        "Tara",
        "Trainee",
        world.organization,
        Role.CLINICIAN,
        world.program,
        ClinicianKind.COUNSELOR,
    )
    StaffProfile.objects.filter(user=user).update(is_trainee=True)
    do_set_supervisor(None, user, world.director)
    do_add_care_team_member(
        None,
        world.participant.episodes.get(),
        user,
        role=ClinicianKind.COUNSELOR,
        start_date=org_today() - timedelta(days=1),
    )
    return User.objects.get(pk=user.pk)


def panel(body: str, marker: str) -> str:
    """The HTML of the Today section that starts at `marker`, up to the next section."""
    start = body.index(marker)
    end = body.find("</section>", start)
    return body[start:end]


def test_today_shows_the_organizations_date(
    world: World, client_for: Callable[[User], Client]
) -> None:
    body = client_for(world.clinician).get("/").content.decode()
    assert org_today().strftime("%A, %B %-d, %Y") in body


def test_a_facilitators_sessions_come_before_a_long_list_of_alerts(
    world: World, client_for: Callable[[User], Client]
) -> None:
    daily_group(world, at=time(23, 0), minutes=50)
    for n in range(17):
        do_raise_alert(
            None,
            participant=world.participant,
            episode=world.participant.episodes.get(),
            kind=AlertKind.MISSED_CHECKINS,
            priority=Priority.HIGH,
            title="Missed check-ins",
            source="test",
            dedupe_key=f"many-{n}",
        )
    body = client_for(world.clinician).get("/").content.decode()
    assert body.index('id="today-sessions-h"') < body.index('id="urgent-alerts-title"')
    # The alerts are not lost below: their count is at the top, linked to the list.
    glance = panel(body, 'id="at-a-glance"')
    assert "17" in glance
    assert "#urgent-alerts" in glance


def test_todays_sessions_name_their_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    daily_group(world)
    body = client_for(world.clinician).get("/").content.decode()
    assert "Adult Mental Health IOP" in panel(body, 'id="today-sessions-h"')


def test_a_session_is_unmarked_only_when_expected_to_run_and_over_in_the_programs_zone(
    world: World,
) -> None:
    series = daily_group(world, at=time(18, 0), minutes=90)
    yesterday = slot(series, org_today() - timedelta(days=1))
    assert attendance_not_taken(yesterday, timezone.now())
    # Still running (or not begun): not flagged until its end in the program's zone.
    assert not attendance_not_taken(yesterday, yesterday.ends_at - timedelta(minutes=1))
    assert attendance_not_taken(yesterday, yesterday.ends_at)
    do_cancel_occurrence(world.director, yesterday, "Snow day")
    assert not attendance_not_taken(slot(series, yesterday.original_date), timezone.now())


def test_past_sessions_without_attendance_are_flagged_on_today_and_in_my_week(
    world: World, client_for: Callable[[User], Client]
) -> None:
    series = daily_group(world, at=time(18, 0), minutes=90)
    enroll(series, world.participant, org_today() - timedelta(days=10))
    two_days_ago = org_today() - timedelta(days=2)
    yesterday = org_today() - timedelta(days=1)
    do_record_attendance(
        world.clinician,
        slot(series, two_days_ago),
        world.participant.episodes.get(),
        Mark(AttendanceStatus.PRESENT),
    )
    client = client_for(world.clinician)
    body = client.get("/").content.decode()
    flagged = panel(body, 'id="unmarked-h"')
    assert "Attendance not taken" in flagged
    assert f"/{yesterday:%Y-%m-%d}/" in flagged
    assert f"/{two_days_ago:%Y-%m-%d}/" not in flagged
    week = client.get(f"/schedule/mine/?week={yesterday:%G-W%V}").content.decode()
    assert "Attendance not taken" in week
    # Front desk facilitate nothing: no flags on their Today.
    assert 'id="unmarked-h"' not in client_for(world.front_desk).get("/").content.decode()


def test_a_supervisors_today_lists_notes_awaiting_their_cosignature(
    world: World, trainee: User, client_for: Callable[[User], Client]
) -> None:
    note = signed_note(trainee, world.participant.episodes.get(), PASSWORD)
    body = client_for(world.director).get("/").content.decode()
    cosign = panel(body, 'id="cosign-h"')
    assert f"/notes/cosign/{note.public_id}/" in cosign
    assert "Tara Trainee" in cosign
    assert "/notes/cosign/" in panel(body, 'id="at-a-glance"')
    assert world.participant in listed(world.director, "today")
    # The trainee has nothing to co-sign: no co-signature panel.
    assert 'id="cosign-h"' not in client_for(trainee).get("/").content.decode()


def test_today_lists_the_users_unsigned_notes(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    body = client_for(world.clinician).get("/").content.decode()
    mine = panel(body, 'id="unsigned-h"')
    assert f"/participants/{world.participant.public_id}/notes/{note.public_id}/edit/" in mine
    glance = panel(body, 'id="at-a-glance"')
    assert "unsigned note of yours" in glance
    assert 'id="unsigned-h"' not in client_for(world.other_clinician).get("/").content.decode()


def test_the_cosign_queue_is_in_the_navigation_of_supervisors_only(
    world: World, trainee: User, client_for: Callable[[User], Client]
) -> None:
    assert 'href="/notes/cosign/"' in client_for(world.director).get("/").content.decode()
    assert 'href="/notes/cosign/"' not in client_for(world.clinician).get("/").content.decode()


def test_program_scores_are_linked_for_clinical_staff_only(
    world: World, client_for: Callable[[User], Client]
) -> None:
    scores = f"/measures/programs/{world.program.public_id}/"
    assert scores in client_for(world.clinician).get("/").content.decode()
    assert scores in client_for(world.director).get("/").content.decode()
    assert scores not in client_for(world.front_desk).get("/").content.decode()
    program_page = client_for(world.director).get(f"/programs/{world.program.public_id}/")
    assert scores in program_page.content.decode()


def test_the_cosign_task_links_to_the_note_and_the_queue(
    world: World, trainee: User, client_for: Callable[[User], Client]
) -> None:
    note = signed_note(trainee, world.participant.episodes.get(), PASSWORD)
    raise_note_tasks()
    task = Alert.objects.get(kind=AlertKind.NOTE_AWAITING_COSIGN)
    body = client_for(world.director).get(f"/worklist/{task.public_id}/").content.decode()
    assert f'href="/notes/cosign/{note.public_id}/"' in body
    assert 'href="/notes/cosign/"' in body


def today_queries(client: Client, count_queries: CountQueries) -> int:
    with count_queries() as captured:
        assert client.get("/").status_code == 200
    return captured.count


def test_today_runs_the_same_queries_for_few_and_many_people_and_sessions(
    world: World, trainee: User, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    series = daily_group(world)
    enroll(series, world.participant, org_today() - timedelta(days=10))
    signed_note(trainee, world.participant.episodes.get(), PASSWORD)
    written_note(world.director, world.participant.episodes.get())
    do_raise_alert(
        None,
        participant=world.participant,
        episode=world.participant.episodes.get(),
        kind=AlertKind.MISSED_CHECKINS,
        priority=Priority.HIGH,
        title="Missed check-ins",
        source="test",
        dedupe_key="first",
        owner=world.director,
    )
    client = client_for(world.director)
    today_queries(client, count_queries)  # warm up: the first request of a session writes it
    few = today_queries(client, count_queries)
    for n in range(4):
        other = daily_group(world, name=f"Group {n}", at=time(9 + n, 0))
        person = make_participant(
            world.organization,
            f"MRN-5{n:03d}",
            "Alex",
            f"Person{n}",
            program=world.program,
            track=world.evening,
            team=[(world.director, ClinicianKind.THERAPIST, True), (trainee, "counselor", False)],
        )
        enroll(other, person, date(2026, 9, 7))
        signed_note(trainee, person.episodes.get(), PASSWORD)
        written_note(world.director, person.episodes.get())
        do_raise_alert(
            None,
            participant=person,
            episode=person.episodes.get(),
            kind=AlertKind.MISSED_CHECKINS,
            priority=Priority.HIGH,
            title="Missed check-ins",
            source="test",
            dedupe_key=f"more-{n}",
        )
    assert today_queries(client, count_queries) == few


def test_a_facilitators_today_runs_the_same_queries_with_more_sessions_to_mark(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    first = daily_group(world, at=time(8, 0), minutes=30)
    enroll(first, world.participant, org_today() - timedelta(days=10))
    client = client_for(world.clinician)
    today_queries(client, count_queries)  # warm up: the first request of a session writes it
    few = today_queries(client, count_queries)
    for n in range(4):
        more = daily_group(world, name=f"Group {n}", at=time(9 + n, 0), minutes=30)
        enroll(more, world.other_participant, org_today() - timedelta(days=10))
    assert today_queries(client, count_queries) == few


def test_todays_sessions_say_when_one_is_over_with_nobody_marked(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """At 9:30 pm in the program's zone, this morning's group left unmarked says so on
    Today, rather than "Not started"; at 8 am the same group has not started."""
    daily_group(world, at=time(9, 0), minutes=60)
    day = org_today()
    zone = world.organization.tz
    with time_machine.travel(datetime.combine(day, time(21, 30), tzinfo=zone), tick=False):
        evening = panel(
            client_for(world.clinician).get("/").content.decode(), 'id="today-sessions-h"'
        )
    with time_machine.travel(datetime.combine(day, time(8, 0), tzinfo=zone), tick=False):
        morning = panel(
            client_for(world.clinician).get("/").content.decode(), 'id="today-sessions-h"'
        )
    assert "Attendance not taken" in evening
    assert "Not started" not in evening
    assert "Not started" in morning
