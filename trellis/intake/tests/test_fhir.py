"""FHIR Consent and ServiceRequest: valid R4 resources (R4B models), read and searched only by
the people who see them on the pages, every read audited, and a referral search that runs the
same queries at any size."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.servicerequest import ServiceRequest

from tests.personas import World, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.intake import fhir
from trellis.intake.actions import check_admit, check_decide_level_of_care
from trellis.intake.models import (
    ConsentDocument,
    ConsentMethod,
    ConsentSignature,
    Inquiry,
    InquiryStatus,
    Level,
    LevelOfCareDecision,
)
from trellis.intake.queries import program_rules, screening_facts, screening_view
from trellis.intake.rules import recommend
from trellis.intake.tests.helpers import admission, decided_inquiry
from trellis.intake.tests.screening_helpers import complete, screened_inquiry
from trellis.participants.fhir import LEVEL_OF_CARE
from trellis.participants.models import Participant

pytestmark = pytest.mark.django_db

FHIR = "/api/v1/fhir"


def admitted(world: World) -> Participant:
    """Admitted with the clinician as primary and the director on the team; the treatment
    consent signed on the tablet and telehealth on paper."""
    inquiry = decided_inquiry(world)
    details = admission(world, org_today())
    details.consents = [
        (
            entry
            if entry.document.key == "treatment"
            else type(entry)(entry.document, ConsentMethod.PAPER, signed_on=org_today())
        )
        for entry in details.consents
    ]
    done = check_admit(world.intake, inquiry, details)
    return done.episode.participant


# --- Consent ---------------------------------------------------------------------------------


def test_each_consent_is_a_valid_fhir_consent_with_its_form_and_how_it_was_signed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    participant = admitted(world)
    client = client_for(world.clinician)
    response = client.get(f"{FHIR}/Consent?patient={participant.public_id}")
    assert response.status_code == 200, response.content
    bundle = response.json()
    Bundle.model_validate(bundle)
    resources = {e["resource"]["category"][1]["coding"][0]["code"]: e["resource"] for e in
                 bundle["entry"]}  # fmt: skip
    assert set(resources) == {"treatment", "telehealth"}
    treatment = resources["treatment"]
    Consent.model_validate(treatment)
    assert treatment["status"] == "active"
    assert treatment["scope"]["coding"][0]["code"] == "treatment"
    assert treatment["category"][0]["coding"][0]["code"] == "59284-0"
    assert treatment["patient"]["reference"] == f"Patient/{participant.public_id}"
    assert treatment["performer"] == [treatment["patient"]]
    assert treatment["organization"][0]["reference"] == (
        f"Organization/{world.organization.public_id}"
    )
    assert treatment["policyRule"]["coding"][0]["code"] == "treatment-v1"
    assert treatment["extension"] == [{"url": fhir.SIGNATURE_METHOD_URL, "valueCode": "tablet"}]
    paper = resources["telehealth"]
    assert paper["extension"][0]["valueCode"] == "paper"
    assert paper["dateTime"] == org_today().isoformat()
    # The typed name is the consents page's, not the API's.
    assert "Sam Rivera" not in response.content.decode().replace(participant.display_name, "")
    one = client.get(f"{FHIR}/Consent/{treatment['id']}")
    assert one.status_code == 200
    assert one.json() == treatment
    assert (
        Event.objects.filter(
            actor=world.clinician, action=Action.VIEW, object_type="intake.consentsignature"
        ).count()
        == 3
    )


def test_a_part2_consent_is_a_privacy_consent_found_by_its_category(world: World) -> None:
    participant = admitted(world)
    signature = ConsentSignature.objects.filter(episode__participant=participant).first()
    assert signature is not None
    part2 = ConsentDocument.objects.get(program=world.program, key="part2")  # seeded, off
    signature.document = part2
    resource = fhir.consent(signature)
    assert resource["scope"]["coding"][0]["code"] == "patient-privacy"
    assert {"system": fhir.CONSENT_KIND, "code": "part2"} in resource["category"][1]["coding"]


def test_a_consent_to_follow_is_proposed_and_names_no_performer(world: World) -> None:
    participant = admitted(world)
    signature = ConsentSignature.objects.filter(episode__participant=participant).first()
    assert signature is not None
    signature.method, signature.signed_on = ConsentMethod.TO_FOLLOW, None
    resource = fhir.consent(signature)
    assert resource["status"] == "proposed"
    assert "performer" not in resource


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("clinician", True),  # the care team
        ("director", True),
        ("other_clinician", False),
        ("intake", False),  # the consents page's paperwork, not the chart
        ("front_desk", False),
        ("compliance", False),
        ("outsider", False),
    ],
)
def test_consents_are_read_by_those_who_see_the_chart_clinically(
    world: World, client_for: Callable[[User], Client], persona: str, reads: bool
) -> None:
    participant = admitted(world)
    signature = ConsentSignature.objects.filter(episode__participant=participant).first()
    assert signature is not None
    client = client_for(world.personas[persona])
    one = client.get(f"{FHIR}/Consent/{signature.public_id}")
    search = client.get(f"{FHIR}/Consent?patient={participant.public_id}")
    assert one.status_code == (200 if reads else 404)
    assert search.status_code == (200 if reads else 404)
    if not reads:
        assert (
            Event.objects.filter(actor=world.personas[persona], outcome=Outcome.DENIED).count() == 2
        )
    assert client.get(f"{FHIR}/Consent/{participant.public_id}").status_code == 404


def test_a_consent_search_needs_a_patient(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.clinician).get(f"{FHIR}/Consent")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"patient"}


# --- ServiceRequest ----------------------------------------------------------------------------


def referred(world: World) -> tuple[Inquiry, LevelOfCareDecision]:
    inquiry, screening, _ = screened_inquiry(world, preferred_schedule="evening")
    complete(screening)
    inquiry.refresh_from_db()
    view = screening_view(inquiry)
    recommendation = recommend(program_rules(world.program)[0], screening_facts(inquiry, view))
    decision = check_decide_level_of_care(
        world.clinician,
        inquiry,
        recommendation,
        accept=False,
        level=Level.PARTIAL,
        rationale="Needs daily structure first.",
        destination="Lakeside partial hospitalization program",
    )
    inquiry.refresh_from_db()
    return inquiry, decision


def test_a_referral_elsewhere_is_a_valid_service_request(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, decision = referred(world)
    assert inquiry.participant is not None
    response = client_for(world.intake).get(f"{FHIR}/ServiceRequest/{decision.public_id}")
    assert response.status_code == 200, response.content
    resource = response.json()
    ServiceRequest.model_validate(resource)
    assert (resource["status"], resource["intent"]) == ("active", "order")
    codes = {(c["system"], c["code"]) for c in resource["code"]["coding"]}
    assert (fhir.REFERRAL_LEVEL, "partial") in codes
    assert (LEVEL_OF_CARE, "ASAM3:2.5") in codes
    assert resource["subject"]["reference"] == f"Patient/{inquiry.participant.public_id}"
    assert resource["requester"]["reference"] == f"Practitioner/{world.clinician.public_id}"
    assert resource["performer"] == [{"display": "Lakeside partial hospitalization program"}]
    assert {"text": "Needs daily structure first."} in resource["reasonCode"]
    assert Event.objects.filter(
        actor=world.intake, action=Action.VIEW, object_type="intake.levelofcaredecision"
    ).exists()
    Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.CLOSED)
    closed = client_for(world.director).get(f"{FHIR}/ServiceRequest/{decision.public_id}")
    assert closed.json()["status"] == "completed"


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("director", True),
        ("intake", True),
        ("clinician", False),  # decided it; the referred inquiry is intake's now
        ("front_desk", False),
        ("compliance", False),
        ("outsider", False),
    ],
)
def test_referrals_are_read_by_the_screening_page_s_people(
    world: World, client_for: Callable[[User], Client], persona: str, reads: bool
) -> None:
    _inquiry, decision = referred(world)
    client = client_for(world.personas[persona])
    assert client.get(f"{FHIR}/ServiceRequest/{decision.public_id}").status_code == (
        200 if reads else 404
    )
    bundle = client.get(f"{FHIR}/ServiceRequest").json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == (
        [str(decision.public_id)] if reads else []
    )


def test_a_decision_that_kept_the_person_here_is_no_service_request(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, screening, _ = screened_inquiry(world, preferred_schedule="evening")
    complete(screening)
    inquiry.refresh_from_db()
    view = screening_view(inquiry)
    recommendation = recommend(program_rules(world.program)[0], screening_facts(inquiry, view))
    decision = check_decide_level_of_care(world.clinician, inquiry, recommendation, accept=True)
    client = client_for(world.director)
    assert client.get(f"{FHIR}/ServiceRequest/{decision.public_id}").status_code == 404
    assert client.get(f"{FHIR}/ServiceRequest").json()["total"] == 0


def _refer(world: World, name: str) -> LevelOfCareDecision:
    inquiry = decided_inquiry(world, name)
    decision = LevelOfCareDecision.objects.create(
        inquiry=inquiry,
        recommendation={"level": "outpatient", "reasons": ["PHQ-9 below 5"]},
        recommended_level=Level.OUTPATIENT,
        accepted=True,
        level=Level.OUTPATIENT,
        destination="Community clinic",
        decided_by=world.clinician,
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.REFERRED)
    return decision


def test_the_referral_search_runs_the_same_queries_for_2_and_12_referrals(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.intake)
    url = f"{FHIR}/ServiceRequest?limit=50"
    for n in range(2):
        _refer(world, f"A{n}")
    client.get(url)
    with count_queries() as small:
        assert client.get(url).json()["total"] == 2
    for n in range(10):
        _refer(world, f"B{n}")
    with count_queries() as large:
        body = client.get(url).json()
    assert len(body["entry"]) == 12
    assert small.count == large.count
    Bundle.model_validate(body)


def test_the_consent_search_runs_the_same_queries_for_2_and_8_consents(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    participant = admitted(world)
    episode = participant.episodes.get()
    client = client_for(world.clinician)
    url = f"{FHIR}/Consent?patient={participant.public_id}"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).json()["total"] == 2
    for n in range(6):
        document = ConsentDocument.objects.create(
            program=world.program, key=f"extra{n}", title=f"Extra form {n}", summary="…"
        )
        ConsentSignature.objects.create(
            episode=episode, document=document, method=ConsentMethod.PAPER, signed_on=org_today()
        )
    with count_queries() as large:
        body = client.get(url).json()
    assert body["total"] == 8
    assert small.count == large.count
