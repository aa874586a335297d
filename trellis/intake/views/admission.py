"""The admission page of an inquiry (directors and intake coordinators; desktop or tablet):
one form, one transaction (`check_admit`). After admission the same address shows what was
done: the track, the first session, consents, baseline and the plan task."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action
from trellis.intake.access import access_inquiry
from trellis.intake.actions import (
    AdmissionDetails,
    ConsentEntry,
    check_admit,
    do_seed_consent_documents,
    earliest_admission,
)
from trellis.intake.forms import AdmissionForm
from trellis.intake.models import Inquiry, InquiryStatus
from trellis.intake.queries import (
    active_consents,
    care_team_candidates,
    episode_consents,
    first_session,
    seats_taken,
)
from trellis.lib.views import apply_validation_error
from trellis.privacy.decorators import staff_required
from trellis.programs.models import ClinicianKind, Track


def _initial(request: AuthedRequest, inquiry: Inquiry, tracks: list[Track]) -> dict[str, Any]:
    """Prefilled from an accepted waitlist offer (?track=…&start=…), else the waitlisted
    track or the only one, and the first allowed day."""
    today = inquiry.program.organization.today()
    initial: dict[str, Any] = {"admitted_on": max(today, earliest_admission(inquiry))}
    wanted = request.GET.get("track", "")
    chosen = next((t for t in tracks if str(t.public_id) == wanted), None)
    if chosen is None and inquiry.episode is not None and inquiry.episode.track_id:
        chosen = next((t for t in tracks if t.pk == inquiry.episode.track_id), None)
    if chosen is None and len(tracks) == 1:
        chosen = tracks[0]
    if chosen is not None:
        initial["track"] = chosen.public_id
    with contextlib.suppress(ValueError):  # a hand-edited address: keep the default date
        initial["admitted_on"] = date.fromisoformat(request.GET.get("start", ""))
    initial["primary_role"] = ClinicianKind.THERAPIST
    return initial


def _details(form: AdmissionForm, staff: dict[int, tuple[Any, str]]) -> AdmissionDetails:
    data = form.cleaned_data
    primary = staff[data["primary"]][0]
    consents = [
        ConsentEntry(
            document=d,
            method=data[f"consent_{d.key}"],
            typed_name=data[f"consent_{d.key}_name"],
            agreed=data[f"consent_{d.key}_agree"],
            signed_on=data[f"consent_{d.key}_date"],
        )
        for d in form.documents
        if data[f"consent_{d.key}"]  # an optional form left for now
    ]
    return AdmissionDetails(
        track=data["track"],
        admitted_on=data["admitted_on"],
        primary=primary,
        primary_role=data["primary_role"],
        others=[staff[pk] for pk in data["others"] if pk in staff and pk != primary.pk],
        consents=consents,
        mrn=data.get("mrn") or "",
        date_of_birth=data.get("date_of_birth"),
        capacity_override=data["capacity_override"],
    )


@staff_required()
def admit(request: AuthedRequest, inquiry_id: uuid.UUID) -> HttpResponse:
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    inquiry = access_inquiry(
        request.user, inquiry_id, clinical=True, paperwork=True, action=action
    ).inquiry
    program = inquiry.program
    if inquiry.status == InquiryStatus.ADMITTED and inquiry.episode is not None:
        return _admitted(request, inquiry)
    do_seed_consent_documents(None, program)
    tracks = list(program.tracks.filter(is_active=True).order_by("name"))
    staff_list = care_team_candidates(program)
    staff = {u.pk: (u, kind) for u, kind in staff_list}
    form = AdmissionForm(
        request.POST if request.method == "POST" else None,
        tracks=tracks,
        staff=staff_list,
        documents=active_consents(program),
        needs_record=inquiry.episode is None or not inquiry.episode.is_open,
        initial=_initial(request, inquiry, tracks),
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = check_admit(request.user, inquiry, _details(form, staff))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            slot = done.first_session
            first = (
                f" First session: {slot.date:%A %b %-d}, {slot.start_time:%-I:%M %p} "
                f"({slot.series.name})."
                if slot is not None
                else " The track has no group session scheduled yet."
            )
            messages.success(request, f"{inquiry.display_name} is admitted.{first}")
            return redirect("intake:admit", inquiry_id=inquiry.public_id)
    seats = [(t, seats_taken(t)) for t in tracks]
    return render(
        request,
        "intake/admit.html",
        {
            "inquiry": inquiry,
            "form": form,
            "seats": seats,
            "admittable": inquiry.status
            in (InquiryStatus.DECISION, InquiryStatus.CONTACTED, InquiryStatus.WAITLISTED),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _admitted(request: AuthedRequest, inquiry: Inquiry) -> HttpResponse:
    episode = inquiry.episode
    assert episode is not None  # noqa: S101 - checked by the caller
    return render(
        request,
        "intake/admitted.html",
        {
            "inquiry": inquiry,
            "episode": episode,
            "first_session": first_session(episode),
            "consents": episode_consents(episode, inquiry.program),
            "team": list(episode.care_team.filter(end_date__isnull=True).select_related("user")),
        },
    )
