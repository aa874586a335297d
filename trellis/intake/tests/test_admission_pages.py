"""The admission page, the consents page and the consent set-up, per persona."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.intake.actions import (
    check_revise_consent_document,
    do_seed_consent_documents,
)
from trellis.intake.models import (
    ConsentDocument,
    ConsentMethod,
    ConsentSignature,
    InquiryStatus,
)
from trellis.intake.tests.helpers import decided_inquiry, evening_group
from trellis.participants.models import EpisodeStatus

pytestmark = pytest.mark.django_db


def form_data(world: World, **changes: str) -> dict[str, str]:
    data = {
        "track": str(world.evening.public_id),
        "admitted_on": org_today().isoformat(),
        "primary": str(world.clinician.pk),
        "primary_role": "therapist",
        "consent_treatment": ConsentMethod.TABLET,
        "consent_treatment_name": "Sam Rivera",
        "consent_treatment_agree": "on",
        "consent_telehealth": ConsentMethod.TO_FOLLOW,
    }
    data.update(changes)
    return data


def test_an_intake_coordinator_admits_from_the_page_and_sees_the_first_session(
    world: World, client_for: Callable[[User], Client]
) -> None:
    evening_group(world)
    inquiry = decided_inquiry(world)
    client = client_for(world.intake)
    url = f"/intake/{inquiry.public_id}/admit/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Consent to treatment" in page.content.decode()
    response = client.post(url, form_data(world), follow=True)
    body = response.content.decode()
    assert "is admitted" in body
    assert "First session" in body
    assert "6:00 pm" in body or "6:00 PM" in body
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ADMITTED
    assert inquiry.episode is not None
    assert inquiry.episode.status == EpisodeStatus.ACTIVE
    methods = dict(
        ConsentSignature.objects.filter(episode=inquiry.episode).values_list(
            "document__key", "method"
        )
    )
    assert methods == {"treatment": "tablet", "telehealth": "to_follow"}


def test_bad_admission_input_names_the_field_and_keeps_what_was_typed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = decided_inquiry(world)
    url = f"/intake/{inquiry.public_id}/admit/"
    far = (org_today() + timedelta(days=60)).isoformat()
    response = client_for(world.intake).post(
        url, form_data(world, admitted_on=far, consent_treatment_agree="")
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "more than 30 days away" in body
    assert "I have read and agree" in body
    assert 'value="Sam Rivera"' in body
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION


def test_only_directors_and_intake_open_the_admission_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = decided_inquiry(world)
    url = f"/intake/{inquiry.public_id}/admit/"
    assert client_for(world.director).get(url).status_code == 200
    for persona in (world.front_desk, world.clinician, world.outsider, world.compliance):
        assert client_for(persona).get(url).status_code == 404


def test_the_inquiry_and_screening_pages_lead_to_admission_while_a_decision_waits(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """An intake coordinator reaches the admission form from the inquiry and its screening;
    the front desk and clinicians, who may not admit, see no such link."""
    inquiry = decided_inquiry(world)
    admit = f'href="/intake/{inquiry.public_id}/admit/"'
    intake = client_for(world.intake)
    assert admit in intake.get(f"/intake/{inquiry.public_id}/").content.decode()
    assert admit in intake.get(f"/intake/{inquiry.public_id}/screening/").content.decode()
    front_desk = client_for(world.front_desk).get(f"/intake/{inquiry.public_id}/")
    assert admit not in front_desk.content.decode()
    clinician = client_for(world.clinician).get(f"/intake/{inquiry.public_id}/screening/")
    assert clinician.status_code == 200
    assert admit not in clinician.content.decode()


def test_front_desk_sees_that_consents_are_signed_but_not_their_text(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = decided_inquiry(world)
    client_for(world.intake).post(f"/intake/{inquiry.public_id}/admit/", form_data(world))
    url = f"/intake/{inquiry.public_id}/consents/"
    front = client_for(world.front_desk).get(url).content.decode()
    assert "Consent to treatment" in front
    assert "Signed on the tablet" in front
    assert "I agree to take part" not in front  # the form's text
    assert "Sign a consent" not in front
    intake = client_for(world.intake).get(url).content.decode()
    assert "Sign a consent" in intake  # telehealth is to follow
    # Front desk cannot sign.
    telehealth = ConsentDocument.objects.get(program=world.program, key="telehealth")
    refused = client_for(world.front_desk).post(
        url, {"document": str(telehealth.public_id), "method": "paper", "signed_on": "2026-01-01"}
    )
    assert refused.status_code == 404
    signed = client_for(world.intake).post(
        url,
        {"document": str(telehealth.public_id), "method": "tablet", "typed_name": "Sam Rivera",
         "agreed": "on"},
        follow=True,
    )  # fmt: skip
    assert "Consent to telehealth is recorded" in signed.content.decode()
    assert ConsentSignature.objects.get(document=telehealth).method == ConsentMethod.TABLET


def test_a_new_version_of_a_form_keeps_old_signatures_on_the_old_version(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = decided_inquiry(world)
    client_for(world.intake).post(f"/intake/{inquiry.public_id}/admit/", form_data(world))
    old = ConsentDocument.objects.get(program=world.program, key="treatment", is_active=True)
    new = check_revise_consent_document(
        world.director, old, title=old.title, summary=old.summary + " Updated wording.",
        required=True, may_follow=False, is_active=True,
    )  # fmt: skip
    assert (new.version, new.is_active) == (2, True)
    old.refresh_from_db()
    assert not old.is_active
    signature = ConsentSignature.objects.get(document__key="treatment")
    assert signature.document == old
    assert "Updated wording" not in signature.document.summary
    page = client_for(world.intake).get(f"/intake/{inquiry.public_id}/consents/").content
    assert "version 1; the form has changed since" in page.decode()


def test_the_consent_setup_page_is_for_directors_and_linked_from_the_hub(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/intake/setup/{world.program.public_id}/consents/"
    hub = client_for(world.director).get(f"/programs/{world.program.public_id}/setup/")
    assert url in hub.content.decode()
    page = client_for(world.director).get(url).content.decode()
    assert "Consent to treatment" in page
    assert "42 CFR Part 2" in page
    # The page's title is plain words; the admission settings are a section of the page.
    assert f"<title>Consent documents · {world.program.name} · Trellis</title>" in page
    assert page.index('id="settings-title"') > page.index("<main")
    assert page.count('id="settings-title"') == 1
    for persona in (world.intake, world.front_desk, world.clinician, world.outsider):
        assert client_for(persona).get(url).status_code == 404
    added = client_for(world.director).post(
        url,
        {"key": "group-rules", "title": "Group agreement", "summary": "I keep what others "
         "share in group private."},
        follow=True,
    )  # fmt: skip
    assert "Consent document added" in added.content.decode()
    assert ConsentDocument.objects.filter(program=world.program, key="group-rules").exists()


def test_seeding_is_idempotent_and_part2_starts_off(world: World) -> None:
    made = do_seed_consent_documents(None, world.sud_program)
    assert do_seed_consent_documents(None, world.sud_program) == []
    assert {d.key: d.is_active for d in made} == {
        "treatment": True, "part2": False, "telehealth": True,
    }  # fmt: skip


def test_a_director_sets_when_the_initial_plan_is_due(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from trellis.intake.actions import check_admit
    from trellis.intake.tests.helpers import admission
    from trellis.worklist.models import Alert

    url = f"/intake/setup/{world.program.public_id}/consents/"
    bad = client_for(world.director).post(url, {"plan_due_days": "0", "baseline_days": "7"})
    assert bad.status_code == 422
    client_for(world.director).post(url, {"plan_due_days": "10", "baseline_days": "7"})
    done = check_admit(world.intake, decided_inquiry(world), admission(world, org_today()))
    task = Alert.objects.get(episode=done.episode)
    assert task.due_at.astimezone(world.organization.tz).date() == org_today() + timedelta(10)
