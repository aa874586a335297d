"""Correcting a participant's details: contact details by the front desk, intake, directors
and the care team; the legal identity with a reason by directors and intake, audited by
field name only; MRNs from the organization's own sequence; languages from the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, make_participant
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.actions import (
    LegalIdentity,
    ParticipantDetails,
    check_correct_identity,
    check_create_participant,
    next_mrn,
)
from trellis.participants.models import IdentityCorrection, MrnSequence, Participant

Clients = Callable[[User], Client]


def url(world: World) -> str:
    return f"/participants/{world.participant.public_id}/details/"


def for_persona(world: World, persona: str) -> World:
    """The persona's subject: an intake coordinator sees a person only until a care team is
    set (as on the chart), so theirs is a newcomer without one."""
    if persona == "intake":
        world.participant = make_participant(
            world.organization, "MRN-7100", "Noor", "Newcombe", program=world.program
        )
    return world


def contact(**overrides: str) -> dict[str, Any]:
    data = {
        "part": "contact", "preferred_name": "Pat", "pronouns": "they/them", "language": "es",
        "phone": "555-0199", "email": "pat@example.test", "address_line1": "1 Elm St",
        "city": "Portland", "state": "or", "postal_code": "97201",
        "emergency_contact_name": "Lee", "emergency_contact_relationship": "sibling",
        "emergency_contact_phone": "555-0100",
    }  # fmt: skip
    data.update(overrides)
    return data


def identity(world: World, **overrides: str) -> dict[str, Any]:
    p = world.participant
    data = {
        "part": "identity", "given_name": p.given_name, "family_name": p.family_name,
        "date_of_birth": p.date_of_birth.isoformat(), "mrn": p.mrn,
        "reason": "Legal name change (court order)",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["front_desk", "intake", "director", "clinician"])
def test_contact_details_are_corrected_by_the_roles_who_keep_them(
    world: World, client_for: Clients, persona: str
) -> None:
    world = for_persona(world, persona)
    client = client_for(world.personas[persona])
    assert client.get(url(world)).status_code == 200
    response = client.post(url(world), contact())
    assert response.status_code == 302
    person = Participant.objects.get(pk=world.participant.pk)
    assert (person.phone, person.language, person.state) == ("555-0199", "es", "OR")
    event = Event.objects.filter(
        actor=world.personas[persona], action=Action.UPDATE, detail__has_key="fields"
    ).last()
    assert event is not None
    assert "phone" in event.detail["fields"]
    assert "555-0199" not in str(event.detail)  # which fields, never the values


@pytest.mark.parametrize("persona", ["other_clinician", "outsider", "compliance"])
def test_everyone_else_gets_404_and_a_deny_event(
    world: World, client_for: Clients, persona: str
) -> None:
    user = world.personas[persona]
    client = client_for(user)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), contact()).status_code == 404
    assert Participant.objects.get(pk=world.participant.pk).phone != "555-0199"
    assert Event.objects.filter(actor=user, action=Action.DENY).exists()


def test_intake_loses_the_details_once_a_care_team_is_set(
    world: World, client_for: Clients
) -> None:
    assert client_for(world.intake).get(url(world)).status_code == 404


def test_the_participant_cannot_use_the_staff_page(world: World, client_for: Clients) -> None:
    client = client_for(world.participant_user)
    assert client.post(url(world), contact()).status_code in (403, 404)
    assert Participant.objects.get(pk=world.participant.pk).phone != "555-0199"


def test_language_is_chosen_from_the_list(world: World, client_for: Clients) -> None:
    client = client_for(world.front_desk)
    page = client.get(url(world)).content.decode()
    assert '<option value="vi">Vietnamese</option>' in page
    response = client.post(url(world), contact(language="xx"))
    assert response.status_code == 422
    assert Participant.objects.get(pk=world.participant.pk).language == "en"


@pytest.mark.parametrize("persona", ["front_desk", "clinician"])
def test_legal_identity_is_not_theirs_to_correct(
    world: World, client_for: Clients, persona: str
) -> None:
    client = client_for(world.personas[persona])
    assert "Legal identity" not in client.get(url(world)).content.decode()
    client.post(url(world), identity(world, given_name="Changed"))
    assert Participant.objects.get(pk=world.participant.pk).given_name != "Changed"


@pytest.mark.parametrize("persona", ["intake", "director"])
def test_legal_identity_is_corrected_with_a_reason_and_audited_by_field(
    world: World, client_for: Clients, persona: str
) -> None:
    world = for_persona(world, persona)
    client = client_for(world.personas[persona])
    refused = client.post(url(world), identity(world, given_name="Patrizia", reason=""))
    assert refused.status_code == 422
    assert Participant.objects.get(pk=world.participant.pk).given_name != "Patrizia"

    response = client.post(
        url(world), identity(world, given_name="Patrizia", date_of_birth="1990-01-02")
    )
    assert response.status_code == 302
    person = Participant.objects.get(pk=world.participant.pk)
    assert (person.given_name, person.date_of_birth) == ("Patrizia", date(1990, 1, 2))
    correction = IdentityCorrection.objects.get(participant=person)
    assert sorted(correction.fields) == ["date_of_birth", "given_name"]
    assert correction.reason == "Legal name change (court order)"
    event = Event.objects.filter(
        actor=world.personas[persona], action=Action.UPDATE, detail__has_key="fields"
    ).last()
    assert event is not None
    assert sorted(event.detail["fields"]) == ["date_of_birth", "given_name"]
    assert "Patrizia" not in str(event.detail)
    assert "court" not in str(event.detail)


def test_an_mrn_correction_refuses_one_already_used(world: World) -> None:
    with pytest.raises(ValidationError, match="already used"):
        check_correct_identity(
            world.intake,
            world.participant,
            LegalIdentity("Pat", "Participant", date(1990, 1, 1), world.other_participant.mrn),
            reason="typo",
        )


def details(mrn: str = "") -> ParticipantDetails:
    return ParticipantDetails(
        mrn=mrn, given_name="Noa", family_name="Brightwater", date_of_birth=date(1991, 5, 6)
    )


def test_an_mrn_left_empty_comes_from_the_organizations_sequence(world: World) -> None:
    MrnSequence.objects.create(organization=world.organization, prefix="RB-", next_number=41)
    first = check_create_participant(world.intake, world.organization, details())
    make_participant(world.organization, "RB-000042", "Typed", "Byhand")  # typed, not taken
    second = check_create_participant(world.intake, world.organization, details())
    typed = check_create_participant(world.intake, world.organization, details("X-1"))
    assert (first.mrn, second.mrn, typed.mrn) == ("RB-000041", "RB-000043", "X-1")


def test_the_sequence_is_taken_under_a_lock_and_never_repeats(world: World) -> None:
    """Two registrations in a row each take their own number; the row lock (select_for_update)
    makes concurrent ones wait for each other on PostgreSQL."""
    numbers = {next_mrn(world.organization) for _ in range(5)}
    assert len(numbers) == 5
    assert MrnSequence.objects.get(organization=world.organization).next_number == 6
