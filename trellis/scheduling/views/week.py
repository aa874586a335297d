"""The schedule by week: a program's week track by track, a room's week, my week."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trellis.accounts.http import AuthedRequest
from trellis.lib.clock import local_today
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Room, Track
from trellis.scheduling.access import can_manage_schedule, facilitates, schedule_programs
from trellis.scheduling.conflicts import flag_conflicts
from trellis.scheduling.models import ProgramClosure
from trellis.scheduling.queries import (
    Slot,
    attendance_not_taken,
    occurrences_between,
    program_series,
    series_for_facilitator,
    series_queryset,
)
from trellis.scheduling.views._shared import by_day, program_today, week_nav, week_start


def _unmarked(slots: list[Slot]) -> set[str]:
    """The sessions of the week that ended with no attendance taken ("attendance not taken")."""
    now = timezone.now()
    return {s.key for s in slots if attendance_not_taken(s, now)}


@staff_required()
def week(request: AuthedRequest) -> HttpResponse:
    """A program's week, track by track."""
    programs = list(schedule_programs(request.user))
    if not programs:
        return render(request, "scheduling/no_programs.html")
    wanted = request.GET.get("program", "")
    program = next((p for p in programs if str(p.public_id) == wanted), programs[0])
    monday = week_start(request, program_today(program))
    nav = week_nav(monday)
    series = program_series(program, monday, nav["sunday"])
    slots = occurrences_between(series, monday, nav["sunday"])
    flag_conflicts(slots, program.organization, monday, nav["sunday"])
    tracks = list(Track.objects.filter(program=program).order_by("name"))
    by_track = [
        (track, by_day([s for s in slots if s.series.track_id == track.pk], nav["days"]))
        for track in tracks
    ]
    closures = ProgramClosure.objects.filter(program=program, date__range=(monday, nav["sunday"]))
    return render(
        request,
        "scheduling/week.html",
        {
            **nav,
            "program": program,
            "programs": programs,
            "by_track": by_track,
            "unmarked": _unmarked(slots),
            "closures": list(closures),
            "can_manage": can_manage_schedule(request.user, program),
            "rooms": Room.objects.filter(site__organization_id=program.organization_id),
        },
    )


@staff_required()
def room_week(request: AuthedRequest, room_id: uuid.UUID) -> HttpResponse:
    programs = list(schedule_programs(request.user))
    organizations = {p.organization_id for p in programs}
    room = (
        Room.objects.filter(public_id=room_id, site__organization_id__in=organizations)
        .select_related("site", "site__organization")
        .first()
    )
    if room is None:
        raise Http404("No such room.")
    today = room.site.organization.today()
    monday = week_start(request, today)
    nav = week_nav(monday)
    series = series_queryset().filter(track__program__organization=room.site.organization)
    slots = [
        s
        for s in occurrences_between(
            series.overlapping(monday, nav["sunday"]), monday, nav["sunday"]
        )
        if s.room is not None and s.room.pk == room.pk
    ]
    flag_conflicts(slots, room.site.organization, monday, nav["sunday"])
    return render(
        request,
        "scheduling/room_week.html",
        {
            **nav,
            "room": room,
            "by_day": by_day(slots, nav["days"]),
            "new_feed_url": request.session.pop("trellis_new_feed_url", ""),
        },
    )


@staff_required()
def my_week(request: AuthedRequest) -> HttpResponse:
    """The sessions a clinician facilitates (or covers as a substitute) this week."""
    programs = list(schedule_programs(request.user))
    zone = programs[0].organization.tz if programs else timezone.get_current_timezone()
    today = local_today(zone)
    monday = week_start(request, today)
    nav = week_nav(monday)
    slots = [
        s
        for s in occurrences_between(
            series_for_facilitator(request.user, monday, nav["sunday"]), monday, nav["sunday"]
        )
        if facilitates(request.user, s)
    ]
    feeds = request.user.calendar_feeds.filter(revoked_at__isnull=True)
    return render(
        request,
        "scheduling/my_week.html",
        {
            **nav,
            "by_day": by_day(slots, nav["days"]),
            "unmarked": _unmarked(slots),
            "feeds": list(feeds),
            "today": today,
            "new_feed_url": request.session.pop("trellis_new_feed_url", ""),
        },
    )
