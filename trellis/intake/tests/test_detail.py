"""One inquiry's page: who sees what, logging calls, assigning an owner with a next action,
and the status moves a coordinator makes from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.intake.actions import check_create_inquiry
from trellis.intake.models import CloseReason, EventKind, Inquiry, InquiryStatus
from trellis.intake.tests.test_inquiries import details

pytestmark = pytest.mark.django_db
REASON = "I can't sleep and I keep missing work."


def inquiry_of(world: World) -> Inquiry:
    return check_create_inquiry(world.front_desk, world.program, details())


def page(client: Client, inquiry: Inquiry) -> str:
    return client.get(reverse("intake:detail", args=[inquiry.public_id])).content.decode()


def test_intake_sees_the_reason_and_the_historys_words(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    client = client_for(world.intake)
    client.post(
        reverse("intake:log", args=[inquiry.public_id]),
        {"kind": EventKind.CALL, "text": "Left a voicemail about evening groups."},
    )
    body = page(client, inquiry)
    assert "keep missing work" in body
    assert "Left a voicemail about evening groups." in body
    assert "Log a call, note or message" in body
    assert reverse("intake:screening", args=[inquiry.public_id]) in body


def test_the_front_desk_sees_contact_details_and_who_called_but_not_the_words(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    front = client_for(world.front_desk)
    response = front.post(
        reverse("intake:log", args=[inquiry.public_id]),
        {"kind": EventKind.CALL, "text": "Said he drinks most nights."},
    )
    assert response.status_code == 302
    assert inquiry.events.filter(kind=EventKind.CALL, by=world.front_desk).exists()
    body = page(front, inquiry)
    assert "555-0100" in body
    assert "Sam Rivera" in body
    assert "Call" in body
    assert "Frankie" in body
    assert "drinks most nights" not in body
    assert "keep missing work" not in body
    assert reverse("intake:assign", args=[inquiry.public_id]) not in body
    assert reverse("intake:screening", args=[inquiry.public_id]) not in body
    # Notes are for intake, and so are the owner and status moves.
    front.post(reverse("intake:log", args=[inquiry.public_id]), {"kind": "note", "text": "Note."})
    assert not inquiry.events.filter(kind=EventKind.NOTE).exists()
    refused = front.post(
        reverse("intake:status", args=[inquiry.public_id]), {"to": InquiryStatus.CONTACTED}
    )
    assert refused.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


@pytest.mark.parametrize("persona", ["clinician", "outsider", "compliance", "participant"])
def test_everyone_else_is_refused_and_sees_nothing(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    inquiry = inquiry_of(world)
    client = client_for(world.personas[persona])
    # Staff get the audited 404 of a missing inquiry; a participant the staff-only 403.
    response = client.get(reverse("intake:detail", args=[inquiry.public_id]))
    assert response.status_code == (403 if persona == "participant" else 404)
    assert "Rivera" not in response.content.decode()
    response = client.post(
        reverse("intake:log", args=[inquiry.public_id]), {"kind": "call", "text": "x"}
    )
    assert response.status_code in (403, 404)
    assert inquiry.events.count() == 1


def test_the_coordinator_assigns_herself_with_a_next_action_and_due_date(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    due = org_today() + timedelta(days=1)
    client_for(world.intake).post(
        reverse("intake:assign", args=[inquiry.public_id]),
        {"owner": str(world.intake.public_id), "next_action": "Send screening link",
         "next_action_due": due.isoformat()},
    )  # fmt: skip
    inquiry.refresh_from_db()
    assert (inquiry.owner, inquiry.next_action, inquiry.next_action_due) == (
        world.intake, "Send screening link", due,
    )  # fmt: skip
    assert inquiry.events.filter(kind=EventKind.ASSIGNED).exists()


def test_only_intake_coordinators_and_directors_may_own_an_inquiry(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    response = client_for(world.intake).post(
        reverse("intake:assign", args=[inquiry.public_id]),
        {"owner": str(world.front_desk.public_id), "next_action": "Call back"},
        follow=True,
    )
    inquiry.refresh_from_db()
    assert inquiry.owner is None
    assert "Owner" in response.content.decode()  # the form names the refused field


def test_contacted_closed_with_a_reason_and_reopened(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    client = client_for(world.intake)
    url = reverse("intake:status", args=[inquiry.public_id])
    client.post(url, {"to": InquiryStatus.CONTACTED, "note": "Spoke to him."})
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONTACTED
    refused = client.post(url, {"to": InquiryStatus.CLOSED}, follow=True)
    assert "Say why the inquiry is closed." in refused.content.decode()
    client.post(url, {"to": InquiryStatus.CLOSED, "close_reason": CloseReason.NO_RESPONSE})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == (InquiryStatus.CLOSED, "no_response")
    client.post(url, {"to": InquiryStatus.NEW, "note": "Called back."})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == (InquiryStatus.NEW, "")


def test_referred_elsewhere_keeps_where_to(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    client = client_for(world.intake)
    url = reverse("intake:status", args=[inquiry.public_id])
    response = client.post(url, {"to": "referred", "destination": ""}, follow=True)
    assert "Say where the person was referred." in response.content.decode()
    client.post(url, {"to": "referred", "destination": "Lakeside residential program"})
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REFERRED
    assert "Lakeside residential program" in page(client, inquiry)


def test_staff_record_a_referral_with_the_referrers_details(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.front_desk)
    form = {
        "program": str(world.program.public_id), "source": "referral", "given_name": "Rae",
        "family_name": "Okafor", "phone": "555-0142", "contact_preference": "phone",
        "language": "en", "preferred_schedule": "evening", "payment": "medicaid",
    }  # fmt: skip
    refused = client.post(reverse("intake:new"), form)
    assert "A referral names the referring organization." in refused.content.decode()
    assert not Inquiry.objects.exists()
    response = client.post(
        reverse("intake:new"), form | {"referrer_organization": "Mercy Hospital"}
    )
    inquiry = Inquiry.objects.get()
    assert response.url == reverse("intake:detail", args=[inquiry.public_id])  # type: ignore[attr-defined]  # a redirect
    assert (inquiry.source, inquiry.referrer_organization, inquiry.owner) == (
        "referral", "Mercy Hospital", None,
    )  # fmt: skip
    # A coordinator who types one owns it.
    client_for(world.intake).post(
        reverse("intake:new"), form | {"referrer_organization": "Mercy", "given_name": "Lee"}
    )
    assert Inquiry.objects.get(given_name="Lee").owner == world.intake


def test_intake_loses_an_admitted_inquiry_with_the_chart(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = inquiry_of(world)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        status=InquiryStatus.ADMITTED, participant=world.participant
    )
    url = reverse("intake:detail", args=[inquiry.public_id])
    assert client_for(world.intake).get(url).status_code == 404
    assert client_for(world.director).get(url).status_code == 200
    assert client_for(world.front_desk).get(url).status_code == 200
