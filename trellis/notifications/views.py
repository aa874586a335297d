"""The participant's notification preferences at /me/notifications/ (docs/portal.md,
"Notifications"): phone first, every string translated, the crisis line."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trellis.accounts.http import AuthedRequest
from trellis.lib.sms import texting_available
from trellis.notifications.access import access_own_preferences, failed_recently
from trellis.notifications.actions import do_save_preferences
from trellis.notifications.models import Channel, Preference
from trellis.notifications.preferences import email_address, parse_choices
from trellis.privacy.policy import grants_for


def _values(preference: Preference) -> dict[str, str]:
    return {
        "message_channel": preference.message_channel,
        "checkin_channel": preference.checkin_channel,
        "session_channel": preference.session_channel,
        "quiet": "on" if preference.quiet_start is not None else "",
        "quiet_start": preference.quiet_start.strftime("%H:%M")
        if preference.quiet_start
        else "21:00",
        "quiet_end": preference.quiet_end.strftime("%H:%M") if preference.quiet_end else "08:00",
        "digest": "on" if preference.digest else "",
        "digest_hour": str(preference.digest_hour),
        "text_consent": "on"
        if preference.text_consent_at is not None
        and preference.text_consent_to == preference.participant.phone.strip()
        else "",
    }


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    if (
        getattr(request.user, "participant", None) is None
        and grants_for(request.user).is_staff_member
    ):
        return redirect("today")
    access, preference = access_own_preferences(request.user)
    participant = access.participant
    errors: dict[str, str] = {}
    values = _values(preference)
    status = 200
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in values}
        try:
            choices = parse_choices(data, participant)
        except ValidationError as error:
            errors = {field: " ".join(m) for field, m in error.message_dict.items()}
            values, status = data, 400
        else:
            do_save_preferences(request.user, participant, choices)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:mine")
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "kinds": [
            (field, label, values.get(field, ""), errors.get(field, ""))
            for field, label in (
                ("message_channel", _("A new message from your care team")),
                ("checkin_channel", _("A check-in is waiting")),
                ("session_channel", _("A session tomorrow")),
            )
        ],
        "channels": [
            (Channel.EMAIL.value, _("Email")),
            (Channel.TEXT.value, _("Text message")),
            (Channel.NONE.value, _("Off")),
        ],
        "hours": [(h, f"{h:02d}:00") for h in range(24)],
        "has_email": bool(email_address(participant)),
        "phone": participant.phone.strip(),
        "texting": texting_available(),
        "zone": participant.organization.time_zone,
        "failed": failed_recently(access),
        # The crisis line names the program's after-hours number too.
        "program": next((e.program for e in access.episodes if e.is_open), None),
    }
    return render(request, "notifications/preferences.html", context, status=status)
