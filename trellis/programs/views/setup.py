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
from trellis.privacy.policy import grants_for
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
    # Clinical set-up (check-ins, on-call, plan templates) is for the program's directors
    # only (`privacy.access.access_directed_program`); an organization administrator who
    # does not direct the program is not offered it.
    directors_only: bool = False
    per_program: bool = True  # False: one page for the organization, reversed without ids


# Every set-up page of a program, in the order the hub lists them: one entry per page,
# reversed with `program_id` (pages reached from a chart, such as one episode's check-in
# exception or a response correction, are linked from there instead).
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
    SetupPage(
        "On-call shifts",
        "worklist:on-call",
        "Who receives urgent alerts first, now and next; add, end or cancel shifts.",
        directors_only=True,
    ),
    SetupPage(
        "Check-in schedules",
        "measures:schedules",
        "Which measures participants are asked to complete, when, and for how long.",
        directors_only=True,
    ),
    SetupPage(
        "Intake",
        "intake:settings",
        "How soon a new inquiry should hear back, who is emailed when the web form is used, "
        "and the web form's address.",
        directors_only=True,
    ),
    SetupPage(
        "Plan templates",
        "plans:templates",
        "Starting points for treatment plans: problems, goals, objectives, interventions.",
        directors_only=True,
    ),
    SetupPage(
        "Level-of-care rules",
        "intake:rules",
        "The ordered rules that propose a level of care from an inquiry's screening.",
        directors_only=True,
    ),
    SetupPage(
        "Consent documents",
        "intake:consent-setup",
        "The forms a person signs at admission, versioned: treatment, telehealth, Part 2.",
        directors_only=True,
    ),
    SetupPage(
        "Diary card",
        "practice:diary-config",
        "The daily diary card's rows, the ratings that raise an urgent alert, how many days "
        "back a card may be written, and which tracks use it.",
    ),
    SetupPage(
        "Guardians",
        "participants:guardian-policy",
        "What guardians of the program's adolescents see: sessions, attendance, check-ins "
        "due; check-in scores only with the adolescent's consent.",
        directors_only=True,
    ),
    SetupPage(
        "Import an instrument",
        "measures:instrument-import",
        "Add a measure from a FHIR Questionnaire file: preview, then confirm.",
        directors_only=True,
        per_program=False,
    ),
]


@staff_required()
def hub(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    program = access_setup_program(request.user, program_id)
    directs = grants_for(request.user).directs(program)
    pages = [
        (
            p,
            reverse(p.url_name, kwargs={"program_id": program.public_id})
            if p.per_program
            else reverse(p.url_name),
        )
        for p in SETUP_PAGES
        if directs or not p.directors_only
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
