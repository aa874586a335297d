"""A participant's notification preferences: the defaults, and reading the form.

Defaults (no row yet): every kind by email when Trellis has an email address for the
participant; by text when it has none but has a mobile number the participant agreed to be
texted at (they accepted an invitation that was texted to that number); otherwise email,
which is then skipped for want of an address. No quiet hours, no digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trellis.lib.sms import texting_available
from trellis.notifications.models import Channel, Kind, Preference
from trellis.participants.models import Invitation

if TYPE_CHECKING:
    from trellis.participants.models import Participant

KIND_FIELDS = {
    Kind.MESSAGE: "message_channel",
    Kind.CHECKIN: "checkin_channel",
    Kind.SESSION: "session_channel",
}


def email_address(participant: Participant) -> str:
    return participant.email or (participant.user.email if participant.user else "")


def texted_invitation_accepted(participant: Participant) -> bool:
    """The participant accepted an invitation texted to the number on file: their consent."""
    phone = participant.phone.strip()
    return (
        bool(phone)
        and Invitation.objects.filter(
            participant=participant, phone=phone, accepted_at__isnull=False
        ).exists()
    )


def can_text(participant: Participant, preference: Preference) -> bool:
    """A number on file that the participant agreed to be texted at (that very number)."""
    phone = participant.phone.strip()
    return (
        bool(phone)
        and preference.text_consent_at is not None
        and preference.text_consent_to == phone
    )


def defaults_for(participant: Participant) -> Preference:
    """An unsaved row with the defaults (see the module docstring)."""
    consent = None
    if texted_invitation_accepted(participant):
        accepted = (
            Invitation.objects.filter(participant=participant, accepted_at__isnull=False)
            .order_by("-accepted_at")
            .values_list("accepted_at", flat=True)
            .first()
        )
        consent = accepted
    channel = Channel.EMAIL
    if not email_address(participant) and consent is not None:
        channel = Channel.TEXT
    return Preference(
        participant=participant,
        message_channel=channel,
        checkin_channel=channel,
        session_channel=channel,
        text_consent_at=consent,
        text_consent_to=participant.phone.strip() if consent is not None else "",
    )


def preference_for(participant: Participant) -> Preference:
    found = Preference.objects.filter(participant=participant).first()
    return found if found is not None else defaults_for(participant)


@dataclass(frozen=True)
class Choices:
    """The preferences as the form sends them, checked."""

    channels: dict[str, str]
    quiet_start: time | None
    quiet_end: time | None
    digest: bool
    digest_hour: int
    text_consent: bool


def _time(value: str, field: str, errors: dict[str, str]) -> time | None:
    try:
        hour, minute = (int(part) for part in value.split(":"))
        return time(hour, minute)
    except (ValueError, TypeError):
        errors[field] = _("Enter a time such as 21:00.")
        return None


def parse_choices(data: dict[str, str], participant: Participant) -> Choices:
    """Read the posted form; a ValidationError names each bad field (nothing is stored)."""
    errors: dict[str, str] = {}
    channels: dict[str, str] = {}
    for kind, field in KIND_FIELDS.items():
        value = data.get(field, "")
        if value not in Channel.values:
            errors[field] = _("Choose email, text message or off.")
            continue
        channels[kind] = value
    wants_text = Channel.TEXT in channels.values()
    text_consent = data.get("text_consent") == "on"
    if wants_text:
        texting_field = next(f for k, f in KIND_FIELDS.items() if channels.get(k) == Channel.TEXT)
        if not texting_available():
            errors[texting_field] = _("Trellis cannot send text messages yet: choose email or off.")
        elif not participant.phone.strip():
            errors[texting_field] = _(
                "There is no mobile number on file: ask your program to add one, or choose email."
            )
        elif not text_consent:
            errors["text_consent"] = _("To get text messages, agree to be texted at this number.")
    quiet_start = quiet_end = None
    if data.get("quiet") == "on":
        quiet_start = _time(data.get("quiet_start", ""), "quiet_start", errors)
        quiet_end = _time(data.get("quiet_end", ""), "quiet_end", errors)
        if quiet_start is not None and quiet_start == quiet_end:
            errors["quiet_end"] = _("Quiet hours must end at a different time than they start.")
    digest = data.get("digest") == "on"
    digest_hour = 18
    raw_hour = data.get("digest_hour", "18")
    try:
        digest_hour = int(raw_hour)
        if not 0 <= digest_hour <= 23:
            raise ValueError(raw_hour)
    except ValueError:
        errors["digest_hour"] = _("Choose an hour of the day for the summary.")
    if errors:
        raise ValidationError(errors)
    return Choices(channels, quiet_start, quiet_end, digest, digest_hour, text_consent)
