"""Opening one alert or task: the worklist's per-object gate, audited like privacy.access.

A recipient (the on-call clinician may not be on the care team) opens the alert it was sent;
any other staff member needs clinical access to the participant's episode. Everyone else,
and every id that names no alert, gets the same audited 404.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.privacy.access import deny_object, staff_clinical_access
from trellis.privacy.policy import grants_for
from trellis.worklist.models import Alert

if TYPE_CHECKING:
    from trellis.accounts.models import User


def access_alert(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Alert:
    """One alert for `user`, audited, or Http404 (also audited)."""
    alert = (
        Alert.objects.filter(public_id=lookup_id(public_id))
        .select_related(
            "participant__organization",
            "episode",
            "program__organization",
            "owner",
            "acknowledged_by",
            "resolved_by",
        )
        .first()
    )
    if alert is None:
        raise _deny(user, alert, public_id, purpose)
    if not grants_for(user).is_staff_member:
        raise _deny(user, alert, public_id, purpose)
    if alert.recipients.filter(user_id=user.pk).exists():
        role = "alert_recipient"
    else:
        access = staff_clinical_access(user, alert.participant, alert.episode, purpose=purpose)
        if access is None:
            raise _deny(user, alert, public_id, purpose)
        role = access.role
    record(user, action, participant=alert.participant, obj=alert, purpose=purpose, role=role)
    return alert


def _deny(user: User, alert: Alert | None, public_id: object, purpose: str) -> Http404:
    return deny_object(
        user,
        object_type="worklist.alert",
        object_id=public_id,
        participant=alert.participant if alert is not None else None,
        purpose=purpose,
    )
