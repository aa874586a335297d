"""Words for messages that leave Trellis (email, calendar feeds): never clinical.

A reminder says *that* there is a Trellis session and when, never which group, program or
topic: an email preview or a shared phone calendar must not tell anyone what the care is for.
"""

from __future__ import annotations

from datetime import datetime, time

GENERIC_TITLE = "Trellis session"


def clock(moment: datetime | time) -> str:
    """ "6:00 pm" (no leading zero, lower-case; no platform-specific strftime flags)."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}"


def day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B}"


def reminder_text(starts_at: datetime) -> tuple[str, str]:
    subject = "Reminder: Trellis session tomorrow"
    body = (
        f"Reminder: you have a Trellis session tomorrow at {clock(starts_at)}.\n\n"
        "If you cannot come, please let the program know.\n"
        "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline)."
    )
    return subject, body


def cancellation_text(starts_at: datetime) -> tuple[str, str]:
    subject = "Trellis session cancelled"
    body = (
        f"Your Trellis session on {day(starts_at)} at {clock(starts_at)} is cancelled.\n\n"
        "The program will let you know about your next session.\n"
        "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline)."
    )
    return subject, body


def staff_cancellation_text(starts_at: datetime) -> tuple[str, str]:
    subject = "Trellis: a session you facilitate was cancelled"
    body = (
        f"A session you facilitate on {day(starts_at)} at {clock(starts_at)} was cancelled. "
        "Sign in to Trellis to see the details."
    )
    return subject, body
