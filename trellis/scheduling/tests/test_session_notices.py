"""A participant's "I'll be late" / "I can't come": the lifecycle, refusals, the sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from tests.personas import World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.participants.actions import ParticipantDetails, do_create_participant
from trellis.participants.models import EpisodeStatus
from trellis.scheduling import actions
from trellis.scheduling.models import SessionNotice, SessionSeries
from trellis.scheduling.tests.factory import daily_group, enroll, local_today, slot

Clients = Callable[[User], Client]
REASON = "My daughter has a fever"


@pytest.fixture
def group(world: World) -> SessionSeries:
    series = daily_group(world, dtstart=local_today(world) - timedelta(days=10))
    enroll(series, world.participant)
    return series


def tomorrow(world: World) -> date:
    return local_today(world) + timedelta(days=1)


def notice_url(series: SessionSeries, day: date) -> str:
    return f"/me/schedule/{series.public_id}/{day:%Y-%m-%d}/notice/"


def sheet(series: SessionSeries, day: date) -> str:
    return f"/schedule/series/{series.public_id}/{day:%Y-%m-%d}/"


def test_late_then_absent_replaces_the_notice_and_is_audited(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    day = tomorrow(world)
    response = client.post(notice_url(group, day), {"kind": "late", "minutes": "20"}, follow=True)
    assert response.redirect_chain[-1][0] == "/me/schedule/"
    assert "you&#x27;ll be 20 minutes late" in response.content.decode()
    notice = SessionNotice.objects.get()
    assert (notice.kind, notice.minutes_late, notice.original_date) == ("late", 20, day)
    created = Event.objects.get(object_type="scheduling.sessionnotice", action="create")
    assert created.detail["minutes_late"] == 20

    response = client.post(
        notice_url(group, day), {"kind": "absent", "reason": REASON, "back": "home"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    notice = SessionNotice.objects.get()  # still one: replaced
    assert (notice.kind, notice.minutes_late, notice.reason) == ("absent", None, REASON)
    updated = Event.objects.get(object_type="scheduling.sessionnotice", action="update")
    assert updated.detail["replaced"] == "late"
    assert REASON not in str(updated.detail)
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT reason FROM scheduling_sessionnotice")
        assert REASON not in str(cursor.fetchone()[0])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "late", "minutes": "4"}, "minutes"),
        ({"kind": "late", "minutes": "121"}, "minutes"),
        ({"kind": "late"}, "minutes"),
        ({"kind": "absent", "reason": "   "}, "reason"),
        ({"kind": "absent", "reason": "x" * 501}, "reason"),
        ({"kind": "sick"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: World, group: SessionSeries, data: dict[str, str], field: str
) -> None:
    episodes = list(world.participant.episodes.all())
    with pytest.raises(ValidationError) as refused:
        actions.check_send_notice(
            world.participant_user,
            slot(group, tomorrow(world)),
            episodes,
            kind=data["kind"],
            minutes=int(data["minutes"]) if "minutes" in data else None,
            reason=data.get("reason", ""),
        )
    assert set(refused.value.message_dict) == {field}
    assert not SessionNotice.objects.exists()


def test_out_of_range_minutes_through_the_page_show_a_message(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    response = client.post(
        notice_url(group, tomorrow(world)), {"kind": "late", "minutes": "200"}, follow=True
    )
    assert "between 5 and 120 minutes" in response.content.decode()
    assert not SessionNotice.objects.exists()


def test_an_ended_session_is_refused(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    yesterday = local_today(world) - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        actions.check_send_notice(
            world.participant_user,
            slot(group, yesterday),
            list(world.participant.episodes.all()),
            kind="late",
            minutes=10,
        )
    assert "ended" in refused.value.message_dict["occurrence"][0]
    response = client_for(world.participant_user).post(
        notice_url(group, yesterday), {"kind": "late", "minutes": "10"}, follow=True
    )
    assert "This session has ended" in response.content.decode()
    assert not SessionNotice.objects.exists()


def test_a_session_the_person_is_not_on_is_refused(world: World, client_for: Clients) -> None:
    other = daily_group(world, dtstart=local_today(world), name="Not mine")
    response = client_for(world.participant_user).post(
        notice_url(other, tomorrow(world)), {"kind": "late", "minutes": "10"}, follow=True
    )
    assert "not on this session" in response.content.decode()
    assert not SessionNotice.objects.exists()


def test_another_programs_session_and_staff_get_a_404(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    sud = actions.do_create_series(
        None,
        world.sud_track,
        actions.SeriesData(
            name="SUD group", start_time=time(18, 0), duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=local_today(world), capacity=10,
            room=None, mode="telehealth", telehealth_url="https://video.example.test/s",
            facilitators=[world.outsider],
        ),
    )  # fmt: skip
    client = client_for(world.participant_user)
    day = tomorrow(world)
    assert client.post(notice_url(sud, day), {"kind": "late", "minutes": "10"}).status_code == 404
    bad_date = f"/me/schedule/{group.public_id}/2026-13-40/notice/"
    assert client.post(bad_date, {"kind": "late"}).status_code == 404
    staff = client_for(world.clinician)
    assert staff.post(notice_url(group, day), {"kind": "late", "minutes": "10"}).status_code == 404
    assert client.get(notice_url(group, day)).status_code == 405
    assert not SessionNotice.objects.exists()


def test_the_sheet_shows_notices_and_the_reason_only_to_the_director(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = tomorrow(world)
    episode = world.participant.episodes.get()
    actions.do_send_notice(
        world.participant_user, slot(group, day), episode, kind="absent", minutes=None,
        reason=REASON,
    )  # fmt: skip
    director_page = client_for(world.director).get(sheet(group, day)).content.decode()
    assert f"Can't come: {REASON}" in director_page
    facilitator_page = client_for(world.clinician).get(sheet(group, day)).content.decode()
    assert "Can't come" in facilitator_page
    assert REASON not in facilitator_page
    assert "suggested" not in facilitator_page  # the program has not opted in

    actions.do_set_notice_prefills_excused(world.director, world.program, enabled=True)
    page = client_for(world.clinician).get(sheet(group, day)).content.decode()
    assert "tap chosen" not in page
    assert "tap suggested" in page
    assert "Excused suggested" in page


def test_a_late_notice_reaches_the_sheet_row(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    day = tomorrow(world)
    client_for(world.participant_user).post(
        notice_url(group, day), {"kind": "late", "minutes": "20"}
    )
    page = client_for(world.clinician).get(sheet(group, day)).content.decode()
    assert "20 min late" in page
    # A tap returns the row with the notice still beside the name.
    episode = world.participant.episodes.get()
    row = client_for(world.clinician).post(
        f"{sheet(group, day)}{episode.public_id}/mark/",
        {"status": "present"},
        headers={"HX-Request": "true"},
    )
    assert "20 min late" in row.content.decode()


def test_the_home_card_and_schedule_page_offer_the_forms(
    world: World, group: SessionSeries, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    for url in ["/me/", "/me/schedule/"]:
        body = client.get(url).content.decode()
        assert "I'll be late" in body, url
        assert "I can't come" in body, url
        assert notice_url(group, tomorrow(world)) in body, url
    client.post(notice_url(group, tomorrow(world)), {"kind": "late", "minutes": "15"})
    assert "You told your team: 15 minutes late." in client.get("/me/").content.decode()


def add_people(world: World, group: SessionSeries, day: date, count: int, offset: int) -> None:
    for number in range(offset, offset + count):
        participant = do_create_participant(
            None,
            world.organization,
            ParticipantDetails(
                mrn=f"N-{number:04d}", given_name="Bulk", family_name=f"Person{number:04d}",
                date_of_birth=date(1985, 1, 1),
            ),
            program=world.program, track=world.evening, status=EpisodeStatus.ACTIVE,
            admitted_on=group.dtstart,
        )  # fmt: skip
        enroll(group, participant, group.dtstart)
        episode = participant.episodes.get()
        kind = "late" if number % 2 else "absent"
        actions.do_send_notice(
            None, slot(group, day), episode, kind=kind,
            minutes=10 if kind == "late" else None, reason="" if kind == "late" else "ill",
        )  # fmt: skip


def test_the_sheet_runs_the_same_queries_with_3_and_12_people(
    world: World, group: SessionSeries, client_for: Clients, count_queries: CountQueries
) -> None:
    day = tomorrow(world)
    add_people(world, group, day, 2, 0)  # with the persona: 3 people
    actions.do_set_notice_prefills_excused(world.director, world.program, enabled=True)
    client = client_for(world.director)
    client.get(sheet(group, day))  # warm caches
    with count_queries() as small:
        assert client.get(sheet(group, day)).status_code == 200
    add_people(world, group, day, 9, 2)  # 12 people
    with count_queries() as large:
        body = client.get(sheet(group, day)).content.decode()
    assert body.count('class="notice-tag"') == 11
    assert small.count == large.count
