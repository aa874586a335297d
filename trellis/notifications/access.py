"""Opening a participant's notification preferences, audited.

Only the participant themselves, from /me/notifications/: staff do not set how a participant
hears from Trellis (the program can see the preferences in the admin, as operations data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellis.audit.models import Purpose
from trellis.notifications.models import Notification, Preference, Status
from trellis.notifications.preferences import preference_for
from trellis.privacy.access import ParticipantAccess, Scope, access_participant, deny_object

if TYPE_CHECKING:
    from trellis.accounts.models import User


def access_own_preferences(user: User) -> tuple[ParticipantAccess, Preference]:
    """The signed-in participant's record (opened and audited) and their preferences
    (saved, or the defaults). Anyone who is not a participant: the audited 404."""
    participant = getattr(user, "participant", None)
    if participant is None:
        raise deny_object(
            user, object_type="notifications.preference", object_id="own", purpose=Purpose.PATRQT
        )
    access = access_participant(
        user, participant.public_id, purpose=Purpose.PATRQT, minimum=Scope.DEMOGRAPHIC
    )
    return access, preference_for(access.participant)


def failed_recently(access: ParticipantAccess) -> int:
    """How many of the participant's notifications Trellis gave up sending (the page says so,
    so a wrong address does not fail silently)."""
    return Notification.objects.filter(participant=access.participant, status=Status.FAILED).count()
