"""Possible duplicates (each rule), merging one inquiry into another and linking one to an
existing participant: proposed by Trellis, done only by the coordinator, never across the
Part 2 wall."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.listed import listed
from tests.personas import World
from trellis.accounts.models import User
from trellis.intake.actions import (
    check_create_inquiry,
    check_link_participant,
    check_merge_inquiry,
    do_log_inquiry_event,
)
from trellis.intake.models import CloseReason, EventKind, Inquiry, InquiryStatus
from trellis.intake.queries import phone_digits, possible_duplicates
from trellis.intake.tests.test_inquiries import details

pytestmark = pytest.mark.django_db
BORN = date(1990, 4, 2)


def inquiry(world: World, program: object = None, **changes: object) -> Inquiry:
    return check_create_inquiry(world.intake, program or world.program, details(**changes))  # type: ignore[arg-type]  # a Program


def test_phone_numbers_compare_by_their_digits() -> None:
    assert phone_digits("(555) 010-0142") == phone_digits("+1 555.010.0142") == "5550100142"


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ({"phone": "(555) 010-0142"}, {"phone": "555.010.0142"}, "same phone"),
        (
            {"phone": "", "email": "Sam.R@Example.test"},
            {"phone": "", "email": "sam.r@example.test"},
            "same email",
        ),
        (
            {"phone": "555-0101", "date_of_birth": BORN},
            {"phone": "555-0199", "given_name": "SAM", "date_of_birth": BORN},
            "same name and date of birth",
        ),
    ],
)
def test_each_rule_finds_another_open_inquiry(
    world: World, first: dict[str, object], second: dict[str, object], reason: str
) -> None:
    one = inquiry(world, **first)
    two = inquiry(world, **second)
    (match,) = possible_duplicates(world.intake, two)
    assert match.inquiry == one
    assert match.reasons == [reason]


def test_different_people_and_closed_inquiries_are_not_proposed(world: World) -> None:
    inquiry(world, phone="555-0142", date_of_birth=BORN)
    closed = inquiry(world, phone="555-0177")
    from trellis.intake.actions import do_change_inquiry_status

    do_change_inquiry_status(world.intake, closed, InquiryStatus.CLOSED, close_reason="other")
    other = inquiry(world, phone="555-0177", given_name="Ana", date_of_birth=date(1991, 1, 1))
    assert possible_duplicates(world.intake, other) == []


def test_existing_participants_match_by_name_and_birth_date_phone_or_email(world: World) -> None:
    person = world.participant
    by_name = inquiry(
        world, given_name=person.given_name, family_name=person.family_name,
        date_of_birth=person.date_of_birth, phone="555-0150",
    )  # fmt: skip
    assert [m.participant for m in possible_duplicates(world.director, by_name)] == [person]
    person.phone, person.email = "555-010-0163", "quill@example.test"
    person.save()
    by_phone = inquiry(world, given_name="Q", phone="5550100163")
    assert possible_duplicates(world.director, by_phone)[0].reasons == ["same phone"]
    by_email = inquiry(world, given_name="Q", phone="", email="QUILL@example.test")
    assert possible_duplicates(world.director, by_email)[0].participant == person
    # Intake's window closed when care was handed to the team: the coordinator is not shown
    # the record (the director, who sees it, is).
    assert possible_duplicates(world.intake, by_email) == []


def test_a_part_2_participant_is_never_revealed_to_the_mental_health_program(
    world: World,
) -> None:
    hidden = world.sud_participant
    asking = inquiry(
        world, given_name=hidden.given_name, family_name=hidden.family_name,
        date_of_birth=hidden.date_of_birth,
    )  # fmt: skip
    assert possible_duplicates(world.intake, asking) == []
    # Nor another program's open inquiry the coordinator does not work.
    inquiry(world, program=world.sud_program, phone="555-0100")
    assert possible_duplicates(world.intake, asking) == []


def test_merging_closes_the_duplicate_and_keeps_its_history_on_the_survivor(
    world: World, client_for: Callable[[User], Client]
) -> None:
    survivor = inquiry(world, email="")
    duplicate = inquiry(world, email="sam@example.test", date_of_birth=BORN)
    do_log_inquiry_event(world.intake, duplicate, EventKind.CALL, "Asked about evenings.")
    client = client_for(world.intake)
    page = client.get(reverse("intake:detail", args=[duplicate.public_id])).content.decode()
    assert "Possible duplicates" in page
    assert "same phone" in page
    response = client.post(
        reverse("intake:merge", args=[duplicate.public_id]), {"into": str(survivor.public_id)}
    )
    assert response.url == reverse("intake:detail", args=[survivor.public_id])  # type: ignore[attr-defined]  # a redirect
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert (duplicate.status, duplicate.close_reason, duplicate.merged_into) == (
        InquiryStatus.CLOSED, CloseReason.DUPLICATE, survivor,
    )  # fmt: skip
    assert (survivor.email, survivor.date_of_birth) == ("sam@example.test", BORN)
    page = client.get(reverse("intake:detail", args=[survivor.public_id])).content.decode()
    assert "Asked about evenings." in page
    assert "from a merged inquiry" in page


def test_a_merge_is_refused_into_itself_a_finished_inquiry_or_by_the_front_desk(
    world: World,
) -> None:
    one, two = inquiry(world), inquiry(world)
    with pytest.raises(ValidationError):
        check_merge_inquiry(world.intake, one, one)
    with pytest.raises(ValidationError):
        check_merge_inquiry(world.front_desk, one, two)
    check_merge_inquiry(world.intake, one, two)
    with pytest.raises(ValidationError) as error:
        check_merge_inquiry(world.intake, two, one)
    assert "into" in error.value.message_dict


def test_linking_an_existing_participant_is_the_coordinators_choice(
    world: World, client_for: Callable[[User], Client]
) -> None:  # the director: the participant is in care, past intake's window
    person = world.participant
    asking = inquiry(
        world, given_name=person.given_name, family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )  # fmt: skip
    assert asking.participant is None  # nothing automatic
    page = client_for(world.director).get(reverse("intake:detail", args=[asking.public_id]))
    assert "Same person: link to this record" in page.content.decode()
    # The possible match names a participant: recorded like any list of people.
    assert person in listed(world.director, "intake.duplicate")
    client_for(world.director).post(
        reverse("intake:link", args=[asking.public_id]), {"participant": str(person.public_id)}
    )
    asking.refresh_from_db()
    assert asking.participant == person
    assert asking.episode is None  # screening or admission opens the episode later
    with pytest.raises(ValidationError):
        check_link_participant(world.director, asking, world.other_participant)
    # The front desk may not link, and a Part 2 participant cannot be reached by id.
    other = inquiry(world)
    with pytest.raises(ValidationError):
        check_link_participant(world.front_desk, other, person)
    response = client_for(world.director).post(
        reverse("intake:link", args=[other.public_id]),
        {"participant": str(world.sud_participant.public_id)},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.participant is None
