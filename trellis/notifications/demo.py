"""Demo notification preferences: the portal participant's, saved through the action as they
would save them on /me/notifications/ (every kind by email, quiet hours 21:00-08:00 in the
organization's zone, no digest). Nothing is queued or sent while seeding: the sweeps that
queue reminders run on the clock, and the demo's messages are written with notify=False."""

from __future__ import annotations

from datetime import time

from trellis.notifications.actions import do_save_preferences
from trellis.notifications.models import Channel, Kind
from trellis.notifications.preferences import Choices
from trellis.participants.models import Participant
from trellis.programs.models import Organization


def seed_notification_preferences(organization: Organization) -> int:
    """The number of participants whose preferences were saved (0 or 1)."""
    participant = (
        Participant.objects.filter(organization=organization, user__isnull=False)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if participant is None or participant.user is None:
        return 0
    choices = Choices(
        channels=dict.fromkeys(Kind, Channel.EMAIL),
        quiet_start=time(21),
        quiet_end=time(8),
        digest=False,
        digest_hour=18,
        text_consent=False,
    )
    do_save_preferences(participant.user, participant, choices)
    return 1
