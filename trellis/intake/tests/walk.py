"""Values for tests/test_url_access.py: an inquiry about the walk's target (admitted, so the
program's clinicians no longer reach it through intake; the care team's access governs)."""

from __future__ import annotations

from tests.personas import World
from trellis.intake.actions import InquiryDetails, do_create_inquiry
from trellis.intake.models import Inquiry, InquirySource, InquiryStatus
from trellis.participants.models import Participant


def intake_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    inquiry = do_create_inquiry(
        None,
        episode.program,
        InquiryDetails(
            source=InquirySource.PHONE,
            given_name=target.given_name,
            family_name=target.family_name,
            email=target.email or "walk@example.org",
        ),
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        participant=target, episode=episode, status=InquiryStatus.ADMITTED
    )
    del world
    return {"inquiry_id": str(inquiry.public_id)}


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
