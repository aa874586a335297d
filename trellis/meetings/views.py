"""Team-meeting pages: the list (series, upcoming, past), one meeting (agenda, discussion,
decisions, attendance, signing, addenda). Directors and the program's clinicians only; each
participant's part is shown only to those who see that participant clinically."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.choices import Weekday
from trellis.lib.ids import parse_public_id
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.meetings import actions
from trellis.meetings.access import access_meeting, access_meeting_episode
from trellis.meetings.forms import AddendumForm, AttendanceForm, SeriesForm, SignForm
from trellis.meetings.models import DecisionKind, Meeting
from trellis.meetings.queries import (
    discussable_episodes,
    meeting_view,
    meetings_for,
    program_staff,
    runnable_programs,
    series_for,
)
from trellis.privacy.decorators import staff_required
from trellis.programs.models import Role

RUNNERS = (Role.PROGRAM_DIRECTOR, Role.CLINICIAN)


@staff_required(*RUNNERS)
def meeting_list(request: AuthedRequest) -> HttpResponse:
    upcoming, past = meetings_for(request.user)
    record_list(
        request.user,
        object_type="meetings.meeting",
        participants=[],  # the list shows meetings, not people
        purpose=Purpose.TREAT,
        detail={"upcoming": len(upcoming), "past": len(past)},
    )
    form = SeriesForm()
    form.set_choices(
        "program", [(str(p.public_id), p.name) for p in runnable_programs(request.user)]
    )
    return render(
        request,
        "meetings/list.html",
        {"series": series_for(request.user), "upcoming": upcoming, "past": past, "form": form},
    )


@require_POST
@staff_required(*RUNNERS)
def series_new(request: AuthedRequest) -> HttpResponse:
    programs = {str(p.public_id): p for p in runnable_programs(request.user)}
    form = SeriesForm(request.POST)
    form.set_choices("program", [(k, p.name) for k, p in programs.items()])
    if form.is_valid():
        try:
            actions.check_create_series(
                request.user,
                programs[form.cleaned_data["program"]],
                weekday=form.cleaned_data["weekday"],
                start_time=form.cleaned_data["start_time"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, "Team meeting scheduled.")
    else:
        messages.error(request, "Choose a program, a day and a time.")
    return redirect("meetings:list")


def _page(request: AuthedRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    view = meeting_view(request.user, meeting)
    staff = program_staff(meeting.program)
    present = set(meeting.attendance.filter(present=True).values_list("user_id", flat=True))
    episodes = discussable_episodes(request.user, meeting) if not meeting.is_signed else []
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "view": view,
            "staff": staff,
            "present": present,
            "episodes": episodes,
            "decision_kinds": DecisionKind.choices,
            "attendance_form": AttendanceForm(
                initial={"present": [str(u.public_id) for u in staff if u.pk in present]},
                staff=[(str(u.public_id), u.name) for u in staff],
            ),
            "sign_form": extra.get("sign_form") or SignForm(),
            "addendum_form": AddendumForm(),
            "addenda": meeting.addenda.all(),
            "attendees": [u for u in staff if u.pk in present],
            "weekday": Weekday(meeting.series.weekday).label,
            "now": timezone.now(),
        },
        status=extra.get("status", 200),
    )


@staff_required(*RUNNERS)
def meeting_detail(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    return _page(request, access_meeting(request.user, meeting_id))


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = reverse("meetings:detail", args=[meeting.public_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@staff_required(*RUNNERS)
def generate(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    try:
        added = actions.do_generate_agenda(request.user, meeting) if not meeting.is_signed else None
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        if added is None:
            messages.error(request, "These minutes are signed.")
        else:
            messages.success(request, f"Agenda updated: {len(added)} new items.")
    return _back(meeting)


@require_POST
@staff_required(*RUNNERS)
def add_item(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    episode = access_meeting_episode(request.user, meeting, request.POST.get("participant", ""))
    try:
        actions.check_add_item(request.user, meeting, episode, request.POST.get("reason", ""))
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Added to the agenda.")
    return _back(meeting, f"p-{episode.public_id}")


@require_POST
@staff_required(*RUNNERS)
def discuss(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    episode = access_meeting_episode(request.user, meeting, request.POST.get("participant", ""))
    try:
        actions.check_discuss(request.user, meeting, episode, request.POST.get("text", ""))
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Discussion recorded.")
    return _back(meeting, f"p-{episode.public_id}")


@require_POST
@staff_required(*RUNNERS)
def decide(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    episode = access_meeting_episode(request.user, meeting, request.POST.get("participant", ""))
    owner_id = parse_public_id(request.POST.get("owner"))
    owner = User.objects.filter(public_id=owner_id).first() if owner_id else None
    due_on = None
    if request.POST.get("due_on"):
        try:
            due_on = date.fromisoformat(request.POST["due_on"])
        except ValueError:
            messages.error(request, "Enter the due date as a date.")
            return _back(meeting, f"p-{episode.public_id}")
    try:
        decision = actions.check_decide(
            request.user,
            meeting,
            episode,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            owner=owner,
            due_on=due_on,
        )
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        done = []
        if decision.plan_version_number:
            done.append(f"plan draft v{decision.plan_version_number} opened")
        if decision.task:
            done.append(f"task for {decision.task.owner.name if decision.task.owner else '—'}")
        messages.success(request, "Decision recorded" + (f": {', '.join(done)}." if done else "."))
    return _back(meeting, f"p-{episode.public_id}")


@require_POST
@staff_required(*RUNNERS)
def attendance(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    staff = {str(u.public_id): u for u in program_staff(meeting.program)}
    form = AttendanceForm(request.POST, staff=[(k, u.name) for k, u in staff.items()])
    if form.is_valid():
        try:
            actions.do_record_attendance(
                request.user, meeting, [staff[k] for k in form.cleaned_data["present"]]
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, "Attendance saved.")
    return _back(meeting, "attendance")


@require_POST
@staff_required(*RUNNERS)
def sign(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.SIGN)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            actions.check_sign(
                request.user,
                meeting,
                typed_name=form.cleaned_data["typed_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Minutes signed. Later changes are addenda.")
            return _back(meeting)
    return _page(request, meeting, sign_form=form, status=422)


@require_POST
@staff_required(*RUNNERS)
def addendum(request: AuthedRequest, meeting_id: str) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id, action=Action.UPDATE)
    try:
        actions.check_addendum(request.user, meeting, request.POST.get("text", ""))
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, "Addendum added.")
    return _back(meeting, "addenda")
