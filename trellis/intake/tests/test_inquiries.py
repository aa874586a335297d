"""Inquiries: receiving one, every status transition (allowed and refused), history, access."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.personas import World
from trellis.audit.models import Action, Event
from trellis.intake.access import access_inquiry
from trellis.intake.actions import (
    InquiryDetails,
    check_change_inquiry_status,
    check_create_inquiry,
    do_change_inquiry_status,
)
from trellis.intake.models import TRANSITIONS, EventKind, Inquiry, InquirySource, InquiryStatus

pytestmark = pytest.mark.django_db


def details(**changes: object) -> InquiryDetails:
    base = InquiryDetails(
        source=InquirySource.PHONE,
        given_name="Sam",
        family_name="Rivera",
        phone="555-0100",
        reason="I can't sleep and I keep missing work.",
        consent_to_contact=True,
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def inquiry_at(world: World, status: str) -> Inquiry:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    if status != InquiryStatus.NEW:
        do_change_inquiry_status(world.intake, inquiry, status)
    return inquiry


def test_a_phone_inquiry_is_recorded_with_its_history_and_an_audit_event(world: World) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.organization == world.organization
    assert list(inquiry.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]
    event = Event.objects.get(action=Action.CREATE, object_type="intake.inquiry")
    assert event.object_id == str(inquiry.public_id)
    assert "sleep" not in str(event.detail)
    # The reason is encrypted at rest: the raw column never holds the words.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM intake_inquiry WHERE id = %s", [inquiry.pk])
        assert "sleep" not in str(cursor.fetchone()[0])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_name": "  "}, "given_name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"source": "fax"}, "source"),
        ({"source": InquirySource.REFERRAL}, "referrer_organization"),
        ({"payment": "barter"}, "payment"),
    ],
)
def test_bad_inquiry_details_name_the_field_and_store_nothing(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        check_create_inquiry(world.intake, world.program, details(**changes))
    assert field in error.value.message_dict
    assert not Inquiry.objects.exists()


MANUAL = [s for s in InquiryStatus.values if s not in (InquiryStatus.ADMITTED, "waitlisted")]


@pytest.mark.parametrize(
    ("start", "goal"),
    [
        (a, b)
        for a, b in itertools.product(
            [InquiryStatus.NEW, InquiryStatus.CONTACTED, InquiryStatus.SCREENING,
             InquiryStatus.DECISION, InquiryStatus.CLOSED],
            MANUAL,
        )
        if a != b
    ],
)  # fmt: skip
def test_every_manual_status_change_follows_the_transition_table(
    world: World, start: str, goal: str
) -> None:
    inquiry = inquiry_at(world, start)
    reason = "no_response" if goal == InquiryStatus.CLOSED else ""
    if goal in TRANSITIONS[start]:
        check_change_inquiry_status(world.intake, inquiry, goal, close_reason=reason)
        inquiry.refresh_from_db()
        assert inquiry.status == goal
        event = inquiry.events.order_by("-at", "-pk").first()
        assert event is not None
        assert (event.from_status, event.to_status) == (start, goal)
    else:
        with pytest.raises(ValidationError) as error:
            check_change_inquiry_status(world.intake, inquiry, goal, close_reason=reason)
        assert "status" in error.value.message_dict
        inquiry.refresh_from_db()
        assert inquiry.status == start


@pytest.mark.parametrize("finished", [InquiryStatus.ADMITTED, InquiryStatus.REFERRED])
def test_admitted_and_referred_inquiries_are_finished(world: World, finished: str) -> None:
    inquiry = inquiry_at(world, finished)
    for goal in MANUAL:
        with pytest.raises(ValidationError):
            check_change_inquiry_status(world.intake, inquiry, goal, close_reason="other")


def test_admission_and_the_waitlist_are_not_plain_status_changes(world: World) -> None:
    inquiry = inquiry_at(world, InquiryStatus.DECISION)
    for goal in (InquiryStatus.ADMITTED, InquiryStatus.WAITLISTED):
        with pytest.raises(ValidationError, match="own steps"):
            check_change_inquiry_status(world.intake, inquiry, goal)


def test_closing_needs_a_reason_and_reopening_clears_it(world: World) -> None:
    inquiry = inquiry_at(world, InquiryStatus.CONTACTED)
    with pytest.raises(ValidationError) as error:
        check_change_inquiry_status(world.intake, inquiry, InquiryStatus.CLOSED)
    assert "close_reason" in error.value.message_dict
    check_change_inquiry_status(
        world.intake, inquiry, InquiryStatus.CLOSED, close_reason="chose_elsewhere"
    )
    check_change_inquiry_status(world.intake, inquiry, InquiryStatus.NEW)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == (InquiryStatus.NEW, "")


def test_a_stale_status_change_is_refused(world: World) -> None:
    inquiry = inquiry_at(world, InquiryStatus.NEW)
    stale = Inquiry.objects.get(pk=inquiry.pk)
    check_change_inquiry_status(world.intake, inquiry, InquiryStatus.CONTACTED)
    with pytest.raises(ValidationError, match="Someone else"):
        check_change_inquiry_status(world.intake, stale, InquiryStatus.SCREENING)


def test_who_opens_an_inquiry_and_how_much(world: World) -> None:
    inquiry = inquiry_at(world, InquiryStatus.NEW)
    for user in (world.director, world.intake):
        assert access_inquiry(user, inquiry.public_id, clinical=True).clinical
    front = access_inquiry(world.front_desk, inquiry.public_id)
    assert not front.clinical
    with pytest.raises(Http404):
        access_inquiry(world.front_desk, inquiry.public_id, clinical=True)
    for user in (world.clinician, world.compliance, world.outsider, world.participant_user):
        with pytest.raises(Http404):
            access_inquiry(user, inquiry.public_id)
    denials = Event.objects.filter(action=Action.DENY, object_type="intake.inquiry")
    assert denials.count() == 5
    views = Event.objects.filter(action=Action.VIEW, object_type="intake.inquiry")
    assert views.count() == 3
