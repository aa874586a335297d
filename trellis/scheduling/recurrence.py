"""Recurrence rules and their expansion: pure functions, no database.

A series is defined in the program's wall-clock time: an RFC 5545 RRULE over local *dates*,
a local start time and a duration. Expansion yields local dates first and only then attaches
the zone, so a 6 pm group stays at 6 pm on both sides of a daylight-saving change (its UTC
instant moves by an hour instead). Expanding in UTC would do the opposite.

Only the part of RFC 5545 a program schedule needs is accepted: FREQ=WEEKLY with BYDAY,
INTERVAL, and UNTIL or COUNT. Anything else is refused with a message naming the part, so a
rule that would silently mean something else never reaches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    "MO": "Mon",
    "TU": "Tue",
    "WE": "Wed",
    "TH": "Thu",
    "FR": "Fri",
    "SA": "Sat",
    "SU": "Sun",
}
ALLOWED_PARTS = {"FREQ", "BYDAY", "INTERVAL", "UNTIL", "COUNT", "WKST"}
MAX_INTERVAL = 52
MAX_COUNT = 1000
# The calendar Trellis schedules in. Outside it, expanding a weekly rule walks thousands of
# years and date arithmetic overflows (9999-12-31 plus a day): such a date is refused or
# found empty, never computed.
FIRST_SCHEDULE_DATE = date(2000, 1, 1)
LAST_SCHEDULE_DATE = date(2099, 12, 31)
OUTSIDE_CALENDAR = "Choose a date from 2000 to 2099."


def in_schedule_calendar(day: date) -> bool:
    return FIRST_SCHEDULE_DATE <= day <= LAST_SCHEDULE_DATE


_UNTIL = re.compile(r"^(\d{8})(T\d{6}Z?)?$")


class RecurrenceError(ValueError):
    """The rule is outside what Trellis accepts; the message says why, in plain words."""


@dataclass(frozen=True)
class Rule:
    """A validated weekly rule. `until` is a local date (inclusive)."""

    days: tuple[str, ...]
    interval: int = 1
    until: date | None = None
    count: int | None = None

    def as_text(self) -> str:
        """The canonical RRULE text stored on a series."""
        parts = ["FREQ=WEEKLY"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        parts.append("BYDAY=" + ",".join(self.days))
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    def describe(self) -> str:
        """Plain words for people: "Mon, Wed every 2 weeks until 2026-12-31"."""
        text = ", ".join(DAY_NAMES[d] for d in self.days)
        text += " weekly" if self.interval == 1 else f" every {self.interval} weeks"
        if self.until is not None:
            text += f" until {self.until:%Y-%m-%d}"
        if self.count is not None:
            text += f", {self.count} times"
        return text


def parse_rule(text: str) -> Rule:
    """Validate RRULE text (with or without the "RRULE:" prefix) into a Rule."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        raise RecurrenceError("Enter a recurrence such as FREQ=WEEKLY;BYDAY=MO,WE.")
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        if not chunk:
            continue
        key, sep, value = chunk.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise RecurrenceError(f"“{chunk}” is not a NAME=VALUE part of a recurrence.")
        if key in parts:
            raise RecurrenceError(f"{key} appears twice.")
        if key not in ALLOWED_PARTS:
            raise RecurrenceError(
                f"{key} is not supported: use weekly days (BYDAY), every N weeks (INTERVAL), "
                "and an end by date (UNTIL) or number of sessions (COUNT)."
            )
        parts[key] = value.strip().upper()
    if parts.get("FREQ") != "WEEKLY":
        raise RecurrenceError("Only weekly recurrences are supported (FREQ=WEEKLY).")
    if "BYDAY" not in parts:
        raise RecurrenceError("Say which weekdays the sessions are on (BYDAY=MO,WE).")
    days = [d.strip() for d in parts["BYDAY"].split(",") if d.strip()]
    for day in days:
        if day not in DAY_CODES:
            raise RecurrenceError(
                f"BYDAY “{day}” is not a weekday code: use MO, TU, WE, TH, FR, SA or SU "
                "(no numbered weekdays)."
            )
    if len(set(days)) != len(days):
        raise RecurrenceError("A weekday is listed twice in BYDAY.")
    ordered = tuple(sorted(days, key=DAY_CODES.index))
    interval = _positive_int(parts.get("INTERVAL", "1"), "INTERVAL", MAX_INTERVAL)
    if "UNTIL" in parts and "COUNT" in parts:
        raise RecurrenceError("Give an end date (UNTIL) or a number of sessions (COUNT), not both.")
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    count = _positive_int(parts["COUNT"], "COUNT", MAX_COUNT) if "COUNT" in parts else None
    if parts.get("WKST", "MO") != "MO":
        raise RecurrenceError("Weeks start on Monday here (ISO weeks): leave WKST out.")
    rule = Rule(days=ordered, interval=interval, until=until, count=count)
    try:  # dateutil is the reference: if it cannot read our canonical text, refuse.
        rrulestr(rule.as_text(), dtstart=datetime(2000, 1, 3))  # noqa: DTZ001 - local dates
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"The recurrence cannot be read: {error}") from None
    return rule


def _positive_int(value: str, name: str, maximum: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise RecurrenceError(f"{name} must be a whole number from 1 to {maximum}.")
    return int(value)


def _until(value: str) -> date:
    match = _UNTIL.match(value)
    if match is None:
        raise RecurrenceError("UNTIL must be a date such as 20261231.")
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()  # noqa: DTZ007 - a date
    except ValueError:
        raise RecurrenceError(f"UNTIL {match.group(1)} is not a real date.") from None


def local_dates(rule: Rule, dtstart: date, start: date, end: date) -> Iterator[tuple[int, date]]:
    """(index, local date) of every occurrence with start <= date <= end.

    The index counts occurrences from `dtstart` (0 is the first), which rotates curriculum
    topics; it is why expansion always walks from `dtstart` rather than from `start`.
    """
    if end < start:
        return
    rrule = rrulestr(rule.as_text(), dtstart=datetime.combine(dtstart, time()))
    for index, moment in enumerate(rrule):
        day = moment.date()
        if day > end:
            return
        if day >= start:
            yield index, day


def last_date(rule: Rule, dtstart: date) -> date | None:
    """The last local date the rule produces, or None when it never ends."""
    if rule.count is None and rule.until is None:
        return None
    rrule = rrulestr(rule.as_text(), dtstart=datetime.combine(dtstart, time()))
    last = None
    for moment in rrule:
        last = moment.date()
    return last


def aware(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant of a local wall-clock time.

    In the autumn overlap (1:30 am happens twice) fold=0 picks the first, daylight one; in the
    spring gap (2:30 am does not exist) zoneinfo keeps the pre-transition offset, which lands
    on 3:30 am daylight time. Program sessions do not run at those hours; this is defined
    behaviour rather than an error.
    """
    return datetime.combine(day, at).replace(tzinfo=zone)


def iso_week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_iso_week(text: str) -> date | None:
    """Monday of "2026-W45", or None when the text is not an ISO week."""
    match = re.fullmatch(r"(\d{4})-W(\d{2})", text.strip())
    if match is None:
        return None
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None
    return monday if in_schedule_calendar(monday) else None


def iso_week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
