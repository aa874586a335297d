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
from trellis.measures.queries import ResponseSummary, response_summary
from trellis.privacy.access import deny_object, staff_clinical_access

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant
    from trellis.worklist.models import Alert

# How an alert raised by a check-in names it (measures.actions.checkins).
RESPONSE_SOURCE = "measures.response:"


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


def access_alert_response(
    user: User, alert: Alert, *, purpose: str = Purpose.TREAT
) -> ResponseSummary | None:
    """The check-in that raised `alert` (already opened with worklist.access.access_alert),
    audited; None when the alert came from elsewhere or the user may not see it.

    Staff who see the episode clinically read it; so does a recipient of the alert off the
    care team (the on-call clinician): the answers that raised an urgent alert are what they
    must act on. The rest of the record stays closed to them."""
    if not alert.source.startswith(RESPONSE_SOURCE):
        return None
    response = (
        Response.objects.filter(
            public_id=lookup_id(alert.source.removeprefix(RESPONSE_SOURCE)),
            participant_id=alert.participant_id,
        )
        .select_related("participant", "episode")
        .first()
    )
    if response is None:
        return None
    access = staff_clinical_access(user, response.participant, response.episode, purpose=purpose)
    if access is not None:
        role = access.role
    elif alert.recipients.filter(user_id=user.pk).exists():
        role = "alert_recipient"
    else:
        return None
    record(
        user,
        Action.VIEW,
        participant=response.participant,
        obj=response,
        purpose=purpose,
        role=role,
        detail={"alert": str(alert.public_id)},
    )
    return response_summary(response)
