"""Opening an episode's clinical record for plans and notes, on top of privacy.access.

`privacy` sits below the clinical apps and cannot know plans or notes, so the per-episode
rules for them live here (notes reuse them):

- read: clinical scope for the episode (`is_clinical_for`): its care team, the program's
  directors, an intake coordinator before the care team is set, and the participant;
- write: the same staff except intake coordinators (they set up the care team; they do not
  write treatment) and never the participant.
Anything else is the same 404 as a record that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from trellis.audit.models import Action, Purpose
from trellis.lib.ids import parse_public_id
from trellis.participants.models import Episode
from trellis.privacy.access import ParticipantAccess, Scope, access_participant, deny_object
from trellis.programs.models import Role

if TYPE_CHECKING:
    from trellis.accounts.models import User

WRITING_ROLES = frozenset({Role.CLINICIAN, Role.PROGRAM_DIRECTOR})


@dataclass(frozen=True)
class ClinicalAccess:
    access: ParticipantAccess
    episode: Episode

    @property
    def can_write(self) -> bool:
        return self.access.role in WRITING_ROLES

    def require_write(self) -> None:
        if not self.can_write:
            raise PermissionDenied("Your role reads this record but does not write it.")


def access_clinical_episode(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: Purpose | str = Purpose.TREAT,
    episode_id: uuid.UUID | str | None = None,
    action: Action | str = Action.VIEW,
) -> ClinicalAccess:
    """The participant's episode whose clinical record the user may open: the one named by
    `episode_id`, else the current one. Audited (view or deny) by access_participant."""
    access = access_participant(
        user, public_id, purpose=purpose, minimum=Scope.CLINICAL, action=action
    )
    if episode_id:
        wanted = parse_public_id(episode_id)
        episode = next((e for e in access.episodes if e.public_id == wanted), None)
    else:
        clinical = [e for e in access.episodes if access.is_clinical_for(e)]
        open_ones = [e for e in clinical if e.is_open]
        candidates = open_ones or clinical
        episode = candidates[0] if candidates else None
    if episode is None or not access.is_clinical_for(episode):
        raise deny_object(
            user,
            object_type="participants.participant",
            object_id=access.participant.public_id,
            participant=access.participant,
            purpose=purpose,
        )
    episode.participant = access.participant
    return ClinicalAccess(access=access, episode=episode)
