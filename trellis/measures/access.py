"""Opening one check-in (administration) or one stored response, audited.

Staff need clinical access to the episode the check-in belongs to (its care team, the
program's directors); a participant opens only their own open check-ins. Everyone else, and
every id that names nothing, gets the same audited 404.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.measures.models import Administration, Response
from trellis.privacy.access import deny_object, staff_clinical_access

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant


def access_administration(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Administration:
    """A check-in of an episode the user sees clinically as staff; else an audited 404."""
    administration = (
        Administration.objects.filter(public_id=lookup_id(public_id))
        .select_related("participant", "episode")
        .first()
    )
    if administration is None:
        raise deny_object(
            user, object_type="measures.administration", object_id=public_id, purpose=purpose
        )
    access = staff_clinical_access(
        user, administration.participant, administration.episode, purpose=purpose
    )
    if access is None:
        raise deny_object(
            user,
            object_type="measures.administration",
            object_id=public_id,
            purpose=purpose,
            participant=administration.participant,
        )
    record(
        user,
        action,
        participant=administration.participant,
        obj=administration,
        purpose=purpose,
        role=access.role,
    )
    return administration


def access_own_administration(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.PATRQT,
    action: str = Action.VIEW,
) -> Administration:
    """One of the signed-in participant's own check-ins; else an audited 404."""
    participant: Participant | None = getattr(user, "participant", None)
    administration = (
        Administration.objects.filter(public_id=lookup_id(public_id), participant=participant)
        .select_related("participant")
        .first()
        if participant is not None
        else None
    )
    if administration is None:
        raise deny_object(
            user,
            object_type="measures.administration",
            object_id=public_id,
            purpose=purpose,
            participant=participant,
        )
    record(
        user,
        action,
        participant=participant,
        obj=administration,
        purpose=purpose,
        role="participant",
    )
    return administration


def access_response(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Response:
    """A stored response of an episode the user sees clinically as staff; else an audited
    404 (a response of another episode of a participant the user knows is denied too)."""
    response = (
        Response.objects.filter(public_id=lookup_id(public_id))
        .select_related("participant", "episode")
        .first()
    )
    if response is None:
        raise deny_object(
            user, object_type="measures.response", object_id=public_id, purpose=purpose
        )
    access = staff_clinical_access(user, response.participant, response.episode, purpose=purpose)
    if access is None:
        raise deny_object(
            user,
            object_type="measures.response",
            object_id=public_id,
            purpose=purpose,
            participant=response.participant,
        )
    record(
        user,
        action,
        participant=response.participant,
        obj=response,
        purpose=purpose,
        role=access.role,
    )
    return response
