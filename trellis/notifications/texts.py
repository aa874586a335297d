"""The words of every notification: never clinical (docs/portal.md, "Notifications").

A notification says only *that* something waits, and for a session *when*: never the group,
program, topic, clinician, instrument or any text of a message. A lock-screen preview, a shared
inbox or a family tablet must not tell anyone what the care is for. The organization's name is
not used either (the name of a clinic can be clinical on its own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trellis.notifications.models import Kind

# Where each kind's link goes: the participant's own page (it asks them to sign in first).
PAGES = {
    Kind.MESSAGE: "messaging:mine",
    Kind.CHECKIN: "measures:mine",
    Kind.SESSION: "scheduling:me",
}


@dataclass(frozen=True)
class Words:
    subject: str  # the email's subject
    text: str  # the text message, and the email's first paragraph
    page: str = "portal:home"  # the URL name the link opens


def clock(moment: datetime) -> str:
    """ "6:00 pm" (no leading zero, no platform-specific strftime flags)."""
    hour = moment.hour % 12 or 12
    suffix = _("am") if moment.hour < 12 else _("pm")
    return f"{hour}:{moment.minute:02d} {suffix}"


def sign_in_url(page: str) -> str:
    return settings.TRELLIS_BASE_URL + reverse(page)


def words_for(kind: str, starts_at: datetime | None = None) -> Words:
    """One notification's words; `starts_at` in the organization's zone (sessions only)."""
    if kind == Kind.MESSAGE:
        text = _("Trellis: you have a new message from your care team.")
        return Words(_("You have a new message from your care team"), text, PAGES[Kind.MESSAGE])
    if kind == Kind.CHECKIN:
        text = _("Trellis: a check-in is waiting for you.")
        return Words(_("A check-in is waiting for you"), text, PAGES[Kind.CHECKIN])
    if kind == Kind.SESSION and starts_at is not None:
        text = _("Trellis: you have a session tomorrow at %(time)s.") % {"time": clock(starts_at)}
        return Words(_("Reminder: you have a session tomorrow"), text, PAGES[Kind.SESSION])
    raise ValueError(f"No words for a notification of kind {kind!r}.")


def digest_words(kinds: list[str]) -> Words:
    """The daily digest: counts only."""
    counts = Counter(kinds)
    lines = []
    if counts[Kind.MESSAGE]:
        n = counts[Kind.MESSAGE]
        lines.append(ngettext("%(n)d new message", "%(n)d new messages", n) % {"n": n})
    if counts[Kind.CHECKIN]:
        n = counts[Kind.CHECKIN]
        lines.append(ngettext("%(n)d check-in waiting", "%(n)d check-ins waiting", n) % {"n": n})
    if counts[Kind.SESSION]:
        n = counts[Kind.SESSION]
        lines.append(ngettext("%(n)d session reminder", "%(n)d session reminders", n) % {"n": n})
    text = _("Trellis today: %(list)s.") % {"list": ", ".join(lines)}
    return Words(_("Your Trellis summary"), text)


def email_body(words: Words) -> str:
    return _(
        "Hello,\n\n%(text)s\n\nSign in to see it:\n\n%(url)s\n\n"
        "This email does not contain any details. To change how Trellis notifies you, "
        "sign in and open Notifications.\n"
        "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline).\n"
    ) % {"text": words.text, "url": sign_in_url(words.page)}


def text_body(words: Words) -> str:
    return _("%(text)s Sign in: %(url)s") % {"text": words.text, "url": sign_in_url(words.page)}
