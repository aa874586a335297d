"""Sign-in, sign-out, password reset and personal API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trellis.accounts.actions import (
    do_create_api_token,
    do_record_password_reset_request,
    do_record_sign_in_attempt,
    do_reset_password,
    do_revoke_api_token,
    password_reset_allowed,
)
from trellis.accounts.forms import ApiTokenForm, SignInForm
from trellis.accounts.http import AuthedRequest
from trellis.accounts.idle import set_session_limit
from trellis.accounts.models import ApiToken, User
from trellis.audit.middleware import client_addr_of
from trellis.audit.models import Action
from trellis.audit.trail import record


def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        set_session_limit(request, form.user, own_device=bool(form.cleaned_data.get("own_device")))
        do_record_sign_in_attempt(
            form.user.get_username(),
            client_addr_of(request),
            user=form.user,
            succeeded=True,
            account_key=form.account_key,
        )
        # A participant lands on their portal's home (/me/), staff on Today.
        home = "portal:home" if hasattr(form.user, "participant") else "today"
        return redirect(next_url or home)
    status = 200
    if form.errors and any(e.code == "locked" for e in form.non_field_errors().as_data()):
        status = 429
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url, "idle": request.GET.get("idle") == "1"},
        status=status,
    )


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """/admin/login/ is the Trellis sign-in: the same throttling, lockout and audit trail,
    rather than Django's admin form, which has none of them."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(reverse("accounts:sign-in") + "?" + urlencode({"next": next_url}))


# The browser forgets everything of this site it kept: cached pages and htmx's history
# snapshots (static/trellis/session.js also clears them on the next page it loads).
CLEAR_SITE_DATA = '"cache", "storage"'


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record(request.user, Action.SIGN_OUT)
    logout(request)
    messages.info(request, "You are signed out.")
    response = redirect("accounts:sign-in")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled per email and per address, and audited. The page after
    it is the same whether or not mail went out, so it reveals nothing about accounts."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_success_url(self) -> str:
        return reverse("accounts:password-reset-sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = str(form.cleaned_data["email"])
        address = client_addr_of(self.request)
        allowed = password_reset_allowed(email, address)
        do_record_password_reset_request(email, address, allowed=allowed)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from a reset link, set by the action that also lifts the account's
    lockout and revokes its API tokens."""

    template_name = "accounts/password_reset_confirm.html"

    def get_success_url(self) -> str:
        return reverse("accounts:password-reset-complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        do_reset_password(form.user, str(form.cleaned_data["new_password1"]))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@login_required
def account_settings(request: AuthedRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "accounts/settings.html",
        {"tokens": tokens, "form": ApiTokenForm(request, request.user), "now": timezone.now()},
    )


@login_required
@require_POST
def create_token(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request, request.user, request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.filter(user=request.user)
        return render(
            request, "accounts/settings.html", {"tokens": tokens, "form": form}, status=422
        )
    token, secret = do_create_api_token(
        request.user,
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["expires_in_days"],
    )
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, public_id=token_id, user=request.user)
    do_revoke_api_token(request.user, token)
    messages.info(request, f"Token “{token.name}” is revoked.")
    return redirect("accounts:settings")
