"""The participant's own notification preferences through the API, under
/api/v1/notifications/me/ (docs/portal.md, "Notifications"; docs/api.md).

Any signed-in user may call these, but they open only the caller's own preferences, through
the page's access function and action (`views.py`): `access_own_preferences`,
`preferences.parse_choices`, `do_save_preferences`. Anyone who is not a participant gets
the audited 404. Refused input is a 422 naming the field (the page's messages); nothing is
stored.

- GET /me/preferences   channels per kind, quiet hours, the daily summary, text consent
- PUT /me/preferences   replace them (every field; quiet hours both or neither)
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trellis.accounts.api import ApiTokenAuth, SessionAuth, acting_user
from trellis.lib.api import error_responses
from trellis.lib.sms import texting_available
from trellis.notifications.access import access_own_preferences, failed_recently
from trellis.notifications.actions import do_save_preferences
from trellis.notifications.models import Preference
from trellis.notifications.preferences import can_text, email_address, parse_choices
from trellis.privacy.access import ParticipantAccess

router = Router(auth=[ApiTokenAuth(), SessionAuth()], tags=["notifications"])

CHANNEL_HELP = '"email", "text" or "none" (off)'


class NotificationPreferencesOut(Schema):
    message_channel: str = Field(description=f"A new message from the care team: {CHANNEL_HELP}")
    checkin_channel: str = Field(description=f"A check-in is waiting: {CHANNEL_HELP}")
    session_channel: str = Field(description=f"A session tomorrow: {CHANNEL_HELP}")
    quiet_start: str | None = Field(
        description="Quiet hours start, HH:MM in the organization's zone; null: none"
    )
    quiet_end: str | None = Field(description="Quiet hours end, HH:MM; null: none")
    digest: bool = Field(description="One daily summary instead of each notification")
    digest_hour: int = Field(description="The summary's hour, 0–23, organization's zone")
    text_consent: bool = Field(description="Agreed to text messages at the number on file")
    time_zone: str
    has_email: bool
    has_phone: bool
    texting_available: bool = Field(description="Whether Trellis can send texts at all")
    failed: int = Field(description="Notifications Trellis gave up sending")


class NotificationPreferencesIn(Schema):
    message_channel: str = Field(description=CHANNEL_HELP)
    checkin_channel: str = Field(description=CHANNEL_HELP)
    session_channel: str = Field(description=CHANNEL_HELP)
    quiet_start: str | None = Field(default=None, description="HH:MM, with quiet_end; or null")
    quiet_end: str | None = Field(default=None, description="HH:MM, with quiet_start; or null")
    digest: bool = False
    digest_hour: int = 18
    text_consent: bool = Field(
        default=False, description="Required (true) to choose text for any kind"
    )


def _hhmm(value: object) -> str | None:
    return value.strftime("%H:%M") if value is not None else None  # type: ignore[attr-defined]


def _out(access: ParticipantAccess, preference: Preference) -> NotificationPreferencesOut:
    participant = access.participant
    return NotificationPreferencesOut(
        message_channel=preference.message_channel,
        checkin_channel=preference.checkin_channel,
        session_channel=preference.session_channel,
        quiet_start=_hhmm(preference.quiet_start),
        quiet_end=_hhmm(preference.quiet_end),
        digest=preference.digest,
        digest_hour=preference.digest_hour,
        text_consent=can_text(participant, preference),
        time_zone=participant.organization.time_zone,
        has_email=bool(email_address(participant)),
        has_phone=bool(participant.phone.strip()),
        texting_available=texting_available(),
        failed=failed_recently(access),
    )


@router.get(
    "/me/preferences",
    response={200: NotificationPreferencesOut, **error_responses(401, 404)},
    summary="My notification settings",
)
def my_preferences(request: HttpRequest) -> NotificationPreferencesOut:
    """The saved settings, or the defaults (looking stores nothing)."""
    access, preference = access_own_preferences(acting_user(request))
    return _out(access, preference)


@router.put(
    "/me/preferences",
    response={200: NotificationPreferencesOut, **error_responses(401, 404, 422)},
    summary="Change my notification settings",
)
def save_my_preferences(
    request: HttpRequest, payload: NotificationPreferencesIn
) -> NotificationPreferencesOut:
    """Checked as the page checks its form (`parse_choices`), then stored and audited."""
    user = acting_user(request)
    access, _ = access_own_preferences(user)
    quiet = payload.quiet_start is not None or payload.quiet_end is not None
    form = {
        "message_channel": payload.message_channel,
        "checkin_channel": payload.checkin_channel,
        "session_channel": payload.session_channel,
        "quiet": "on" if quiet else "",
        "quiet_start": payload.quiet_start or "",
        "quiet_end": payload.quiet_end or "",
        "digest": "on" if payload.digest else "",
        "digest_hour": str(payload.digest_hour),
        "text_consent": "on" if payload.text_consent else "",
    }
    choices = parse_choices(form, access.participant)
    saved = do_save_preferences(user, access.participant, choices)
    return _out(access, saved)
