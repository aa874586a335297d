"""Pages of participants' own accounts (docs/portal.md, "Accounts"): the chart's Portal account
tab (invite, resend, revoke) and the invitee's page behind the one-time link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from trellis.accounts.actions import do_record_sign_in_attempt
from trellis.accounts.http import AuthedRequest
from trellis.audit.middleware import client_addr_of
from trellis.audit.models import Action
from trellis.lib import sms
from trellis.lib.views import apply_validation_error
from trellis.participants.access import access_invitation, access_portal_account
from trellis.participants.actions import (
    InvitationClosed,
    check_accept_invitation,
    check_invite,
    check_resend_invitation,
    check_revoke_invitation,
)
from trellis.participants.actions.invitations import expiry_text
from trellis.participants.chart import chart_context
from trellis.participants.forms import AcceptInvitationForm, GuardianInviteForm, InviteForm
from trellis.participants.guardianship import guardians_section, is_guardian_token
from trellis.participants.queries import crisis_phone_for, portal_account
from trellis.privacy.access import ParticipantAccess
from trellis.privacy.decorators import staff_required

BACKEND = "trellis.accounts.backends.UsernameOrEmailBackend"
REFERRER_POLICY = "strict-origin"


@staff_required()
def portal_account_tab(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Status of the participant's own sign-in, and invite / resend / revoke."""
    posting = request.method == "POST"
    access, may_manage = access_portal_account(
        request.user, public_id, action=Action.UPDATE if posting else Action.VIEW
    )
    participant = access.participant
    account = portal_account(participant, timezone.now())
    form = InviteForm(
        request.POST if posting and request.POST.get("operation") == "invite" else None,
        initial={"email": participant.email, "phone": ""},
    )
    errors: list[str] = []
    if posting:
        operation = request.POST.get("operation", "")
        try:
            if operation == "invite":
                if form.is_valid():
                    check_invite(
                        request.user,
                        participant,
                        email=form.cleaned_data["email"],
                        phone=form.cleaned_data["phone"],
                    )
                    messages.success(request, "Invitation sent. The link works once.")
                    return redirect("participants:portal-account", public_id=public_id)
            elif operation in ("resend", "revoke"):
                invitation = account.invitation
                if invitation is None or str(invitation.public_id) != request.POST.get(
                    "invitation", ""
                ):
                    errors.append("That invitation has changed: reload the page.")
                elif operation == "resend":
                    check_resend_invitation(request.user, invitation)
                    messages.success(request, "A new link was sent; the old one stops working.")
                    return redirect("participants:portal-account", public_id=public_id)
                else:
                    check_revoke_invitation(request.user, invitation)
                    messages.success(request, "Invitation revoked: its link no longer works.")
                    return redirect("participants:portal-account", public_id=public_id)
            else:
                errors.append("Unknown change.")
        except ValidationError as error:
            if operation == "invite":
                apply_validation_error(form, error)
            else:
                errors.extend(error.messages)
    context = tab_context(access, may_manage, form=form, errors=errors)
    status = 422 if posting else 200
    return render(request, "participants/portal_account.html", context, status=status)


def tab_context(
    access: ParticipantAccess,
    may_manage: bool,
    *,
    form: InviteForm,
    errors: list[str],
    guardian_form: GuardianInviteForm | None = None,
    guardian_errors: list[str] | None = None,
) -> dict[str, Any]:
    """The Portal account tab: the participant's own account and, below, their guardians
    (guardian_views)."""
    participant = access.participant
    account = portal_account(participant, timezone.now())
    invitation = account.invitation
    return chart_context(access, "portal-account") | {
        "account": account,
        "form": form,
        "errors": errors,
        "may_manage": may_manage,
        "texting": sms.texting_available(),
        "expires": expiry_text(participant.organization, invitation.expires_at)
        if invitation is not None
        else "",
        "hours": settings.TRELLIS_INVITATION_HOURS,
        "guardians": guardians_section(participant),
        "guardian_form": guardian_form or GuardianInviteForm(),
        "guardian_errors": guardian_errors or [],
    }


def private(response: HttpResponse) -> HttpResponse:
    """The invitee's page is never cached, and its URL (the secret) never leaves in a Referer:
    `strict-origin` sends the origin alone. (`no-referrer` would also blank the Origin header
    of the page's own form post, which Django's CSRF check then refuses.)"""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = REFERRER_POLICY
    return response


def closed(request: HttpRequest) -> HttpResponse:
    return private(render(request, "participants/invitation_closed.html", {}, status=410))


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """/invite/<token>/: who invited them, a username if they have none, a password; then
    signed in. Any link that does not work (unknown, expired, revoked, replaced, used) gets one
    page that says so. A guardian's link (docs/portal.md, "Guardians") has its own page."""
    if is_guardian_token(token):
        # guardian_views builds on this module's pages (the tab, the 410): imported here.
        from trellis.participants.guardian_views import accept_guardian_invitation

        return accept_guardian_invitation(request, token)
    if request.user.is_authenticated:
        return private(render(request, "participants/invitation_signed_in.html", {}))
    try:
        invitation = access_invitation(token)
    except InvitationClosed:
        return closed(request)
    participant = invitation.participant
    existing = participant.user
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, needs_username=existing is None
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = check_accept_invitation(
                invitation,
                username=form.cleaned_data.get("username", ""),
                password=form.cleaned_data["password1"],
            )
        except InvitationClosed:
            return closed(request)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            login(request, user, backend=BACKEND)
            do_record_sign_in_attempt(
                user.get_username(), client_addr_of(request), user=user, succeeded=True
            )
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    context = {
        "form": form,
        "first_name": participant.preferred_name or participant.given_name,
        "organization": participant.organization,
        "inviter": invitation.created_by,
        "username": existing.get_username() if existing is not None else "",
        "expires": expiry_text(participant.organization, invitation.expires_at),
        "crisis_phone": crisis_phone_for(participant),
    }
    status = 422 if request.method == "POST" else 200
    return private(render(request, "participants/invitation_accept.html", context, status=status))
