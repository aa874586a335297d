"""Words for messages that leave Trellis (email, calendar feeds): never clinical.

A notice says *that* there is a Trellis session and when, never which group, program or
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


# --- schedule changes (closures, moved sessions, series edits) -----------------------------

CRISIS = "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline)."
PLACES = {
    "video": "by video",
    "in person": "in person",
    "another room": "in another room (see your Trellis schedule)",
}
Span = tuple[datetime, datetime]


def _when(span: Span) -> str:
    return f"{day(span[0])} at {clock(span[0])}"


def change_line(kind: str, before: Span | None, after: Span | None, place: str) -> str:
    """One session's change in plain words, times already in the program's zone."""
    if before is None and after is None:
        return ""
    if after is None:
        assert before is not None  # noqa: S101 - checked just above
        if kind == "closure":
            return f"{_when(before)}: cancelled"
        return f"{_when(before)}: no longer held at this time"
    if before is None:
        return f"{_when(after)} until {clock(after[1])}: new session time"
    text = _when(before)
    if after[0].date() != before[0].date():
        text += f": now {_when(after)} until {clock(after[1])}"
    elif after[0] != before[0]:
        text += f": now at {clock(after[0])} until {clock(after[1])}"
    elif after[1] != before[1]:
        text += f": now until {clock(after[1])}"
    else:
        text += ": same time"
    if place:
        text += f", {PLACES.get(place, 'in another place')}"
    return text


def change_text(kind: str, lines: list[str], *, staff: bool) -> tuple[str, str]:
    """One message for one person about one change, listing every session of theirs."""
    listed = "\n".join(f"- {line}" for line in lines)
    if staff:
        subject = "Trellis: a change to sessions you facilitate"
        intro = {
            "closure": "The program is closed, so these sessions you facilitate are cancelled:",
            "moved": "A session you facilitate has moved:",
            "series": "The schedule of sessions you facilitate has changed (the next four weeks):",
        }[kind]
        return subject, f"{intro}\n\n{listed}\n\nSign in to Trellis to see the details."
    subject = {
        "closure": "Trellis: the program is closed",
        "moved": "Trellis: your session has moved",
        "series": "Trellis: your session times have changed",
    }[kind]
    intro = {
        "closure": "The program is closed, so these Trellis sessions of yours are cancelled:",
        "moved": "A Trellis session of yours has moved:",
        "series": "The times of your Trellis sessions have changed. Over the next four weeks:",
    }[kind]
    after = {
        "closure": "The program will see you at your next session.",
        "moved": "If you cannot come at the new time, please let the program know.",
        "series": "Later sessions follow the new times. If you cannot come, please let the "
        "program know.",
    }[kind]
    return subject, f"{intro}\n\n{listed}\n\n{after}\n{CRISIS}"
