"""Guardians of adolescents (docs/portal.md, "Guardians"): invite, accept, unlink, the
adolescent's consent per kind, the program's policy and the guardian's page language.

Invitations reuse the participant invitation's machinery: the same `/invite/<token>/`, a token
of 256 random bits of which only the digest is stored, `TRELLIS_INVITATION_HOURS`, the same
410 page for links that do not work, messages that name only the organization.

Accepting, safely: signed out, the guardian chooses a new username and password (a new
sign-in, no staff profile). A guardian who already has a sign-in (a sibling's guardian) signs in
first and then opens the link: the link is added to that sign-in. An email address that matches
an existing account is never enough to attach a link to it (whoever holds the link would get
that account's children); staff and participants cannot accept a guardian link with their own
sign-in.
"""

from __future__ import annotations

import secrets
import smtplib
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trellis.accounts.actions import do_create_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib import sms
from trellis.lib.languages import PORTAL_LANGUAGES, portal_language
from trellis.lib.text import has_control_characters
from trellis.participants.actions.invitations import (
    MAX_USERNAME,
    MIN_USERNAME,
    address_errors,
    expiry_text,
    invitation_hours,
    invitation_link,
)
from trellis.participants.guardianship import link_refusal
from trellis.participants.models import (
    CONSENT_KINDS,
    GuardianConsent,
    GuardianInvitation,
    GuardianKind,
    GuardianLink,
    GuardianPolicy,
    GuardianRelationship,
    Invitation,
    InvitationClosed,
    InvitationEnd,
    Participant,
)
from trellis.programs.models import Membership, Program

MAX_NAME = 150


def may_hold_guardian_links(user: User) -> bool:
    """A guardian's sign-in: active, no staff role, no participant record of its own."""
    return (
        user.is_active
        and not user.is_superuser
        and not Participant.objects.filter(user=user).exists()
        and not Membership.objects.active().filter(user=user).exists()
    )


# -- inviting -------------------------------------------------------------------------------


def guardian_invitation_email(organization_name: str, url: str, expires: str) -> tuple[str, str]:
    subject = _("Set up your family account with %(organization)s") % {
        "organization": organization_name
    }
    body = _(
        "Hello,\n\n"
        "The care team at %(organization)s invited you to set up a family account, where you "
        "can see the schedule of someone in your care.\n\n"
        "Open this link to set it up:\n\n%(url)s\n\n"
        "The link works once, until %(expires)s. If it has expired, ask the care team for a "
        "new one.\n\n"
        "If you did not expect this message, you can ignore it.\n"
    ) % {"organization": organization_name, "url": url, "expires": expires}
    return subject, body


def guardian_invitation_text(organization_name: str, url: str, expires: str) -> str:
    return _(
        "The care team at %(organization)s invited you to set up a family account: %(url)s "
        "(works once, until %(expires)s)"
    ) % {"organization": organization_name, "url": url, "expires": expires}


def check_invite_guardian(
    actor: User,
    participant: Participant,
    *,
    name: str,
    relationship: str,
    email: str,
    phone: str,
    language: str = "en",
) -> tuple[GuardianInvitation, str]:
    """Validate, then invite a guardian. Returns the invitation and the raw token (for tests;
    never stored or logged)."""
    name, email, phone = name.strip(), email.strip(), phone.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the guardian's name.")
    elif len(name) > MAX_NAME or has_control_characters(name):
        errors["name"] = _("Enter a name of up to 150 characters, on one line.")
    if relationship not in GuardianRelationship.values:
        errors["relationship"] = _("Choose parent, legal guardian or other caregiver.")
    if language not in PORTAL_LANGUAGES:
        errors["language"] = _("Choose English or Español.")
    errors |= address_errors(email, phone)
    refusal = link_refusal(participant)
    if refusal:
        errors["guardian"] = refusal
    if errors:
        raise ValidationError(errors)
    return do_invite_guardian(
        actor,
        participant,
        name=name,
        relationship=relationship,
        email=email,
        phone=phone,
        language=language,
    )


def _lock(participant: Participant) -> Participant:
    return (
        Participant.objects.select_for_update()
        .select_related("organization")
        .get(pk=participant.pk)
    )


@transaction.atomic
def do_invite_guardian(
    actor: User | None,
    participant: Participant,
    *,
    name: str,
    relationship: str,
    email: str,
    phone: str = "",
    language: str = "en",
) -> tuple[GuardianInvitation, str]:
    """Create the invitation and send the link; a message that cannot be sent undoes it.
    Several guardians may be invited at once (two parents): each has their own link."""
    participant = _lock(participant)
    refusal = link_refusal(participant)
    if refusal:
        raise ValidationError({"guardian": refusal})
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    invitation = GuardianInvitation.objects.create(
        participant=participant,
        name=name,
        relationship=relationship,
        language=language,
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
            "relationship": relationship,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    organization = participant.organization
    url = invitation_link(token)
    with translation.override(portal_language(language)):
        expires = expiry_text(organization, invitation.expires_at)
        subject, body = guardian_invitation_email(organization.name, url, expires)
        text = guardian_invitation_text(organization.name, url, expires)
    if email:
        try:
            send_mail(subject, body, None, [email])
        except (OSError, smtplib.SMTPException) as error:
            raise ValidationError(
                {"email": _("The email could not be sent. Nothing was saved: try again later.")}
            ) from error
    if phone:
        try:
            sms.send_text(phone, text)
        except (OSError, sms.SmsError) as error:
            raise ValidationError(
                {"phone": _("The text could not be sent. Nothing was saved: try again later.")}
            ) from error
    return invitation, token


@transaction.atomic
def do_revoke_guardian_invitation(actor: User | None, invitation: GuardianInvitation) -> None:
    locked = GuardianInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError({"invitation": _("This invitation has already ended.")})
    locked.revoked_at, locked.revoked_by = timezone.now(), actor
    locked.end_reason = InvitationEnd.REVOKED
    locked.save(update_fields=["revoked_at", "revoked_by", "end_reason"])
    record(
        actor,
        Action.UPDATE,
        participant=locked.participant,
        obj=locked,
        purpose=Purpose.HOPERAT,
        detail={"ended": InvitationEnd.REVOKED.value},
    )


# -- accepting ------------------------------------------------------------------------------


def check_accept_guardian_invitation(
    invitation: GuardianInvitation,
    *,
    signed_in: User | None,
    username: str = "",
    password: str = "",
) -> tuple[User, GuardianLink]:
    """Signed in as a guardian: add the link to that sign-in. Signed out: validate a new
    username and password, create the sign-in and the link. InvitationClosed when the link no
    longer works (or the participant is no longer eligible); ValidationError naming the field
    otherwise."""
    if not invitation.is_usable(timezone.now()) or link_refusal(invitation.participant):
        raise InvitationClosed
    if signed_in is not None:
        if not may_hold_guardian_links(signed_in):
            raise ValidationError(
                {
                    "account": _(
                        "This sign-in cannot be a family account. Sign out, then open the "
                        "link again to set up a family account."
                    )
                }
            )
        return do_accept_guardian_invitation(invitation, user=signed_in)
    username = username.strip()
    errors: dict[str, list[str]] = {}
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
    first, _space, last = invitation.name.partition(" ")
    candidate = User(username=username, email=invitation.email, first_name=first, last_name=last)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        errors["password1"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    try:
        return do_accept_guardian_invitation(invitation, username=username, password=password)
    except IntegrityError as error:
        raise ValidationError(
            {"username": [_("That username is taken: choose another.")]}
        ) from error


@transaction.atomic
def do_accept_guardian_invitation(
    invitation: GuardianInvitation,
    *,
    user: User | None = None,
    username: str = "",
    password: str = "",
) -> tuple[User, GuardianLink]:
    """Accept once (a conditional update on the locked rows: a replay raises
    InvitationClosed). A user who already guards this participant keeps their link."""
    participant = _lock(invitation.participant)
    now = timezone.now()
    accepted = GuardianInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now)
    if accepted != 1 or link_refusal(participant):
        raise InvitationClosed
    if user is None:
        first, _space, last = invitation.name.partition(" ")
        user = do_create_user(
            None,
            username=username,
            password=password,
            email=invitation.email,
            first_name=first,
            last_name=last,
            is_staff_profile=False,
        )
    link = do_link_guardian(
        user,
        user,
        participant,
        relationship=invitation.relationship,
        language=invitation.language,
        linked_by=invitation.created_by,
    )
    GuardianInvitation.objects.filter(pk=invitation.pk).update(link=link)
    invitation.accepted_at, invitation.link = now, link
    record(
        user,
        Action.UPDATE,
        participant=participant,
        obj=invitation,
        purpose=Purpose.FAMRQT,
        role="guardian",
        detail={"accepted": True},
    )
    return user, link


@transaction.atomic
def do_link_guardian(
    actor: User | None,
    guardian: User,
    participant: Participant,
    *,
    relationship: str,
    language: str = "en",
    linked_by: User | None = None,
) -> GuardianLink:
    """Link a guardian's sign-in to an eligible participant (accepting an invitation; the
    demo). A guardian already linked keeps their link. Refused for an adult or a participant
    without an open adolescent episode (ValidationError naming "guardian")."""
    refusal = link_refusal(participant)
    if refusal:
        raise ValidationError({"guardian": refusal})
    link = GuardianLink.objects.active().filter(guardian=guardian, participant=participant).first()
    if link is not None:
        return link
    link = GuardianLink.objects.create(
        guardian=guardian,
        participant=participant,
        relationship=relationship,
        language=language,
        linked_by=linked_by,
        linked_at=timezone.now(),
    )
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=link,
        purpose=Purpose.FAMRQT,
        role="guardian",
        detail={"relationship": relationship, "language": language},
    )
    return link


# -- ending a link, consent -------------------------------------------------------------------


@transaction.atomic
def do_end_guardian_link(actor: User | None, link: GuardianLink) -> GuardianLink:
    """Unlink: the guardian stops seeing anything of this participant at once. The row stays
    (who linked, who ended it, when); consents end with it."""
    locked = GuardianLink.objects.select_for_update().get(pk=link.pk)
    if not locked.is_active:
        raise ValidationError({"link": _("This guardian is no longer linked.")})
    now = timezone.now()
    locked.ended_at, locked.ended_by = now, actor
    locked.save(update_fields=["ended_at", "ended_by"])
    GuardianConsent.objects.filter(link=locked, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor
    )
    record(
        actor,
        Action.UPDATE,
        participant=locked.participant,
        obj=locked,
        purpose=Purpose.HOPERAT,
        detail={"ended": True},
    )
    return locked


def check_set_guardian_consent(actor: User, link: GuardianLink, kind: str, *, given: bool) -> bool:
    """Record the adolescent's consent to one kind for one guardian, or its withdrawal.
    Staff record it on the chart; the adolescent gives or withdraws it on their own page.
    Returns whether anything changed."""
    if kind not in CONSENT_KINDS:
        raise ValidationError({"kind": _("That kind of information does not need consent.")})
    if not link.is_active:
        raise ValidationError({"link": _("This guardian is no longer linked.")})
    return do_set_guardian_consent(actor, link, kind, given=given)


@transaction.atomic
def do_set_guardian_consent(
    actor: User | None, link: GuardianLink, kind: str, *, given: bool
) -> bool:
    GuardianLink.objects.select_for_update().get(pk=link.pk)
    current = GuardianConsent.objects.filter(link=link, kind=kind, withdrawn_at__isnull=True)
    now = timezone.now()
    if given:
        if current.exists():
            return False
        consent = GuardianConsent.objects.create(
            link=link, kind=kind, given_at=now, recorded_by=actor
        )
    else:
        consent_or_none = current.first()
        if consent_or_none is None:
            return False
        consent = consent_or_none
        consent.withdrawn_at, consent.withdrawn_by = now, actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        actor,
        Action.CREATE if given else Action.UPDATE,
        participant=link.participant,
        obj=consent,
        object_id=str(consent.pk),
        purpose=Purpose.PATRQT,
        detail={"link": str(link.public_id), "kind": kind, "given": given},
    )
    return True


# -- the program's policy, the guardian's language ----------------------------------------------


@transaction.atomic
def do_set_guardian_policy(actor: User | None, program: Program, kinds: set[str]) -> GuardianPolicy:
    """Which kinds the program's guardians may see (`kinds`; the rest off)."""
    unknown = kinds - set(GuardianKind.values)
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind of information.")})
    policy, _created = GuardianPolicy.objects.select_for_update().get_or_create(program=program)
    for kind in GuardianKind.values:
        setattr(policy, kind, kind in kinds)
    policy.updated_by, policy.updated_at = actor, timezone.now()
    policy.save()
    record(
        actor,
        Action.UPDATE,
        obj=program,
        object_type="participants.guardianpolicy",
        purpose=Purpose.HSYSADMIN,
        detail={"kinds": sorted(kinds)},
    )
    return policy


def check_set_guardian_language(user: User, language: str) -> int:
    """The guardian's own page language (on every link of theirs). Returns links changed."""
    language = language.strip().lower()
    if language not in PORTAL_LANGUAGES:
        raise ValidationError({"language": _("Choose English or Español.")})
    return do_set_guardian_language(user, language)


@transaction.atomic
def do_set_guardian_language(user: User, language: str) -> int:
    changed = (
        GuardianLink.objects.active()
        .filter(guardian=user)
        .exclude(language=language)
        .update(language=language)
    )
    if changed:
        record(
            user,
            Action.UPDATE,
            obj=user,
            object_type="accounts.user",
            purpose=Purpose.FAMRQT,
            role="guardian",
            detail={"language": language},
        )
    return changed
