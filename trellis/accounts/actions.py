"""Writes to users, credentials, sign-in attempts and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

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


@transaction.atomic
def do_remove_credential(actor: User | None, credential: Credential) -> None:
    """Remove a licence entered in error or no longer held (the trail keeps what it was)."""
    record(
        actor,
        Action.DELETE,
        obj=credential,
        purpose=Purpose.HSYSADMIN,
        detail={
            "user": str(credential.user.public_id),
            "kind": credential.kind,
            "state": credential.state,
        },
    )
    credential.delete()


# -- sign-in throttling ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    until: datetime
    reason: str  # "account" or "address"


def sign_in_lockout(account_key: str, client_addr: str | None) -> Lockout | None:
    """A lockout if the account or the address failed too often in the recent window.

    `account_key` is `backends.lockout_key(...)` of the name typed. A password reset lifts
    the account's lock (it proves control of the account's email), not the address's.
    """
    now = timezone.now()
    window = timedelta(minutes=settings.TRELLIS_SIGNIN_WINDOW_MINUTES)
    lock = timedelta(minutes=settings.TRELLIS_SIGNIN_LOCK_MINUTES)
    limit = settings.TRELLIS_SIGNIN_MAX_FAILURES
    since = now - max(window, lock)
    failures = SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.SIGN_IN, succeeded=False, attempted_at__gte=since
    )
    for reason, attempts in (
        ("account", failures.filter(username=account_key.lower(), cleared_at__isnull=True)),
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
    username: str,
    client_addr: str | None,
    *,
    user: User | None,
    succeeded: bool,
    account_key: str = "",
) -> None:
    """One sign-in try: counted for throttling and recorded in the audit trail."""
    SignInAttempt.objects.create(
        username=(account_key or username).lower(), client_addr=client_addr, succeeded=succeeded
    )
    record(
        user,
        Action.SIGN_IN if succeeded else Action.SIGN_IN_FAILED,
        outcome=Outcome.SUCCESS if succeeded else Outcome.FAILURE,
        actor_label=username[:150],
    )


@transaction.atomic
def do_record_locked_sign_in(username: str, lockout: Lockout) -> None:
    """A try refused because of a lockout: audited, but not counted as a failure, so that
    someone guessing cannot keep the owner locked out for ever."""
    record(
        None,
        Action.SIGN_IN_FAILED,
        outcome=Outcome.DENIED,
        actor_label=username[:150],
        detail={"reason": "locked", "lock": lockout.reason},
    )


# -- password reset -------------------------------------------------------------------------


def password_reset_allowed(email: str, client_addr: str | None) -> bool:
    """Whether another reset email may go out: a few per email address and per client address
    per hour, so the reset form cannot be used to flood someone's inbox."""
    since = timezone.now() - timedelta(hours=1)
    # Only requests that were let through count: refused ones must not extend the throttle.
    requests = SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.PASSWORD_RESET, succeeded=True, attempted_at__gte=since
    )
    if requests.filter(username=email.strip().lower()).count() >= (
        settings.TRELLIS_PASSWORD_RESET_PER_EMAIL_PER_HOUR
    ):
        return False
    return not (
        client_addr
        and requests.filter(client_addr=client_addr).count()
        >= settings.TRELLIS_PASSWORD_RESET_PER_ADDRESS_PER_HOUR
    )


@transaction.atomic
def do_record_password_reset_request(email: str, client_addr: str | None, *, allowed: bool) -> None:
    """A reset request: counted for throttling and audited (whether mail went out or not;
    the page shown is the same either way, so it reveals no account)."""
    SignInAttempt.objects.create(
        kind=SignInAttempt.Kind.PASSWORD_RESET,
        username=email.strip().lower()[:150],
        client_addr=client_addr,
        succeeded=allowed,
    )
    record(
        None,
        Action.PASSWORD_RESET,
        outcome=Outcome.SUCCESS if allowed else Outcome.DENIED,
        actor_label=email.strip()[:150],
        # Whether mail went out depends also on whether an account has the email, which
        # Django decides afterwards: the event says only whether the throttle let it through.
        detail={"step": "requested", "throttled": not allowed},
    )


@transaction.atomic
def do_reset_password(user: User, new_password: str) -> None:
    """Set a new password from a reset link: ends the account's lockout and revokes its API
    tokens (whoever had the old password may have made them)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.SIGN_IN,
        username=user.get_username().lower(),
        succeeded=False,
        cleared_at__isnull=True,
    ).update(cleared_at=timezone.now())
    revoked = _revoke_all_tokens(user, user, reason="password reset")
    record(
        user,
        Action.PASSWORD_RESET,
        obj=user,
        object_type="accounts.user",
        purpose=Purpose.HSYSADMIN,
        detail={"step": "completed", "tokens_revoked": revoked},
    )


# -- API tokens -----------------------------------------------------------------------------


def token_fingerprint(user: User) -> str:
    return user.get_session_auth_hash()


@transaction.atomic
def do_create_api_token(
    actor: User, *, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `actor`; returns it with the secret, which is never stored.

    Every token expires: after `expires_in_days`, at most TRELLIS_API_TOKEN_MAX_DAYS.
    """
    longest = settings.TRELLIS_API_TOKEN_MAX_DAYS
    days = min(expires_in_days or longest, longest)
    if days < 1:
        raise ValueError("A token must be valid for at least one day.")
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip() or "API token",
        digest=ApiToken.digest_of(secret),
        hint=secret[: len(ApiToken.PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=days),
        password_fingerprint=token_fingerprint(actor),
    )
    record(actor, Action.TOKEN, obj=token, detail={"change": "created", "days": days})
    return token, secret


@transaction.atomic
def do_revoke_api_token(actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, Action.TOKEN, obj=token, detail={"change": "revoked"})


def _revoke_all_tokens(actor: User | None, user: User, *, reason: str) -> int:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(actor, Action.TOKEN, obj=token, detail={"change": "revoked", "reason": reason})
    return len(tokens)


@transaction.atomic
def do_revoke_user_tokens(actor: User | None, user: User, *, reason: str) -> int:
    """Revoke every live token of `user` (deactivation, a password set by an administrator)."""
    return _revoke_all_tokens(actor, user, reason=reason)


def authenticate_api_token(secret: str) -> User | None:
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # A token made before the current password is void, however the password was changed.
    # (Hashes under SECRET_KEY_FALLBACKS still count, so rotating the key keeps tokens.)
    current = [token_fingerprint(token.user), *token.user.get_session_auth_fallback_hash()]
    if not any(constant_time_compare(token.password_fingerprint, fp) for fp in current):
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
