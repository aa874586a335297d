"""The intake funnel: every figure against a hand-counted fixture, who may read it, its audit
event, and a fixed number of queries whatever the volume."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client

from tests.personas import World, make_participant, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.intake.actions import (
    check_open_record,
    do_change_inquiry_status,
    do_create_inquiry,
)
from trellis.intake.charts import waitlist_chart
from trellis.intake.models import Inquiry, InquirySource, InquiryStatus
from trellis.intake.queries import days_summary, funnel, weekly_points
from trellis.intake.tests.test_inquiries import details
from trellis.participants.actions import do_change_status
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import Program
from trellis.scheduling.actions import Mark, do_record_attendance
from trellis.scheduling.tests.factory import daily_group, slot

pytestmark = pytest.mark.django_db

S, N = InquiryStatus, InquirySource


def local(world: World, day: date, at: time = time(10, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=world.organization.tz)


def received(
    world: World,
    days_ago: int,
    source: str,
    path: Sequence[str],
    *,
    program: Program | None = None,
    at: time = time(10, 0),
    close_reason: str = "",
    mrn: str = "",
) -> Inquiry:
    """An inquiry received `days_ago` days before today (local time `at`), moved along
    `path` (the last move may close it with `close_reason`); with `mrn`, the person's record
    (a planned episode) is opened first, as screening does."""
    inquiry = do_create_inquiry(
        world.intake,
        program or world.program,
        details(source=source, referrer_organization="County Hospital"),
        received_at=local(world, org_today() - timedelta(days=days_ago), at),
    )
    if mrn:
        check_open_record(world.intake, inquiry, mrn=mrn, date_of_birth=date(1990, 1, 1))
        inquiry.refresh_from_db()
    for status in path:
        reason = close_reason if status == S.CLOSED else ""
        do_change_inquiry_status(world.intake, inquiry, status, close_reason=reason)
    return inquiry


TO_ADMISSION = [S.CONTACTED, S.SCREENING, S.DECISION, S.ADMITTED]


def hand_counted(world: World) -> dict[str, Inquiry]:
    """Nine inquiries of the mental-health IOP received in the last 30 days, and four that
    must not count (before the period, a merged duplicate, another program, the evening
    before the first day in the organization's zone)."""
    made = {
        "A": received(world, 20, N.PHONE, TO_ADMISSION, mrn="F-A"),
        "B": received(world, 15, N.WEB, [S.SCREENING, S.DECISION, S.ADMITTED], mrn="F-B"),
        "C": received(world, 10, N.REFERRAL, [S.CONTACTED, S.SCREENING, S.DECISION, S.WAITLISTED]),
        "D": received(world, 5, N.PHONE, [S.CONTACTED, S.SCREENING, S.REFERRED]),
        "E": received(world, 3, N.PHONE, [S.REFERRED]),
        "F": received(world, 2, N.WEB, [S.CONTACTED, S.CLOSED], close_reason="no_response"),
        "G": received(
            world, 1, N.WEB, [S.CONTACTED, S.SCREENING, S.CLOSED], close_reason="chose_elsewhere"
        ),
        "H": received(world, 0, N.PHONE, [], at=time(0, 5)),
        # 00:30 on the period's first day in Chicago: the day before in UTC, still counted.
        "L": received(world, 29, N.PHONE, [], at=time(0, 30)),
        # Not counted:
        "before": received(world, 30, N.PHONE, TO_ADMISSION, at=time(23, 30)),
        "other_program": received(world, 4, N.PHONE, TO_ADMISSION, program=world.sud_program),
        "duplicate": received(world, 6, N.WEB, [S.CONTACTED]),
    }
    Inquiry.objects.filter(pk=made["duplicate"].pk).update(merged_into=made["A"])
    return made


def period() -> tuple[date, date]:
    today = org_today()
    return today - timedelta(days=29), today


def attend(world: World, inquiry: Inquiry, days_ago: list[tuple[int, str]]) -> None:
    """Attendance marks of the inquiry's episode on those days."""
    assert inquiry.episode is not None
    series = daily_group(world, dtstart=org_today() - timedelta(days=90), name="Group")
    for ago, status in days_ago:
        day = org_today() - timedelta(days=ago)
        do_record_attendance(None, slot(series, day), inquiry.episode, Mark(status=status))


def test_the_funnel_counts_match_the_hand_counted_fixture(world: World) -> None:
    made = hand_counted(world)
    attend(world, made["A"], [(12, "absent_unexcused"), (10, "present"), (8, "late")])
    attend(world, made["B"], [(12, "late")])
    start, end = period()
    figures = funnel(world.program, start, end)

    assert [(s.key, s.count, s.of_received, s.of_previous) for s in figures.stages] == [
        ("received", 9, None, None),
        ("screened", 5, 56, 56),  # A B C D G
        ("decided", 4, 44, 80),  # A B C (waitlisted) D (referred after screening)
        ("admitted", 2, 22, 50),  # A B
    ]
    by_source = {r.source: (r.received, r.screened, r.decided, r.admitted) for r in figures.sources}
    assert by_source == {
        "phone": (5, 2, 2, 1),  # A D E H L
        "web": (3, 2, 1, 1),  # B F G
        "referral": (1, 1, 1, 0),  # C
    }
    assert [(r.code, r.count) for r in figures.closed_reasons] == [
        ("no_response", 1),
        ("chose_elsewhere", 1),
    ]
    assert (figures.closed, figures.referred) == (2, 2)  # F G; D E
    # A: received 20 days ago, first attended 10 days ago (the absence before does not
    # count) → 10; B: 15 → 12 days ago → 3. Two people: too few for a median.
    assert (figures.days.n, figures.days.waiting) == (2, 7)
    assert (figures.days.median, figures.days.p90) == (None, None)


def test_days_to_first_session_median_and_90th_percentile() -> None:
    assert days_summary([3, 10, 4, 7, 20], waiting=0).median == 7
    assert days_summary([3, 10, 4, 7, 20], waiting=0).p90 is None  # n = 5 < 10
    ten = days_summary([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], waiting=3)
    assert (ten.n, ten.median, ten.p90, ten.waiting) == (10, 5.5, 9, 3)
    assert days_summary([1, 2, 3, 4], waiting=0).median is None  # n = 4 < 5


def test_the_median_is_read_from_first_attended_sessions(world: World) -> None:
    # Received 10, 12, 14, 20 and 40 days ago; first attended 8, 8, 8, 11 and 10 days ago.
    plan = [(10, [(8, "present")]), (12, [(8, "left_early")]), (14, [(8, "present")]),
            (20, [(11, "present"), (9, "present")]), (40, [(10, "late")])]  # fmt: skip
    for n, (ago, marks) in enumerate(plan):
        inquiry = received(world, ago, N.PHONE, TO_ADMISSION, mrn=f"M-{n}")
        attend(world, inquiry, marks)
    today = org_today()
    figures = funnel(world.program, today - timedelta(days=59), today)
    # Days: 2, 4, 6, 9, 30 → median 6 (five people: enough for a median, not for a p90).
    assert (figures.days.n, figures.days.median, figures.days.p90) == (5, 6, None)


def waitlisted(world: World, mrn: str, program: Program, changes: list[tuple[int, str]]) -> None:
    """An episode waitlisted `changes[0]` days ago, then changed on the other days."""
    person = make_participant(
        world.organization, mrn, "Wait", mrn, program=program, status=EpisodeStatus.WAITLIST
    )
    episode = person.episodes.get()
    first_ago, _ = changes[0]
    episode.status_changes.update(effective_on=org_today() - timedelta(days=first_ago))
    for ago, status in changes[1:]:
        do_change_status(
            None, episode, status=status, effective_on=org_today() - timedelta(days=ago)
        )


def test_waitlist_length_each_week_from_the_status_history(world: World) -> None:
    waitlisted(world, "W1", world.program, [(35, "waitlist"), (18, "active")])
    waitlisted(world, "W2", world.program, [(21, "waitlist")])
    waitlisted(world, "W3", world.program, [(10, "waitlist"), (3, "cancelled")])
    waitlisted(world, "W5", world.program, [(25, "waitlist"), (14, "active")])
    waitlisted(world, "W4", world.sud_program, [(30, "waitlist")])
    start, end = period()
    figures = funnel(world.program, start, end)
    today = org_today()
    assert [(p.on, p.count) for p in figures.waitlist] == [
        (today - timedelta(days=28), 1),  # W1
        (today - timedelta(days=21), 3),  # W1 W2 W5
        (today - timedelta(days=14), 1),  # W2 (W5 active that day)
        (today - timedelta(days=7), 2),  # W2 W3
        (today, 1),  # W2
    ]


def test_weekly_points_end_on_the_periods_last_day() -> None:
    assert weekly_points(date(2026, 1, 1), date(2026, 1, 15)) == [
        date(2026, 1, 1),
        date(2026, 1, 8),
        date(2026, 1, 15),
    ]
    assert weekly_points(date(2026, 1, 10), date(2026, 1, 12)) == [date(2026, 1, 12)]


def test_the_waitlist_chart_draws_a_point_per_week_inside_the_plot() -> None:
    from trellis.intake.queries import WaitlistPoint

    points = [WaitlistPoint(date(2026, 1, 1) + timedelta(days=7 * n), c) for n, c in
              enumerate([0, 3, 5, 2])]  # fmt: skip
    chart = waitlist_chart(points)
    assert len(chart.dots) == 4
    assert chart.dots[0].x == chart.plot_left
    assert chart.dots[-1].x == chart.plot_right
    assert chart.dots[0].y == chart.plot_bottom  # zero sits on the axis
    assert min(d.y for d in chart.dots) == chart.dots[2].y  # the highest week is highest
    assert [t.label for t in chart.ticks] == ["0", "2", "4", "6", "8"]
    assert chart.summary == "0 waiting on Jan 1, 2 on Jan 22; at most 5."


# --- the page -------------------------------------------------------------------------------


def test_the_director_reads_the_funnel_without_names_and_one_view_is_audited(
    world: World, client_for: Callable[[User], Client]
) -> None:
    hand_counted(world)
    start, end = period()
    response = client_for(world.director).get(
        f"/intake/funnel/?program={world.program.public_id}&start={start}&end={end}"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>9</strong> inquiries received" in body
    assert "Rivera" not in body
    assert "Sam" not in body
    assert "Not enough data (needs at least 5)" in body
    assert 'role="img"' in body
    assert "waitlist-table" in body
    events = Event.objects.filter(object_type="intake.funnel")
    assert [(e.action, e.object_id, e.participant_id) for e in events] == [
        (Action.VIEW, str(world.program.public_id), None)
    ]
    assert events[0].detail == {"start": str(start), "end": str(end), "inquiries": 9}


def test_the_funnel_defaults_to_the_last_90_days_of_the_directors_program(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get("/intake/funnel/")
    assert response.status_code == 200
    assert response.context["funnel"].program == world.program
    assert response.context["funnel"].start == org_today() - timedelta(days=89)
    assert response.context["funnel"].end == org_today()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-02-01&end=2026-01-01", "start"),
        ("start=2024-01-01&end=2025-06-01", "start"),
        ("end=2999-01-01", "end"),
        ("start=yesterday", "start"),
        ("program=00000000-0000-0000-0000-000000000000", "program"),
    ],
)
def test_a_bad_period_or_program_is_named_and_nothing_is_counted(
    world: World, client_for: Callable[[User], Client], query: str, field: str
) -> None:
    response = client_for(world.director).get(f"/intake/funnel/?{query}")
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Event.objects.filter(object_type="intake.funnel").exists()


@pytest.mark.parametrize("persona", ["intake", "front_desk", "clinician", "compliance", "outsider"])
def test_only_program_directors_read_the_funnel(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    response = client_for(world.personas[persona]).get("/intake/funnel/")
    assert response.status_code == 403


def test_a_director_cannot_read_another_programs_funnel(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.director).get(
        f"/intake/funnel/?program={world.sud_program.public_id}"
    )
    assert response.status_code == 422
    assert "program" in response.context["form"].errors


def test_the_program_page_links_its_director_to_the_funnel(
    world: World, client_for: Callable[[User], Client]
) -> None:
    link = f"/intake/funnel/?program={world.program.public_id}"
    page = f"/programs/{world.program.public_id}/"
    assert link in client_for(world.director).get(page).content.decode()
    assert link not in client_for(world.clinician).get(page).content.decode()


def test_the_funnel_page_runs_the_same_queries_at_two_sizes(
    world: World, client_for: Callable[[User], Client], count_queries: type
) -> None:
    client = client_for(world.director)
    url = "/intake/funnel/"
    received(world, 3, N.PHONE, TO_ADMISSION)
    waitlisted(world, "Q1", world.program, [(20, "waitlist")])
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    hand_counted(world)
    for n in range(6):
        waitlisted(world, f"Q{n + 2}", world.program, [(40 - n, "waitlist"), (5, "active")])
    made = received(world, 8, N.WEB, TO_ADMISSION, mrn="Q-A")
    attend(world, made, [(2, "present")])
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count
