"""The intake board: open inquiries by status, time waiting, overdue replies in business days,
filters, its audit, who sees it, and its fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.intake.actions import check_create_inquiry, do_assign_inquiry, do_change_inquiry_status
from trellis.intake.models import Inquiry, InquirySource, InquiryStatus, IntakeSettings
from trellis.intake.plugins import overdue_panel
from trellis.intake.tests.test_inquiries import details
from trellis.intake.waiting import reply_due, waited_words

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def make(world: World, n: int = 1, **changes: object) -> list[Inquiry]:
    return [
        check_create_inquiry(
            world.intake, world.program, details(phone=f"555-01{i:02d}", **changes)
        )
        for i in range(n)
    ]


def age(inquiry: Inquiry, delta: timedelta) -> None:
    Inquiry.objects.filter(pk=inquiry.pk).update(status_changed_at=timezone.now() - delta)


def test_a_reply_is_due_one_business_day_later_skipping_the_weekend() -> None:
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=CHICAGO)
    assert reply_due(friday, 1, CHICAGO) == datetime(2026, 12, 7, 15, 0, tzinfo=CHICAGO)
    tuesday = datetime(2026, 12, 1, 9, 30, tzinfo=CHICAGO)
    assert reply_due(tuesday, 1, CHICAGO) == datetime(2026, 12, 2, 9, 30, tzinfo=CHICAGO)
    assert reply_due(tuesday, 3, CHICAGO) == datetime(2026, 12, 4, 9, 30, tzinfo=CHICAGO)
    # Sent on Saturday: the clock starts Monday morning, so it is due Tuesday at midnight.
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=CHICAGO)
    assert reply_due(saturday, 1, CHICAGO) == datetime(2026, 12, 8, 0, 0, tzinfo=CHICAGO)


def test_time_waiting_reads_in_minutes_hours_then_days() -> None:
    now = timezone.now()
    assert waited_words(now - timedelta(minutes=12), now) == "12 min"
    assert waited_words(now - timedelta(hours=3, minutes=40), now) == "3 h"
    assert waited_words(now - timedelta(days=1, hours=2), now) == "1 day"
    assert waited_words(now - timedelta(days=4), now) == "4 days"


def test_the_board_shows_open_inquiries_by_status_with_waiting_owner_and_next_action(
    world: World, client_for: Callable[[User], Client]
) -> None:
    new, contacted, closed = make(world, 3)
    referral = check_create_inquiry(
        world.intake, world.program,
        details(given_name="Rae", source=InquirySource.REFERRAL,
                referrer_organization="Mercy Hospital discharge planning"),
    )  # fmt: skip
    do_change_inquiry_status(world.intake, contacted, InquiryStatus.CONTACTED)
    do_change_inquiry_status(world.intake, closed, InquiryStatus.CLOSED, close_reason="other")
    do_assign_inquiry(
        world.intake, contacted, owner=world.intake, next_action="Send screening link",
        next_action_due=org_today() - timedelta(days=1),
    )  # fmt: skip
    age(new, timedelta(hours=3, minutes=5))
    body = client_for(world.intake).get(reverse("intake:board")).content.decode()
    assert "Mercy Hospital discharge planning" in body
    assert "3 h" in body
    assert "Send screening link" in body
    assert "Ingrid" in body
    assert body.count(reverse("intake:detail", args=[new.public_id])) == 1
    assert reverse("intake:detail", args=[closed.public_id]) not in body
    assert reverse("intake:detail", args=[referral.public_id]) in body
    new_section = body.split('data-status="new"')[1].split("</table>")[0]
    assert reverse("intake:detail", args=[contacted.public_id]) not in new_section
    assert "overdue" in body  # the contacted inquiry's next action was due yesterday


def test_overdue_replies_follow_the_programs_reply_time(world: World) -> None:
    recent, old = make(world, 2)
    age(old, timedelta(days=5))
    assert overdue_panel(world.intake)["overdue"] == 1  # type: ignore[index]  # a panel context
    IntakeSettings.objects.create(program=world.program, reply_within_days=10)
    assert overdue_panel(world.intake) is None
    assert overdue_panel(world.front_desk) is None  # counts are for those who answer them
    assert recent.is_open


def test_mine_shows_only_the_users_own_inquiries(
    world: World, client_for: Callable[[User], Client]
) -> None:
    mine, other = make(world, 2)
    do_assign_inquiry(world.intake, mine, owner=world.intake, next_action="", next_action_due=None)
    do_assign_inquiry(
        world.intake, other, owner=world.director, next_action="", next_action_due=None
    )
    body = client_for(world.intake).get(reverse("intake:board") + "?owner=mine").content.decode()
    assert reverse("intake:detail", args=[mine.public_id]) in body
    assert reverse("intake:detail", args=[other.public_id]) not in body
    sud = client_for(world.intake).get(
        reverse("intake:board") + f"?program={world.sud_program.public_id}"
    )
    assert reverse("intake:detail", args=[mine.public_id]) not in sud.content.decode()


@pytest.mark.parametrize("persona", ["director", "intake", "front_desk"])
def test_directors_intake_and_front_desk_have_the_board_in_their_menu(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    (inquiry,) = make(world)
    response = client_for(world.personas[persona]).get(reverse("intake:board"))
    assert response.status_code == 200
    assert f'href="{reverse("intake:board")}"' in response.content.decode()
    assert inquiry.display_name in response.content.decode()


@pytest.mark.parametrize("persona", ["clinician", "compliance", "outsider"])
def test_others_do_not_see_the_programs_inquiries(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    (inquiry,) = make(world)
    response = client_for(world.personas[persona]).get(reverse("intake:board"))
    assert inquiry.family_name not in response.content.decode()
    nav = client_for(world.personas[persona]).get(reverse("today")).content.decode()
    assert f'href="{reverse("intake:board")}"' not in nav


def test_the_board_records_each_person_with_a_record_and_the_list_itself(
    world: World, client_for: Callable[[User], Client]
) -> None:
    plain, linked = make(world, 2)
    Inquiry.objects.filter(pk=linked.pk).update(participant=world.participant)
    before = Event.objects.count()
    client_for(world.intake).get(reverse("intake:board"))
    events = Event.objects.filter(action=Action.LIST, object_type="intake.inquiry")
    assert events.count() == Event.objects.count() - before == 2
    assert {e.participant_id for e in events} == {None, world.participant.pk}
    listing = events.get(participant__isnull=True)
    assert listing.detail["inquiries"] == [str(plain.public_id)]
    assert "Rivera" not in str(listing.detail)


def test_the_board_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.intake)
    first, _ = make(world, 2)
    Inquiry.objects.filter(pk=first.pk).update(participant=world.participant)
    client.get(reverse("intake:board"))
    with count_queries() as small:
        assert client.get(reverse("intake:board")).status_code == 200
    more = make(world, 12)
    for inquiry in more[:4]:
        do_assign_inquiry(world.intake, inquiry, owner=world.director, next_action="Call",
                          next_action_due=org_today())  # fmt: skip
        do_change_inquiry_status(world.intake, inquiry, InquiryStatus.CONTACTED)
    Inquiry.objects.filter(pk=more[5].pk).update(participant=world.other_participant)
    with count_queries() as large:
        assert client.get(reverse("intake:board")).status_code == 200
    assert small.count == large.count
