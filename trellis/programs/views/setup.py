"""A program's set-up: the hub listing every set-up page, the program's tracks (hours and
days) and the staff-feed switch. For directors of the program and organization
administrators (privacy/setup.py); no participant data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.lib.views import apply_validation_error
from trellis.participants.models import EpisodeStatus
from trellis.privacy.decorators import staff_required
from trellis.privacy.setup import (
    access_setup_program,
    access_setup_track,
    administers,
    may_set_up_rooms,
)
from trellis.programs.actions import TrackData, check_save_track
from trellis.programs.forms import TrackForm
from trellis.programs.models import Program, Track
from trellis.scheduling.actions import do_set_staff_feed_details
from trellis.scheduling.queries import staff_feed_details


@dataclass(frozen=True)
class SetupPage:
    label: str
    url_name: str  # reversed with the program's public id as `program_id`
    description: str


# Every set-up page of a program, in the order the hub lists them. Pages of other apps join
# this list when they land (check-in schedules, on-call shifts, plan templates, attendance
# corrections, instrument import): one entry each, reversed with `program_id`.
SETUP_PAGES: list[SetupPage] = [
    SetupPage(
        "Tracks",
        "programs:tracks",
        "Day, evening, weekend or after-school tracks: their hours, days and capacity.",
    ),
    SetupPage(
        "Staff credentials and supervisors",
        "programs:staff",
        "Licences and their expiry, and who supervises each trainee (co-signature).",
    ),
]


@staff_required()
def hub(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    program = access_setup_program(request.user, program_id)
    pages = [
        (p, reverse(p.url_name, kwargs={"program_id": program.public_id})) for p in SETUP_PAGES
    ]
    site = program.site
    return render(
        request,
        "programs/setup_hub.html",
        {
            "program": program,
            "pages": pages,
            "site": site,
            "rooms_url": (
                reverse("programs:rooms", kwargs={"site_id": site.public_id})
                if site is not None and may_set_up_rooms(request.user, site)
                else ""
            ),
            "sites_url": (
                reverse("programs:sites")
                if administers(request.user, program.organization_id)
                else ""
            ),
            "staff_feed_details": staff_feed_details(program),
        },
    )


@staff_required()
@require_POST
def feed_details(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """Turn session names in the program's staff calendar feeds on or off."""
    program = access_setup_program(request.user, program_id)
    enabled = request.POST.get("staff_feed_details") == "on"
    do_set_staff_feed_details(request.user, program, enabled=enabled)
    messages.success(
        request,
        "Staff calendar feeds now show session and track names."
        if enabled
        else "Staff calendar feeds now show “Trellis session” only.",
    )
    return redirect("programs:setup", program_id=program.public_id)


def _tracks(program: Program) -> list[Track]:
    return list(
        program.tracks.annotate(
            active_count=Count("episodes", filter=Q(episodes__status=EpisodeStatus.ACTIVE)),
            series_count=Count("session_series", distinct=True),
        ).order_by("-is_active", "name")
    )


def _data(form: TrackForm) -> TrackData:
    data = form.cleaned_data
    return TrackData(
        name=data["name"],
        delivery=data["delivery"],
        capacity=data["capacity"],
        day_starts_at=data["day_starts_at"],
        day_ends_at=data["day_ends_at"],
        weekdays=tuple(data["weekdays"]),
        is_active=data["is_active"],
    )


@staff_required()
def tracks(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """The program's tracks, and a form to add one."""
    program = access_setup_program(request.user, program_id)
    form = TrackForm(request.POST or None, initial={"is_active": True}, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            track = check_save_track(request.user, program, _data(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Track “{track.name}” added.")
            return redirect("programs:tracks", program_id=program.public_id)
    return render(
        request,
        "programs/setup_tracks.html",
        {"program": program, "tracks": _tracks(program), "form": form},
        status=400 if form.errors else 200,
    )


@staff_required()
def track_edit(request: AuthedRequest, track_id: uuid.UUID) -> HttpResponse:
    track = access_setup_track(request.user, track_id)
    program = track.program
    initial = {
        "name": track.name,
        "delivery": track.delivery,
        "capacity": track.capacity,
        "day_starts_at": track.day_starts_at,
        "day_ends_at": track.day_ends_at,
        "weekdays": track.weekdays,
        "is_active": track.is_active,
    }
    form = TrackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_save_track(request.user, program, _data(form), track=track)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Track “{track.name}” saved.")
            return redirect("programs:tracks", program_id=program.public_id)
    return render(
        request,
        "programs/setup_track_edit.html",
        {"program": program, "track": track, "form": form},
        status=400 if form.errors else 200,
    )
