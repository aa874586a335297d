"""Values for the URL walk (tests/test_url_access.py): an open inquiry in the target's
program, from the target (their name and email) and linked to their record, as when a person
who is known asks again."""

from __future__ import annotations

from tests.personas import World
from trellis.intake.actions import InquiryDetails, do_create_inquiry
from trellis.intake.models import Inquiry, InquirySource
from trellis.participants.models import Participant


def intake_walk_values(world: World, target: Participant) -> dict[str, str]:
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
