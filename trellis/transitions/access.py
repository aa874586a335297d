"""Who may discharge a participant and open a discharge summary (audited, deny by default).

Discharge is the care team's or the program director's act (docs/intake-and-discharge.md):
an intake coordinator who still sees an episode without a care team does not discharge it.
The care team ends on the discharge date, so the clinician who wrote the summary keeps it
open until they sign it (a back-dated discharge would otherwise lock them out of their own
unsigned document); after signing, the program's directors and addenda take over.
"""

from __future__ import annotations

import uuid

from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.participants.models import Episode
from trellis.privacy.access import (
    ParticipantAccess,
    Scope,
    access_participant,
    deny_object,
    staff_clinical_access,
)
from trellis.transitions.models import DischargeSummary
from trellis.transitions.queries import may_discharge


def access_discharge(
    user: User, public_id: uuid.UUID | str, *, action: Action | str = Action.VIEW
) -> tuple[ParticipantAccess, Episode]:
    """The participant's open episode that `user` may discharge, or the same 404 as a
    missing record (with a `deny` event)."""
    access = access_participant(
        user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL, action=action
    )
    episode = next((e for e in access.episodes if e.is_open and access.is_clinical_for(e)), None)
    if episode is None or access.is_own_record or not may_discharge(user, episode):
        raise deny_object(
            user,
            object_type="participants.episode",
            object_id=str(episode.public_id if episode else public_id),
            participant=access.participant,
            purpose=Purpose.TREAT,
        )
    episode.participant = access.participant
    return access, episode


def access_summary(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: Purpose | str = Purpose.TREAT,
    action: Action | str = Action.VIEW,
) -> DischargeSummary:
    summary = (
        DischargeSummary.objects.filter(public_id=lookup_id(public_id))
        .select_related("episode__participant", "episode__program__organization", "author")
        .first()
    )
    if summary is None:
        raise deny_object(
            user, object_type="transitions.dischargesummary", object_id=public_id, purpose=purpose
        )
    episode = summary.episode
    access = staff_clinical_access(user, episode.participant, episode, purpose=purpose)
    own_draft = summary.author_id == user.pk and not summary.is_signed and user.is_active
    if access is None and not own_draft:
        raise deny_object(
            user,
            object_type="transitions.dischargesummary",
            object_id=public_id,
            participant=episode.participant,
            purpose=purpose,
        )
    record(
        user,
        action,
        participant=episode.participant,
        obj=summary,
        purpose=purpose,
        role=access.role if access else "author",
    )
    return summary
