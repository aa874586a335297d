"""Values for the URL walk (tests/test_url_access.py): an inquiry about the target, linked
to their record, on the waitlist of their track, and a consent document of their program."""

from __future__ import annotations

from tests.personas import World
from trellis.intake.actions import check_create_inquiry, do_seed_consent_documents
from trellis.intake.models import Inquiry, WaitlistEntry
from trellis.intake.tests.test_inquiries import details
from trellis.participants.models import Participant


def intake_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    program = episode.program
    inquiry = check_create_inquiry(None, program, details(given_name="Walk", family_name="Inq"))
    Inquiry.objects.filter(pk=inquiry.pk).update(participant=target, episode=episode)
    track = episode.track or program.tracks.first()
    assert track is not None
    entry = WaitlistEntry.objects.create(track=track, inquiry=inquiry, episode=episode, rank=1)
    document = do_seed_consent_documents(None, program)[0]
    return {
        "inquiry_id": str(inquiry.public_id),
        "waitlist_entry_id": str(entry.public_id),
        "document_id": str(document.public_id),
    }
