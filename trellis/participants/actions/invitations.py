"""Participants' own accounts, by invitation (docs/portal.md, "Accounts").

The care team, the program's director or intake invites a participant with an open episode:
an email and/or a text with a one-time link (`/invite/<token>/`) that works for
`TRELLIS_INVITATION_HOURS`. Only the token's digest is stored. A new invitation or a resend
ends the open one (its link stops working); revoking ends it outright. Accepting creates the
participant's sign-in (or reactivates the one they had: readmission), links it to the record
and is possible once: the row is locked and the acceptance is a conditional update.

When the participant has no open episode left (discharge, or an episode closed before
admission), any open invitation ends (`do_end_invitations_at_discharge`). The sign-in stays:
the participant becomes an *alumnus* (a derived state, not a flag: an active sign-in and no open
episode), who still reads their own record, their aftercare plan and answers follow-up
check-ins, as the transitions app expects. A deactivated sign-in (an administrator's doing) is
reactivated by accepting a new invitation.

Messages carry no health information: no program name, no clinician, no reason; they say
"your care team at <organization>".
"""

from __future__ import annotations

import secrets
import smtplib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trellis.accounts.actions import do_create_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib import sms
from trellis.lib.languages import portal_language
from trellis.lib.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from trellis.participants.models import Invitation, InvitationClosed, InvitationEnd, Participant
from trellis.participants.queries import has_active_account

if TYPE_CHECKING:
    from trellis.programs.models import Organization

INVITE_PATH = "/invite/{token}/"
MAX_USERNAME = 150
MIN_USERNAME = 3


def invitation_hours() -> int:
    return int(settings.TRELLIS_INVITATION_HOURS)


def invitation_link(token: str) -> str:
    return f"{settings.TRELLIS_BASE_URL}{INVITE_PATH.format(token=token)}"


def expiry_text(organization: Organization, expires_at: datetime) -> str:
    """'Sunday, December 6 at 6:30 PM CST' ('domingo 6 de diciembre a las 18:30 CST' in
    Spanish): the organization's wall clock, in the active language."""
    local = expires_at.astimezone(organization.tz)
    day = date_format(local, pgettext("invitation expiry: the day", "l, F j"))
    time = date_format(local, pgettext("invitation expiry: the time", "g:i A"))
    return _("%(day)s at %(time)s") % {"day": day, "time": f"{time} {local:%Z}"}


def invitation_email(organization: Organization, url: str, expires_at: datetime) -> tuple[str, str]:
    """Subject and body of the invitation email: the organization's name, the link, when it
    expires. Nothing about the program, the clinician or the treatment."""
    subject = _("Set up your account with %(organization)s") % {"organization": organization.name}
    body = _(
        "Hello,\n\n"
        "Your care team at %(organization)s invited you to set up your own account, where you "
        "can see your schedule and keep in touch between sessions.\n\n"
        "Open this link to choose a password:\n\n%(url)s\n\n"
        "The link works once, until %(expires)s. If it has expired, ask your care team for a "
        "new one.\n\n"
        "If you did not expect this message, you can ignore it.\n"
    ) % _message_values(organization, url, expires_at)
    return subject, body


def invitation_text(organization: Organization, url: str, expires_at: datetime) -> str:
    return _(
        "Your care team at %(organization)s invited you to set up your account: %(url)s "
        "(works once, until %(expires)s)"
    ) % _message_values(organization, url, expires_at)


def _message_values(organization: Organization, url: str, expires_at: datetime) -> dict[str, str]:
    return {
        "organization": organization.name,
        "url": url,
        "expires": expiry_text(organization, expires_at),
    }


# -- inviting -------------------------------------------------------------------------------


def _refusal(participant: Participant) -> str:
    """Why this participant cannot be invited now ("" if they can)."""
    if has_active_account(participant):
        return _(
            "This participant already has an active account: they sign in with it (a "
            "forgotten password is reset from the sign-in page). No invitation was sent."
        )
    if not participant.episodes.open().exists():
        return _("Only a participant with an open episode can be invited.")
    return ""


def address_errors(email: str, phone: str) -> dict[str, str]:
    """Where an invitation link goes (a participant's or a guardian's): an email address, a
    textable mobile number, or both; one message per field that is wrong."""
    errors: dict[str, str] = {}
    if not email and not phone:
        errors["email"] = _("Enter an email address or a mobile number to send the link to.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address, e.g. name@example.org.")
    if phone:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if has_control_characters(phone):
            errors["phone"] = CONTROL_CHARACTERS_MESSAGE
        elif not 10 <= len(digits) <= 15 or len(phone) > 30:
            errors["phone"] = _("Enter a mobile number with its area code, e.g. 503-555-0142.")
        elif not sms.texting_available():
            errors["phone"] = _(
                "Text messages are not set up here: leave the mobile number empty and send "
                "the invitation by email."
            )
    return errors


def check_invite(
    actor: User, participant: Participant, *, email: str, phone: str
) -> tuple[Invitation, str]:
    """Validate the addresses, then invite (and end any open invitation). Returns the
    invitation and the raw token (for the caller's tests; never stored or logged)."""
    email, phone = email.strip(), phone.strip()
    errors = address_errors(email, phone)
    refusal = _refusal(participant)
    if refusal:
        errors["account"] = refusal
    if errors:
        raise ValidationError(errors)
    return do_invite(actor, participant, email=email, phone=phone)


def _lock(participant: Participant) -> Participant:
    return (
        Participant.objects.select_for_update()
        .select_related("organization")
        .get(pk=participant.pk)
    )


def _end_open(
    actor: User | None, participant: Participant, reason: InvitationEnd, now: datetime
) -> list[Invitation]:
    ended = list(
        Invitation.objects.select_for_update().filter(
            participant=participant, accepted_at__isnull=True, revoked_at__isnull=True
        )
    )
    for invitation in ended:
        invitation.revoked_at, invitation.revoked_by, invitation.end_reason = now, actor, reason
        invitation.save(update_fields=["revoked_at", "revoked_by", "end_reason"])
        record(
            actor,
            Action.UPDATE,
            participant=participant,
            obj=invitation,
            purpose=Purpose.HOPERAT,
            detail={"ended": reason.value},
        )
    return ended


@transaction.atomic
def do_invite(
    actor: User | None, participant: Participant, *, email: str, phone: str = ""
) -> tuple[Invitation, str]:
    """Create the invitation, end the previous one, and send the link. A message that cannot
    be sent undoes everything (a ValidationError naming the channel): nothing is stored."""
    participant = _lock(participant)
    refusal = _refusal(participant)
    if refusal:
        raise ValidationError({"account": refusal})
    now = timezone.now()
    replaced = _end_open(actor, participant, InvitationEnd.REPLACED, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        participant=participant,
        email=email,
        phone=phone,
        token_digest=Invitation.digest_of(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=invitation_hours()),
    )
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=invitation,
        purpose=Purpose.HOPERAT,
        detail={
            "channels": [c for c, address in (("email", email), ("text", phone)) if address],
            "expires_at": invitation.expires_at.isoformat(),
            "replaces": [str(i.public_id) for i in replaced],
        },
    )
    _deliver(participant.organization, invitation, token)
    return invitation, token


def _deliver(organization: Organization, invitation: Invitation, token: str) -> None:
    """Send inside the transaction: a failure rolls the invitation back, so the chart never
    shows an invitation that nobody received. (A message that did go out before another
    channel failed carries a link that does not work; the care team sends a new one.)"""
    url = invitation_link(token)
    # In the participant's language (docs/portal.md, "Spanish"); errors stay in the
    # language of the staff member's page.
    with translation.override(portal_language(invitation.participant.language)):
        subject, body = invitation_email(organization, url, invitation.expires_at)
        text = invitation_text(organization, url, invitation.expires_at)
    if invitation.email:
        try:
            send_mail(subject, body, None, [invitation.email])
        except (OSError, smtplib.SMTPException) as error:
            raise ValidationError(
                {"email": _("The email could not be sent. Nothing was saved: try again later.")}
            ) from error
    if invitation.phone:
        try:
            sms.send_text(invitation.phone, text)
        except (OSError, sms.SmsError) as error:
            raise ValidationError(
                {"phone": _("The text could not be sent. Nothing was saved: try again later.")}
            ) from error


def check_resend_invitation(actor: User, invitation: Invitation) -> tuple[Invitation, str]:
    """A new link to the same addresses (a new expiry); the old link stops working."""
    invitation.refresh_from_db(fields=["accepted_at", "revoked_at"])
    if not invitation.is_open:
        raise ValidationError(
            {"invitation": _("This invitation has ended: send a new one instead.")}
        )
    return do_resend_invitation(actor, invitation)


@transaction.atomic
def do_resend_invitation(actor: User | None, invitation: Invitation) -> tuple[Invitation, str]:
    _lock(invitation.participant)
    if not Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).exists():
        raise ValidationError(
            {"invitation": _("This invitation has ended: send a new one instead.")}
        )
    return do_invite(actor, invitation.participant, email=invitation.email, phone=invitation.phone)


def check_revoke_invitation(actor: User, invitation: Invitation) -> Invitation:
    invitation.refresh_from_db(fields=["accepted_at", "revoked_at"])
    if not invitation.is_open:
        raise ValidationError({"invitation": _("This invitation has already ended.")})
    return do_revoke_invitation(actor, invitation)


@transaction.atomic
def do_revoke_invitation(actor: User | None, invitation: Invitation) -> Invitation:
    participant = _lock(invitation.participant)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError({"invitation": _("This invitation has already ended.")})
    now = timezone.now()
    locked.revoked_at, locked.revoked_by, locked.end_reason = now, actor, InvitationEnd.REVOKED
    locked.save(update_fields=["revoked_at", "revoked_by", "end_reason"])
    invitation.revoked_at, invitation.revoked_by, invitation.end_reason = (
        locked.revoked_at,
        actor,
        locked.end_reason,
    )
    record(
        actor,
        Action.UPDATE,
        participant=participant,
        obj=locked,
        purpose=Purpose.HOPERAT,
        detail={"ended": InvitationEnd.REVOKED.value},
    )
    return locked


# -- accepting ------------------------------------------------------------------------------


def check_accept_invitation(invitation: Invitation, *, username: str, password: str) -> User:
    """Validate the chosen username (when the person has no sign-in yet) and password (the
    password validators, against their name and username), then accept. InvitationClosed
    when the link no longer works; a ValidationError naming the field otherwise. The caller
    opened the invitation with `participants.access.access_invitation`."""
    if not invitation.is_usable(timezone.now()) or has_active_account(invitation.participant):
        raise InvitationClosed
    participant = invitation.participant
    existing = participant.user
    errors: dict[str, list[str]] = {}
    if existing is None:
        username = username.strip()
        if not username:
            errors["username"] = [_("Choose a username.")]
        elif len(username) < MIN_USERNAME or len(username) > MAX_USERNAME:
            errors["username"] = [_("Use 3 to 150 characters.")]
        else:
            try:
                User.username_validator(username)
            except ValidationError:
                errors["username"] = [_("Use letters, digits and @ . + - _ only.")]
            else:
                if User.objects.filter(username__iexact=username).exists():
                    errors["username"] = [_("That username is taken: choose another.")]
    else:
        username = existing.get_username()
    candidate = User(
        username=username,
        email=invitation.email or participant.email,
        first_name=participant.preferred_name or participant.given_name,
        last_name=participant.family_name,
    )
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        errors["password1"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    try:
        return do_accept_invitation(invitation, username=username, password=password)
    except IntegrityError as error:
        # Someone took the username between the check and the write.
        taken = _("That username is taken: choose another.")
        raise ValidationError({"username": [taken]}) from error


@transaction.atomic
def do_accept_invitation(invitation: Invitation, *, username: str, password: str) -> User:
    """Accept once. The participant's and the invitation's rows are locked and the acceptance
    is a conditional update: a second try (another tab, a replay) raises InvitationClosed."""
    participant = _lock(invitation.participant)
    now = timezone.now()
    accepted = Invitation.objects.filter(
        pk=invitation.pk,
        participant=participant,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now)
    if accepted != 1 or has_active_account(participant):
        raise InvitationClosed
    invitation.accepted_at = now
    user = participant.user
    if user is None:
        user = do_create_user(
            None,
            username=username,
            password=password,
            email=invitation.email or participant.email,
            first_name=participant.preferred_name or participant.given_name,
            last_name=participant.family_name,
            is_staff_profile=False,
        )
        participant.user = user
        participant.save(update_fields=["user"])
        record(
            user,
            Action.UPDATE,
            participant=participant,
            obj=participant,
            purpose=Purpose.PATRQT,
            detail={"linked_user": str(user.public_id)},
        )
    else:
        # Readmission: the sign-in they had comes back, with the password chosen now.
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        record(
            user,
            Action.UPDATE,
            participant=participant,
            obj=user,
            object_type="accounts.user",
            purpose=Purpose.PATRQT,
            detail={"reactivated": True},
        )
    record(
        user,
        Action.UPDATE,
        participant=participant,
        obj=invitation,
        purpose=Purpose.PATRQT,
        detail={"accepted": True},
    )
    return user


# -- the end of care --------------------------------------------------------------------------


@transaction.atomic
def do_end_invitations_at_discharge(actor: User | None, participant: Participant) -> int:
    """When the participant has no open episode left: end any open invitation (its link stops
    working; nobody is invited into a program they have left). Their sign-in, if any, stays
    active: alumni keep their own record, aftercare plan and follow-up check-ins. Returns how
    many invitations ended.

    Called by the actions that close an episode (discharge, closing before admission), in
    their transaction."""
    if participant.episodes.open().exists():
        return 0
    return len(_end_open(actor, participant, InvitationEnd.DISCHARGED, timezone.now()))
