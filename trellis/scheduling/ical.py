"""Calendar feeds (RFC 5545) for a participant, a clinician or a room.

Events are titled "Trellis session" with time and place (or the telehealth link): a phone
calendar is often shared or shown on a lock screen, so no program, group or topic names
appear unless the program turns on details for *staff* feeds. Times carry their TZID with a
VTIMEZONE, so a 6 pm group reads 6 pm on both sides of a daylight-saving change. UIDs are
the series' public id and the original local date: stable when a session moves, and a
cancelled session stays in the feed as STATUS:CANCELLED so calendars remove it.

A participant feed lists only the episodes its maker could see, checked at every fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from trellis.participants.models import Episode, EpisodeStatus
from trellis.scheduling.models import CalendarFeed, FeedKind, Mode, ProgramScheduleSettings
from trellis.scheduling.notify import GENERIC_TITLE
from trellis.scheduling.queries import (
    Slot,
    occurrences_between,
    roster_for,
    series_for_episodes,
    series_for_facilitator,
    series_queryset,
)

PAST_DAYS = 28
FUTURE_DAYS = 183


def feed_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)


def uid(slot: Slot) -> str:
    return f"{slot.series.public_id}-{slot.original_date:%Y%m%d}@trellis"


def _location(slot: Slot) -> str:
    if slot.mode == Mode.TELEHEALTH:
        return f"Telehealth: {slot.telehealth_url}" if slot.telehealth_url else "Telehealth"
    if slot.room is None:
        return ""
    address = slot.room.site.address
    place = f"{slot.room.name}, {slot.room.site.name}" + (f", {address}" if address else "")
    # A hybrid session: the room, or the video link (titles stay "Trellis session").
    return f"{place} or video: {slot.join_url}" if slot.hybrid and slot.join_url else place


def calendar(slots: Iterable[Slot], *, detailed_programs: set[int] | None = None) -> bytes:
    detailed = detailed_programs or set()
    cal = Calendar()
    cal.add("prodid", "-//Trellis//Schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Trellis")
    stamp = timezone.now()
    slots = list(slots)
    for slot in slots:
        zone = slot.series.track.program.organization.tz
        event = Event()
        event.add("uid", uid(slot))
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.starts_at.astimezone(zone))
        event.add("dtend", slot.ends_at.astimezone(zone))
        title = GENERIC_TITLE
        if slot.series.track.program_id in detailed:
            title = f"{slot.series.name} ({slot.series.track.name})"
        event.add("summary", title)
        location = _location(slot)
        if location:
            event.add("location", location)
        if slot.join_url:
            event.add("url", slot.join_url)
        event.add("status", "CANCELLED" if slot.cancelled else "CONFIRMED")
        # SEQUENCE grows when a session is changed or cancelled, so clients apply updates.
        event.add("sequence", (1 if slot.row is not None else 0) + (1 if slot.cancelled else 0))
        cal.add_component(event)
    if slots:
        # Transitions only around the events: the full 1970-2038 list is valid RFC 5545,
        # but clients (and vobject, our second parser) have misread its long RDATE lists.
        cal.add_missing_timezones(
            first_date=min(s.date for s in slots) - timedelta(days=31),
            last_date=max(s.date for s in slots) + timedelta(days=31),
        )
    return bytes(cal.to_ical())


def _participant_feed_episodes(feed: CalendarFeed) -> list[int]:
    """The open episodes of the feed's participant that its maker may see *today*: a link
    made by mental-health staff never lists substance-use (42 CFR Part 2) sessions, and a
    maker who has left the program, or whose account is gone, leaves an empty calendar."""
    if feed.created_by is None or feed.participant_id is None:
        return []
    return list(
        Episode.objects.visible_to(feed.created_by)
        .filter(participant_id=feed.participant_id)
        .exclude(status=EpisodeStatus.DISCHARGED)
        .values_list("pk", flat=True)
    )


def feed_slots(feed: CalendarFeed, today: date) -> tuple[list[Slot], set[int]]:
    """The occurrences a feed shows, and the programs whose names it may show."""
    start, end = feed_window(today)
    if feed.kind == FeedKind.PARTICIPANT and feed.participant is not None:
        ids = _participant_feed_episodes(feed)
        slots = occurrences_between(series_for_episodes(ids, start, end), start, end)
        roster = roster_for({s.series.pk for s in slots}, start, end, ids)
        mine = [s for s in slots if any(m.active_on(s.date) for m in roster.get(s.series.pk, []))]
        return mine, set()  # participant feeds are always generic
    if feed.kind == FeedKind.CLINICIAN and feed.user is not None:
        user = feed.user
        slots = [
            s
            for s in occurrences_between(series_for_facilitator(user, start, end), start, end)
            if any(f.pk == user.pk for f in s.facilitators)
        ]
    elif feed.kind == FeedKind.ROOM and feed.room is not None:
        room = feed.room
        series = series_queryset().filter(track__program__organization=room.site.organization)
        slots = [
            s
            for s in occurrences_between(series.overlapping(start, end), start, end)
            if s.room is not None and s.room.pk == room.pk
        ]
    else:
        return [], set()
    programs = {s.series.track.program_id for s in slots}
    detailed = set(
        ProgramScheduleSettings.objects.filter(
            program_id__in=programs, staff_feed_details=True
        ).values_list("program_id", flat=True)
    )
    return slots, detailed
