"""Writes to users, credentials, sign-in attempts and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trellis.accounts.models import ApiToken, Credential, SignInAttempt, StaffProfile, User
from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record


@transaction.atomic
def do_create_user(
    actor: User | None,
    *,
    username: str,
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    is_staff_profile: bool = True,
) -> User:
    """Create a sign-in. Staff get a profile; a participant's sign-in does not."""
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    if is_staff_profile:
        StaffProfile.objects.create(user=user, title=title)
    record(
        actor,
        Action.CREATE,
        obj=user,
        object_type="accounts.user",
        purpose=Purpose.HSYSADMIN,
    )
    return user


@transaction.atomic
def do_add_credential(
    actor: User | None,
    user: User,
    *,
    kind: str,
    licence_number: str = "",
    state: str = "",
    expires_on: date | None = None,
) -> Credential:
    credential = Credential(
        user=user, kind=kind, licence_number=licence_number, state=state, expires_on=expires_on
    )
    credential.full_clean()
    credential.save()
    record(
        actor,
        Action.CREATE,
        obj=credential,
        purpose=Purpose.HSYSADMIN,
        detail={"user": str(user.public_id), "kind": kind},
    )
    return credential


# -- sign-in throttling ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    until: datetime
    reason: str  # "account" or "address"


def sign_in_lockout(username: str, client_addr: str | None) -> Lockout | None:
    """A lockout if the account or the address failed too often in the recent window."""
    now = timezone.now()
    window = timedelta(minutes=settings.TRELLIS_SIGNIN_WINDOW_MINUTES)
    lock = timedelta(minutes=settings.TRELLIS_SIGNIN_LOCK_MINUTES)
    limit = settings.TRELLIS_SIGNIN_MAX_FAILURES
    since = now - max(window, lock)
    failures = SignInAttempt.objects.filter(succeeded=False, attempted_at__gte=since)
    for reason, attempts in (
        ("account", failures.filter(username=username.lower())),
        ("address", failures.filter(client_addr=client_addr) if client_addr else None),
    ):
        if attempts is None:
            continue
        times = list(
            attempts.order_by("-attempted_at").values_list("attempted_at", flat=True)[:limit]
        )
        # Locked when the last `limit` failures all fell within one window and the lock
        # period since the latest has not run out.
        if len(times) >= limit and times[0] - times[-1] <= window and now < times[0] + lock:
            return Lockout(until=times[0] + lock, reason=reason)
    return None


@transaction.atomic
def do_record_sign_in_attempt(
    username: str, client_addr: str | None, *, user: User | None, succeeded: bool
) -> None:
    SignInAttempt.objects.create(
        username=username.lower(), client_addr=client_addr, succeeded=succeeded
    )
    record(
        user,
        Action.SIGN_IN if succeeded else Action.SIGN_IN_FAILED,
        outcome=Outcome.SUCCESS if succeeded else Outcome.FAILURE,
        actor_label=username[:150],
    )


# -- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def do_create_api_token(
    actor: User, *, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `actor`; returns it with the secret, which is never stored."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip() or "API token",
        digest=ApiToken.digest_of(secret),
        hint=secret[: len(ApiToken.PREFIX) + 4],
        expires_at=expires_at,
    )
    record(actor, Action.TOKEN, obj=token, detail={"change": "created"})
    return token, secret


@transaction.atomic
def do_revoke_api_token(actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, Action.TOKEN, obj=token, detail={"change": "revoked"})


def authenticate_api_token(secret: str) -> User | None:
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write last-use at most once a minute: a busy integration must not write per request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def do_set_supervisor(
    actor: User | None, user: User, supervisor: User | None, *, is_trainee: bool = True
) -> StaffProfile:
    """Record who co-signs for a trainee or associate-level clinician."""
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    profile.supervisor = supervisor
    profile.is_trainee = is_trainee and supervisor is not None
    profile.save(update_fields=["supervisor", "is_trainee"])
    record(
        actor,
        Action.UPDATE,
        obj=user,
        object_type="accounts.staffprofile",
        purpose=Purpose.HSYSADMIN,
        detail={"supervisor": str(supervisor.public_id) if supervisor else ""},
    )
    return profile


@transaction.atomic
def do_set_administrator(actor: User | None, user: User, *, is_administrator: bool) -> None:
    """Give or take the setup screens (/admin/): Django staff and superuser flags."""
    user.is_staff = user.is_superuser = is_administrator
    user.save(update_fields=["is_staff", "is_superuser"])
    record(
        actor,
        Action.UPDATE,
        obj=user,
        object_type="accounts.user",
        purpose=Purpose.HSYSADMIN,
        detail={"administrator": is_administrator},
    )
