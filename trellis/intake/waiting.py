"""How long an inquiry has waited, in words, and when its reply is due in business days.

Business days skip Saturday and Sunday in the organization's zone (holidays are not known to
Trellis yet: a Monday holiday still counts)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

SATURDAY = 5


def _next_business_start(moment: datetime) -> datetime:
    """`moment`, or the next Monday at midnight when it falls on a weekend."""
    while moment.weekday() >= SATURDAY:
        moment = datetime.combine(moment.date() + timedelta(days=1), time(0), moment.tzinfo)
    return moment


def reply_due(since: datetime, business_days: int, zone: tzinfo) -> datetime:
    """When an inquiry waiting since `since` should have heard back: `business_days` later,
    Saturdays and Sundays skipped (a Friday 3 pm inquiry with one day is due Monday 3 pm)."""
    local = _next_business_start(since.astimezone(zone))
    day = local.date()
    left = business_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            left -= 1
    return datetime.combine(day, local.timetz().replace(tzinfo=None), zone)


def waited_words(since: datetime, now: datetime) -> str:
    """“12 min”, “3 h”, “1 day”, “4 days”: what the board shows."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    return "1 day" if days == 1 else f"{days} days"
