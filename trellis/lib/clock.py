"""Business dates and times in an explicit zone: the organization's clock.

"Today", "this week", "due" and "active on" are always the organization's (or program's) local
date. Django's active time zone is not: browser sessions switch to the organization's zone,
but token API requests, background tasks and the clock run in UTC, so between UTC midnight and
local midnight the two disagree (six hours a day in Chicago). Domain code therefore never calls
`timezone.localdate()` or `timezone.localtime()` without a zone; it asks an organization
(`Organization.today()`, `Program.today()`) or calls these helpers with the zone it means.
`trellis/lib/tests/test_clock.py` fails on any zone-less call.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.utils import timezone


def local_now(zone: tzinfo) -> datetime:
    """The current instant as wall-clock time in `zone`."""
    return timezone.now().astimezone(zone)


def local_today(zone: tzinfo) -> date:
    """The calendar date it is now in `zone`."""
    return local_now(zone).date()
