"""The participant's idle timeout on their own device: the longest their open programs allow
(`Program.participant_idle_timeout_minutes`), registered with `accounts.idle` in plugins.
Staff, and participants whose programs set nothing, keep the site's default."""

from __future__ import annotations

from django.db.models import Max

from trellis.accounts.models import User
from trellis.participants.models import OPEN_STATUSES
from trellis.programs.models import Program


def own_device_minutes(user: User) -> int | None:
    if not hasattr(user, "participant"):
        return None
    longest = Program.objects.filter(
        episodes__participant__user=user, episodes__status__in=OPEN_STATUSES
    ).aggregate(longest=Max("participant_idle_timeout_minutes"))["longest"]
    return int(longest) if longest is not None else None
