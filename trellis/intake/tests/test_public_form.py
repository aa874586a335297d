"""The program's public web form: no sign-in, a thank-you that says when the program will
call, the same answer whether or not the person is known, a honeypot and a throttle, and a
staff notice that names no one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.personas import World
from trellis.intake.models import Inquiry, InquirySource, IntakeSettings
from trellis.intake.views.public import PER_SESSION

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def form(**changes: str) -> dict[str, str]:
    return {
        "given_name": "Jordan", "family_name": "Vale", "phone": "(555) 010-0177",
        "email": "", "contact_preference": "phone", "preferred_schedule": "evening",
        "reason": "Panic attacks at work.", "consent_to_contact": "on", "website": "",
    } | changes  # fmt: skip


def url(world: World) -> str:
    return reverse("intake:inquire", args=[world.program.public_id])


def test_someone_asks_for_help_and_is_told_when_the_program_will_call(world: World) -> None:
    client = Client()
    assert client.get(url(world)).status_code == 200
    response = client.post(url(world), form(), follow=True)
    inquiry = Inquiry.objects.get()
    assert (inquiry.source, inquiry.created_by, inquiry.consent_to_contact) == (
        InquirySource.WEB, None, True,
    )  # fmt: skip
    assert inquiry.reason == "Panic attacks at work."
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "intake:inquire-thanks", args=[world.program.public_id]
    )
    assert "will contact you by" in body
    assert "Jordan" not in body
    assert "Panic" not in body


def test_the_answer_is_the_same_for_someone_already_known(world: World) -> None:
    known = world.participant
    new = Client().post(url(world), form(), follow=True)
    again = Client().post(
        url(world),
        form(given_name=known.given_name, family_name=known.family_name, email=known.email),
        follow=True,
    )

    def main(response: object) -> str:  # the page without its per-session CSRF token
        return str(response.content.decode().split('<main id="main"')[1])  # type: ignore[attr-defined]  # a test response

    assert new.redirect_chain == again.redirect_chain
    assert main(new) == main(again)
    assert known.family_name not in again.content.decode()


def test_consent_to_contact_and_a_way_to_reach_them_are_needed(world: World) -> None:
    response = Client().post(url(world), form(consent_to_contact=""))
    assert "We can only reply if you agree to be contacted." in response.content.decode()
    response = Client().post(url(world), form(phone="", email=""))
    assert "A phone number or an email address is needed" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_robot_that_fills_the_honeypot_is_thanked_and_nothing_is_kept(world: World) -> None:
    response = Client().post(url(world), form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Inquiry.objects.exists()


def test_one_browser_cannot_flood_the_board(world: World) -> None:
    client = Client()
    for _ in range(PER_SESSION):
        client.post(url(world), form())
    busy = client.post(url(world), form())
    assert busy.status_code == 429
    assert "try again later" in busy.content.decode()
    assert Inquiry.objects.count() == PER_SESSION


def test_the_intake_mailbox_is_told_an_inquiry_arrived_without_who_or_why(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    IntakeSettings.objects.create(program=world.program, notify_email="intake@example.test")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]  # pytest-django fixture
        Client().post(url(world), form())
    (message,) = mail.outbox
    inquiry = Inquiry.objects.get()
    assert message.to == ["intake@example.test"]
    assert world.program.name in message.subject
    assert str(inquiry.public_id) in message.body
    for private in ("Jordan", "Vale", "Panic", "010-0177"):
        assert private not in f"{message.subject} {message.body}"


def test_a_closed_or_unknown_program_has_no_form(world: World) -> None:
    world.program.is_active = False
    world.program.save()
    assert Client().get(url(world)).status_code == 404
    assert Client().get("/inquire/not-a-program/").status_code == 404
