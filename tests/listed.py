"""Who a list page named in the audit trail: for the tests of pages that show many people."""

from __future__ import annotations

from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.models import Participant


def listed(actor: User, object_type: str) -> set[Participant]:
    """The participants named by `list` events that `actor` left about `object_type`."""
    return {
        event.participant
        for event in Event.objects.filter(
            actor=actor, action=Action.LIST, object_type=object_type, participant__isnull=False
        ).select_related("participant")
        if event.participant is not None
    }
