"""Sign-in, sign-out, password reset and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trellis.accounts.actions import (
    do_create_api_token,
    do_record_sign_in_attempt,
    do_revoke_api_token,
)
from trellis.accounts.forms import ApiTokenForm, SignInForm
from trellis.accounts.http import AuthedRequest
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
        do_record_sign_in_attempt(
            form.user.get_username(), client_addr_of(request), user=form.user, succeeded=True
        )
        return redirect(next_url or "today")
    status = 200
    if form.errors and any(e.code == "locked" for e in form.non_field_errors().as_data()):
        status = 429
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url, "idle": request.GET.get("idle") == "1"},
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record(request.user, Action.SIGN_OUT)
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:sign-in")


@login_required
def account_settings(request: AuthedRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "accounts/settings.html",
        {"tokens": tokens, "form": ApiTokenForm(), "now": timezone.now()},
    )


@login_required
@require_POST
def create_token(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.filter(user=request.user)
        return render(
            request, "accounts/settings.html", {"tokens": tokens, "form": form}, status=422
        )
    days = form.cleaned_data["expires_in_days"]
    expires_at = timezone.now() + timedelta(days=days) if days else None
    token, secret = do_create_api_token(
        request.user,
        name=form.cleaned_data["name"],
        expires_at=expires_at,
    )
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, public_id=token_id, user=request.user)
    do_revoke_api_token(request.user, token)
    messages.info(request, f"Token “{token.name}” is revoked.")
    return redirect("accounts:settings")
