"""Staff pages for guardians (docs/portal.md, "Guardians"): the "Guardians" section of the
chart's Portal account tab (invite, revoke an invitation, unlink, record the adolescent's
consent), the guardian's page behind the one-time link, and the program's guardian policy (a
set-up page for the program's directors)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.actions import do_record_sign_in_attempt
from trellis.accounts.http import AuthedRequest
from trellis.audit.middleware import client_addr_of
from trellis.audit.models import Action
from trellis.lib.languages import portal_language
from trellis.lib.views import apply_validation_error
from trellis.participants.access import access_guardian_invitation, access_portal_account
from trellis.participants.actions import InvitationClosed
from trellis.participants.actions.guardians import (
    check_accept_guardian_invitation,
    check_invite_guardian,
    check_set_guardian_consent,
    do_end_guardian_link,
    do_revoke_guardian_invitation,
    do_set_guardian_policy,
    may_hold_guardian_links,
)
from trellis.participants.actions.invitations import expiry_text
from trellis.participants.forms import AcceptInvitationForm, GuardianInviteForm, InviteForm
from trellis.participants.guardianship import guardians_section, policy_for
from trellis.participants.invitations import BACKEND, closed, private, tab_context
from trellis.participants.models import CONSENT_KINDS, GuardianKind
from trellis.participants.queries import crisis_phone_for
from trellis.privacy.access import access_directed_program
from trellis.privacy.decorators import staff_required

GUARDIAN_HOME = "portal:family"


@staff_required()
@require_POST
def guardians_change(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    """One change to the participant's guardians, by the staff who manage the portal account
    (`may_manage_portal_account`); anyone else gets the audited 404."""
    access, _may_manage = access_portal_account(request.user, public_id, action=Action.UPDATE)
    participant = access.participant
    operation = request.POST.get("operation", "")
    section = guardians_section(participant)
    form = GuardianInviteForm(request.POST if operation == "invite" else None)
    errors: list[str] = []
    try:
        if operation == "invite":
            if form.is_valid():
                data = form.cleaned_data
                check_invite_guardian(
                    request.user,
                    participant,
                    name=data["name"],
                    relationship=data["relationship"],
                    email=data["email"],
                    phone=data["phone"],
                    language=data["language"],
                )
                messages.success(request, "Guardian invited. The link works once.")
                return redirect("participants:portal-account", public_id=public_id)
        elif operation == "revoke-invitation":
            chosen = request.POST.get("invitation", "")
            invitation = next(
                (i for i in section.invitations if str(i.public_id) == chosen and i.is_open), None
            )
            if invitation is None:
                errors.append("That invitation has changed: reload the page.")
            else:
                do_revoke_guardian_invitation(request.user, invitation)
                messages.success(request, "Guardian invitation revoked: its link no longer works.")
                return redirect("participants:portal-account", public_id=public_id)
        elif operation in ("unlink", "consent", "withdraw"):
            chosen = request.POST.get("link", "")
            view = next((v for v in section.active if str(v.link.public_id) == chosen), None)
            if view is None:
                errors.append("That guardian's link has changed: reload the page.")
            elif operation == "unlink":
                do_end_guardian_link(request.user, view.link)
                messages.success(request, "Guardian unlinked: they no longer see anything.")
                return redirect("participants:portal-account", public_id=public_id)
            else:
                check_set_guardian_consent(
                    request.user,
                    view.link,
                    request.POST.get("kind", ""),
                    given=operation == "consent",
                )
                messages.success(
                    request,
                    "Consent recorded."
                    if operation == "consent"
                    else "Consent withdrawn: the guardian no longer sees it.",
                )
                return redirect("participants:portal-account", public_id=public_id)
        else:
            errors.append("Unknown change.")
    except ValidationError as error:
        if operation == "invite":
            apply_validation_error(form, error)
        else:
            errors.extend(error.messages)
    context = tab_context(
        access,
        True,
        form=InviteForm(initial={"email": participant.email}),
        errors=[],
        guardian_form=form,
        guardian_errors=errors,
    )
    return render(request, "participants/portal_account.html", context, status=422)


def accept_guardian_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """/invite/<token>/ for a guardian (participants.invitations.accept_invitation sends it
    here). Signed out: choose a username and password. Signed in as a guardian (a sibling's):
    confirm, and the link is added to that sign-in. Signed in as staff or a participant: a page
    that says to sign out first. In the language the team chose for the guardian."""
    try:
        invitation = access_guardian_invitation(token)
    except InvitationClosed:
        return closed(request)
    user = request.user if request.user.is_authenticated else None
    with translation.override(portal_language(invitation.language)):
        if user is not None and not may_hold_guardian_links(user):
            return private(render(request, "participants/invitation_signed_in.html", {}))
        form = AcceptInvitationForm(
            request.POST if request.method == "POST" and user is None else None
        )
        errors: list[str] = []
        if request.method == "POST" and (user is not None or form.is_valid()):
            try:
                user, _link = check_accept_guardian_invitation(
                    invitation,
                    signed_in=user,
                    username=form.cleaned_data.get("username", "") if user is None else "",
                    password=form.cleaned_data.get("password1", "") if user is None else "",
                )
            except InvitationClosed:
                return closed(request)
            except ValidationError as error:
                if user is None:
                    apply_validation_error(form, error)
                else:
                    errors.extend(error.messages)
            else:
                if not request.user.is_authenticated:
                    login(request, user, backend=BACKEND)
                    do_record_sign_in_attempt(
                        user.get_username(), client_addr_of(request), user=user, succeeded=True
                    )
                messages.success(request, _("Your family account is ready."))
                return redirect(GUARDIAN_HOME)
        participant = invitation.participant
        context = {
            "form": form,
            "errors": errors,
            "guardian_name": invitation.name,
            "first_name": participant.preferred_name or participant.given_name,
            "organization": participant.organization,
            "signed_in": user,
            "expires": expiry_text(participant.organization, invitation.expires_at),
            "crisis_phone": crisis_phone_for(participant),
        }
        status = 422 if request.method == "POST" else 200
        response = render(
            request, "participants/guardian_invitation_accept.html", context, status=status
        )
    return private(response)


@staff_required()
def guardian_policy(request: AuthedRequest, program_id: uuid.UUID) -> HttpResponse:
    """What the program's guardians see (the program's directors; docs/portal.md)."""
    posting = request.method == "POST"
    program = access_directed_program(
        request.user, program_id, action=Action.UPDATE if posting else Action.VIEW
    )
    policy = policy_for(program)
    if posting:
        kinds = set(request.POST.getlist("kinds"))
        try:
            do_set_guardian_policy(request.user, program, kinds)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Guardian policy saved.")
            return redirect("participants:guardian-policy", program_id=program.public_id)
    rows = [
        (value, label, policy.allows(value), value in CONSENT_KINDS)
        for value, label in GuardianKind.choices
    ]
    return render(
        request,
        "participants/guardian_policy.html",
        {"program": program, "policy": policy, "rows": rows, "now": timezone.now()},
    )
