"""The person's record behind an inquiry: a participant and a planned episode.

Screening, a decision, admission and the waitlist all need them (the screening's check-ins
are the planned episode's; admission turns the same episode active). `check_open_record`
creates them once, from what the inquiry holds, or links a participant the coordinator
chose as the same person (a returning participant keeps their history: a new episode, never a
new person)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.intake.actions.inquiries import lock_inquiry
from trellis.intake.models import EventKind, Inquiry, InquiryEvent
from trellis.participants.actions import (
    ParticipantDetails,
    check_create_participant,
    check_open_episode,
)
from trellis.participants.models import EpisodeStatus, Participant

if TYPE_CHECKING:
    from trellis.accounts.models import User


@transaction.atomic
def check_open_record(
    actor: User,
    inquiry: Inquiry,
    *,
    mrn: str = "",
    date_of_birth: date | None = None,
    participant: Participant | None = None,
) -> Inquiry:
    """Give the inquiry its participant and planned episode (idempotent: an inquiry that has
    an open episode keeps it). `participant` links an existing person of the organization;
    otherwise one is registered from the inquiry with `mrn` and `date_of_birth` (the
    inquiry's own date of birth when it has one). One transaction: a refusal leaves nothing."""
    fresh = lock_inquiry(inquiry)
    if fresh.episode is not None and fresh.episode.is_open:
        return fresh
    if not fresh.is_open:
        raise ValidationError({"status": "This inquiry is finished."})
    # A reopened inquiry, or one the coordinator linked to a known person, keeps its person.
    participant = participant or fresh.participant
    if participant is not None:
        if participant.organization_id != fresh.organization_id:
            raise ValidationError({"participant": "That person belongs to another organization."})
        episode = check_open_episode(
            actor, participant, fresh.program, status=EpisodeStatus.PLANNED
        )
    else:
        born = date_of_birth or fresh.date_of_birth
        if born is None:
            raise ValidationError({"date_of_birth": "A date of birth is needed for the record."})
        details = ParticipantDetails(
            mrn=mrn,
            given_name=fresh.given_name,
            family_name=fresh.family_name or "—",
            date_of_birth=born,
            preferred_name=fresh.preferred_name,
            email=fresh.email,
            phone=fresh.phone,
            language=fresh.language,
        )
        participant = check_create_participant(
            actor, fresh.organization, details, program=fresh.program, status=EpisodeStatus.PLANNED
        )
        episode = participant.episodes.get(program=fresh.program)
    fresh.participant, fresh.episode = participant, episode
    update = ["participant", "episode"]
    if fresh.date_of_birth is None:
        fresh.date_of_birth = participant.date_of_birth
        update.append("date_of_birth")
    fresh.save(update_fields=update)
    InquiryEvent.objects.create(
        inquiry=fresh, kind=EventKind.NOTE, by=actor,
        text="Record opened: a planned episode in " + fresh.program.name + ".",
    )  # fmt: skip
    inquiry.participant, inquiry.episode = participant, episode
    return fresh
