"""Sites (organization administrators) and their rooms (administrators, and directors of a
program run at the site): list, add, edit, retire. A room that sessions still use cannot be
retired: the refusal names those sessions (scheduling.actions.check_retire_room)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.http import AuthedRequest
from trellis.lib.views import add_error_messages, apply_validation_error
from trellis.privacy.decorators import staff_required
from trellis.privacy.setup import (
    access_setup_room,
    access_setup_site,
    administered_organizations,
)
from trellis.programs.actions import (
    SiteData,
    check_retire_site,
    check_save_room,
    check_save_site,
    do_set_room_active,
    do_set_site_active,
)
from trellis.programs.forms import NewSiteForm, RoomForm, SiteForm
from trellis.programs.models import Organization, Site
from trellis.scheduling.actions import check_retire_room


def _site_data(form: SiteForm) -> SiteData:
    return SiteData(**form.cleaned_data)


def _organizations(request: AuthedRequest) -> list[Organization]:
    organizations = list(administered_organizations(request.user))
    if not organizations:
        raise PermissionDenied("Sites are set up by organization administrators.")
    return organizations


@staff_required()
def sites(request: AuthedRequest) -> HttpResponse:
    """The sites of the organizations the user administers, with their rooms and programs."""
    organizations = _organizations(request)
    rows = list(
        Site.objects.filter(organization__in=organizations)
        .select_related("organization")
        .annotate(
            room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True),
            program_count=Count("programs", filter=Q(programs__is_active=True), distinct=True),
        )
        .order_by("organization__name", "-is_active", "name")
    )
    return render(
        request,
        "programs/setup_sites.html",
        {"sites": rows, "organizations": organizations},
    )


@staff_required()
def site_new(request: AuthedRequest) -> HttpResponse:
    organizations = _organizations(request)
    form = NewSiteForm(organizations, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = form.organizations[data.pop("organization")]
        try:
            site = check_save_site(request.user, organization, SiteData(**data))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Site “{site.name}” added. Add its rooms next.")
            return redirect("programs:rooms", site_id=site.public_id)
    return render(
        request,
        "programs/setup_site_form.html",
        {"form": form, "site": None},
        status=400 if form.errors else 200,
    )


@staff_required()
def site_edit(request: AuthedRequest, site_id: uuid.UUID) -> HttpResponse:
    site = access_setup_site(request.user, site_id)
    initial = {
        name: getattr(site, name)
        for name in ("name", "address_line1", "address_line2", "city", "state", "postal_code")
    }
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_save_site(request.user, site.organization, _site_data(form), site=site)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Site “{site.name}” saved.")
            return redirect("programs:sites")
    return render(
        request,
        "programs/setup_site_form.html",
        {"form": form, "site": site},
        status=400 if form.errors else 200,
    )


@staff_required()
@require_POST
def site_retire(request: AuthedRequest, site_id: uuid.UUID) -> HttpResponse:
    site = access_setup_site(request.user, site_id)
    try:
        if request.POST.get("reopen") == "1":
            do_set_site_active(request.user, site, is_active=True)
            messages.success(request, f"Site “{site.name}” reopened.")
        else:
            check_retire_site(request.user, site)
            messages.success(request, f"Site “{site.name}” retired.")
    except ValidationError as error:
        add_error_messages(request, error)
    return redirect("programs:sites")


@staff_required()
def rooms(request: AuthedRequest, site_id: uuid.UUID) -> HttpResponse:
    """The site's rooms, and a form to add one."""
    site = access_setup_site(request.user, site_id, rooms=True)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = check_save_room(request.user, site, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Room “{room.name}” added.")
            return redirect("programs:rooms", site_id=site.public_id)
    rows = list(site.rooms.order_by("-is_active", "name"))
    return render(
        request,
        "programs/setup_rooms.html",
        {"site": site, "rooms": rows, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required()
def room_edit(request: AuthedRequest, room_id: uuid.UUID) -> HttpResponse:
    room = access_setup_room(request.user, room_id)
    form = RoomForm(request.POST or None, initial={"name": room.name, "capacity": room.capacity})
    if request.method == "POST" and form.is_valid():
        try:
            check_save_room(request.user, room.site, room=room, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Room “{room.name}” saved.")
            return redirect("programs:rooms", site_id=room.site.public_id)
    return render(
        request,
        "programs/setup_room_edit.html",
        {"room": room, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required()
@require_POST
def room_retire(request: AuthedRequest, room_id: uuid.UUID) -> HttpResponse:
    room = access_setup_room(request.user, room_id)
    try:
        if request.POST.get("reopen") == "1":
            if not room.site.is_active:
                raise ValidationError({"room": "The site is retired: reopen it first."})
            do_set_room_active(request.user, room, is_active=True)
            messages.success(request, f"Room “{room.name}” reopened.")
        else:
            check_retire_room(request.user, room)
            messages.success(request, f"Room “{room.name}” retired.")
    except ValidationError as error:
        add_error_messages(request, error)
    return redirect("programs:rooms", site_id=room.site.public_id)
