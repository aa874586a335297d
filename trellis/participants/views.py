"""Participant list, chart, registration, and a participant's view of their own record."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record_list
from trellis.lib.ids import parse_public_id
from trellis.lib.languages import language_name
from trellis.lib.views import add_error_messages, apply_validation_error, is_htmx
from trellis.participants import care_team as team
from trellis.participants.access import CONTACT, IDENTITY, access_details, details_roles
from trellis.participants.actions import (
    LegalIdentity,
    check_add_care_team_member,
    check_add_care_team_member_as_primary,
    check_change_care_team_member,
    check_change_primary,
    check_correct_identity,
    check_create_participant,
    check_end_care_team_member,
    check_set_planned_discharge,
    check_update_contact,
)
from trellis.participants.actions.details import CONTACT_FIELDS, IDENTITY_FIELDS
from trellis.participants.chart import chart_context, overview_panels
from trellis.participants.forms import ContactForm, IdentityForm, ParticipantForm
from trellis.participants.models import Episode, EpisodeStatus
from trellis.participants.queries import (
    ParticipantFilters,
    care_team_of,
    current_episode_of,
    participant_list,
)
from trellis.privacy.access import ParticipantAccess, Scope, access_participant
from trellis.privacy.decorators import staff_required
from trellis.privacy.policy import registrable_programs
from trellis.programs.models import ClinicianKind, Program, Role, Track


@staff_required()
def participant_index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    filters = ParticipantFilters(
        text=request.GET.get("q", "").strip()[:100],
        program=_uuid_param(request, "program"),
        track=_uuid_param(request, "track"),
        status=request.GET.get("status", "")
        if request.GET.get("status") in EpisodeStatus.values
        else "",
    )
    paginator = Paginator(participant_list(user, filters), 25)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(p, current_episode_of(p)) for p in page.object_list]
    record_list(
        user,
        object_type="participants.participant",
        participants=page.object_list,
        purpose=Purpose.TREAT,
        detail=filters.audit_detail() | {"results": paginator.count, "page": page.number},
    )
    programs = Program.objects.for_user(user)
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "programs": programs,
        "tracks": Track.objects.filter(program__in=programs).select_related("program"),
        "statuses": EpisodeStatus.choices,
        "can_register": registrable_programs(user).exists(),
        "query_string": _query_string_without_page(request),
    }
    template = "participants/list.html"
    if is_htmx(request) and request.headers.get("HX-Target") == "results":
        template += "#results"
    return render(request, template, context)


def _uuid_param(request: AuthedRequest, name: str) -> str:
    parsed = parse_public_id(request.GET.get(name))
    return str(parsed) if parsed else ""


def _query_string_without_page(request: AuthedRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _all_episodes(access: ParticipantAccess, current: Episode | None) -> list[Episode]:
    """Every episode the user sees, the current one first (even one they know only the
    status of: a returning person's new episode leads, their old ones follow)."""
    rest = [e for e in access.episodes if e != current]
    return ([current] if current is not None else []) + rest


@staff_required()
def participant_chart(request: AuthedRequest, public_id: str) -> HttpResponse:
    access = access_participant(request.user, public_id, purpose=Purpose.TREAT)
    # The person's current episode, even one the user knows only the status of (intake once
    # a care team is set): never an old episode presented as where the person stands.
    episode = access.status_episode
    episode_clinical = episode is not None and access.is_clinical_for(episode)
    care_team = care_team_of(episode) if episode is not None and episode_clinical else []
    context = chart_context(access, "overview") | {
        "episode": episode,
        "episode_clinical": episode_clinical,
        "all_episodes": everyone if len(everyone := _all_episodes(access, episode)) > 1 else [],
        "language_name": language_name(access.participant.language),
        "may_correct": bool(details_roles(request.user, access.participant)),
        "care_team": care_team,
        "overview_panels": overview_panels(access),
        "can_plan_discharge": episode is not None
        and episode_clinical
        and episode.is_open
        and team.can_manage_care_team(access, episode),
    }
    return render(request, "participants/chart.html", context)


@staff_required()
def participant_new(request: AuthedRequest) -> HttpResponse:
    programs = registrable_programs(request.user)
    if not programs.exists():
        raise PermissionDenied(
            "Only program directors and intake coordinators register participants."
        )
    form = ParticipantForm(programs, request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.cleaned_data.get("program")
        organizations = {p.organization for p in programs}
        organization = (
            program.organization
            if program
            else (next(iter(organizations)) if len(organizations) == 1 else None)
        )
        if organization is None:
            form.add_error("program", "Choose a program: you work in more than one organization.")
        else:
            try:
                participant = check_create_participant(
                    request.user,
                    organization,
                    form.details(),
                    program=program,
                    track=form.cleaned_data.get("track"),
                    status=form.cleaned_data["status"],
                    admitted_on=form.cleaned_data.get("admitted_on"),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Participant registered.")
                return redirect("participants:chart", public_id=participant.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "participants/new.html", {"form": form}, status=status)


@staff_required()
def care_team_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    """The Care team tab: members with credentials and dates; add, change role, make primary,
    end. Front desk never reaches it (clinical scope); see care_team.can_manage_care_team."""
    access = access_participant(
        request.user, public_id, purpose=Purpose.HOPERAT, minimum=Scope.CLINICAL
    )
    episode = access.current_episode
    if episode is None or not team.can_manage_care_team(access, episode):
        raise Http404("No such participant.")
    staff = team.eligible_staff(episode)
    add_form = team.AddMemberForm(staff, team.default_end_date(episode))
    errors: list[str] = []
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        try:
            if operation == "add":
                add_form = team.AddMemberForm(staff, team.default_end_date(episode), request.POST)
                if add_form.is_valid():
                    _add_member(request, episode, add_form)
                    return _after_team_change(request, access, public_id)
            else:
                membership = team.find_member(episode, request.POST.get("member", ""))
                if membership is None:
                    errors.append("That member is no longer on the team: reload the page.")
                elif operation == "role":
                    check_change_care_team_member(
                        request.user, membership, role=request.POST.get("role", "")
                    )
                    return _after_team_change(request, access, public_id)
                elif operation == "primary":
                    check_change_primary(request.user, membership)
                    return _after_team_change(request, access, public_id)
                elif operation == "end":
                    end_form = team.EndMemberForm(request.POST)
                    if not end_form.is_valid():
                        errors.append("Enter the last day on the team as a date.")
                    else:
                        end_date = end_form.cleaned_data["end_date"]
                        check_end_care_team_member(request.user, membership, end_date=end_date)
                        return _after_team_change(request, access, public_id)
                else:
                    errors.append("Unknown change.")
        except ValidationError as error:
            errors.extend(error.messages)
    rows = team.team_rows(episode)
    context = chart_context(access, "care-team") | {
        "current": [(m, team.member_key(m)) for m in rows.current],
        "past": rows.past,
        "add_form": add_form,
        "errors": errors,
        "roles": ClinicianKind.choices,
        "today": team.default_end_date(episode),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "participants/care_team.html", context, status=status)


def _add_member(request: AuthedRequest, episode: Episode, form: team.AddMemberForm) -> None:
    data = form.cleaned_data
    has_primary = episode.care_team.filter(is_primary=True, end_date__isnull=True).exists()
    if data["is_primary"] and has_primary:
        check_add_care_team_member_as_primary(
            request.user, episode, form.chosen_user(), role=data["role"],
            start_date=data["start_date"],
        )  # fmt: skip
    else:
        check_add_care_team_member(
            request.user, episode, form.chosen_user(), role=data["role"],
            is_primary=data["is_primary"], start_date=data["start_date"],
        )  # fmt: skip


def _after_team_change(
    request: AuthedRequest, access: ParticipantAccess, public_id: str
) -> HttpResponse:
    messages.success(request, "Care team updated.")
    if access.role == Role.INTAKE_COORDINATOR:
        # Once a care team exists the chart belongs to it: intake no longer sees it.
        return redirect("participants:list")
    return redirect("participants:care-team", public_id=public_id)


class PlannedDischargeForm(forms.Form):
    planned_discharge_on = forms.DateField(
        label="Planned discharge", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@staff_required()
@require_POST
def planned_discharge(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Set or clear the planned discharge date of the current episode (the care team or the
    director: the same people who manage the care team)."""
    access = access_participant(
        request.user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL,
        action=Action.UPDATE,
    )  # fmt: skip
    episode = access.current_episode
    if episode is None or not team.can_manage_care_team(access, episode):
        raise Http404("No such participant.")
    form = PlannedDischargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the planned discharge as a date, or leave it empty.")
    else:
        try:
            check_set_planned_discharge(
                request.user, episode, form.cleaned_data["planned_discharge_on"]
            )
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, "Planned discharge saved.")
    return redirect("participants:chart", public_id=public_id)


@staff_required()
def participant_details(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Correct contact details (front desk, intake, directors, care team) and the legal
    identity with a reason (directors and intake)."""
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    participant, roles = access_details(request.user, public_id, action=action)
    part = request.POST.get("part", "") if request.method == "POST" else ""
    contact_initial = {n: getattr(participant, n) for n in CONTACT_FIELDS}
    contact = ContactForm(
        participant.language, request.POST if part == CONTACT else None, initial=contact_initial
    )
    identity = IdentityForm(
        request.POST if part == IDENTITY else None,
        initial={n: getattr(participant, n) for n in IDENTITY_FIELDS},
    )
    if part == CONTACT and CONTACT in roles and contact.is_valid():
        try:
            changed = check_update_contact(request.user, participant, contact.details())
        except ValidationError as error:
            apply_validation_error(contact, error)
        else:
            messages.success(request, "Contact details saved." if changed else "Nothing changed.")
            return redirect("participants:chart", public_id=participant.public_id)
    if part == IDENTITY and IDENTITY in roles and identity.is_valid():
        data = identity.cleaned_data
        try:
            changed = check_correct_identity(
                request.user,
                participant,
                LegalIdentity(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    date_of_birth=data["date_of_birth"],
                    mrn=data["mrn"],
                ),
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(identity, error)
        else:
            messages.success(request, "Legal details corrected." if changed else "Nothing changed.")
            return redirect("participants:chart", public_id=participant.public_id)
    context = {
        "participant": participant,
        "contact": contact,
        "identity": identity if IDENTITY in roles else None,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "participants/details.html", context, status=status)
