"""Opening a participant's practice data, audited (one section per part)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.privacy.access import ParticipantAccess, Scope, access_participant, deny_object

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.practice.models import DiaryCardConfig

# --- practice-diary ---


@dataclass(frozen=True)
class DiaryAccess:
    """A participant's current episode's diary card, opened by its care team or by the
    participant; `config` is the program's card (None: the program does not use one)."""

    participant_access: ParticipantAccess
    episode: Episode
    config: DiaryCardConfig | None

    @property
    def role(self) -> str:
        return self.participant_access.role


def access_diary(
    user: User,
    participant_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> DiaryAccess:
    """The diary cards of a participant's current episode, for staff who see that episode
    clinically (care team, program directors) or for the participant themself; anyone else
    (front desk, a facilitator outside their caseload, another participant) gets the same
    audited 404 as for an id that names nothing."""
    from trellis.practice.models import DiaryCardConfig

    try:
        access = access_participant(
            user, participant_id, purpose=purpose, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        raise deny_object(
            user, object_type="practice.diary", object_id=participant_id, purpose=purpose
        ) from None
    episode = access.current_episode
    if episode is None or not access.is_clinical_for(episode):
        raise deny_object(
            user,
            object_type="practice.diary",
            object_id=participant_id,
            purpose=purpose,
            participant=access.participant,
        )
    config = DiaryCardConfig.objects.filter(program_id=episode.program_id, enabled=True).first()
    record(
        user,
        action,
        participant=access.participant,
        obj=episode,
        purpose=purpose,
        role=access.role,
        detail={"diary": True},
    )
    return DiaryAccess(participant_access=access, episode=episode, config=config)


def access_own_diary(user: User, *, action: str = Action.VIEW) -> DiaryAccess:
    """The signed-in participant's own diary card; an audited 404 for anyone else."""
    participant = getattr(user, "participant", None)
    if participant is None:
        raise deny_object(
            user, object_type="practice.diary", object_id="me", purpose=Purpose.PATRQT
        )
    diary = access_diary(user, participant.public_id, purpose=Purpose.PATRQT, action=action)
    if not diary.participant_access.is_own_record:
        raise deny_object(
            user, object_type="practice.diary", object_id="me", purpose=Purpose.PATRQT
        )
    return diary
