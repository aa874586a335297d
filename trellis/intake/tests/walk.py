"""Values for the URL walk (tests/test_url_access.py): an inquiry about the walk's target,
its waitlist entry on their track, and a consent document of their program."""

from __future__ import annotations

from datetime import date

from tests.personas import World
from trellis.intake.actions import InquiryDetails, do_create_inquiry, do_seed_consent_documents
from trellis.intake.models import (
    ConsentMethod,
    ConsentSignature,
    Inquiry,
    InquirySource,
    InquiryStatus,
    Level,
    LevelOfCareDecision,
    WaitlistEntry,
)
from trellis.participants.models import Participant


def intake_walk_values(world: World, target: Participant) -> dict[str, str]:
    """An inquiry in the target's program, under the target's name and linked to their record
    (as screening links it), and admitted: the care team's access governs the screening, so a
    walk that reaches it would show the target's identity."""
    episode = target.episodes.get()
    inquiry = do_create_inquiry(
        world.intake,
        episode.program,
        InquiryDetails(
            source=InquirySource.PHONE,
            given_name=target.given_name,
            family_name=target.family_name,
            email=target.email,
            reason="Walk inquiry reason",
        ),
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        participant=target, episode=episode, status=InquiryStatus.ADMITTED
    )
    track = episode.track or episode.program.tracks.first()
    assert track is not None
    entry = WaitlistEntry.objects.create(track=track, inquiry=inquiry, episode=episode, rank=1)
    document = do_seed_consent_documents(None, episode.program)[0]
    # The target's consent (FHIR Consent) and a referral elsewhere of the walk inquiry (FHIR
    # ServiceRequest): both name the target.
    signature = ConsentSignature.objects.create(
        episode=episode, document=document, method=ConsentMethod.PAPER, signed_on=date(2026, 1, 5)
    )
    decision = LevelOfCareDecision.objects.create(
        inquiry=inquiry,
        recommendation={"level": Level.OUTPATIENT, "reasons": []},
        recommended_level=Level.OUTPATIENT,
        accepted=True,
        level=Level.OUTPATIENT,
        destination="Walk community clinic",
        decided_by=world.clinician,
    )
    return {
        "inquiry_id": str(inquiry.public_id),
        "waitlist_entry_id": str(entry.public_id),
        "document_id": str(document.public_id),
        "consent_id": str(signature.public_id),
        "decision_id": str(decision.public_id),
    }


def intake_board_walk_values(world: World, target: Participant) -> dict[str, str]:
    """An open inquiry in the target's program, from the target (their name and email) and
    linked to their record, as when a known person asks again: on the intake board and its
    pages for the program's directors, intake and front desk, and nowhere else."""
    episode = target.episodes.get()
    inquiry = do_create_inquiry(
        world.director,
        episode.program,
        InquiryDetails(
            source=InquirySource.PHONE,
            given_name=target.given_name,
            family_name=target.family_name,
            email=target.email,
            phone="555-0199",
            reason="Walk reason",
        ),
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(participant=target)
    return {"inquiry_id": str(inquiry.public_id)}
