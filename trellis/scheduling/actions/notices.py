"""A participant's notice about one coming session: "I'll be late" or "I can't come".

One notice per person per occurrence; a later one replaces the earlier (the participant
changed their mind: 10 minutes late became can't come). Refused, nothing stored, for a
session that has ended (in the program's zone: the slot's own end time), a cancelled one,
or one the person is not on the roster of that day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.participants.models import Episode
from trellis.scheduling.models import (
    LATE_MINUTES_MAX,
    LATE_MINUTES_MIN,
    NoticeKind,
    RosterMembership,
    SessionNotice,
)
from trellis.scheduling.queries import Slot

if TYPE_CHECKING:
    from trellis.accounts.models import User

REASON_MAX = 500


def notice_episode(slot: Slot, episodes: list[Episode]) -> Episode | None:
    """The open episode among `episodes` on the slot's roster that day, if any."""
    open_ids = [e.pk for e in episodes if e.is_open]
    member = (
        RosterMembership.objects.active_on(slot.date)
        .filter(series=slot.series, episode_id__in=open_ids)
        .order_by("pk")
        .first()
    )
    if member is None:
        return None
    return next(e for e in episodes if e.pk == member.episode_id)


def check_send_notice(
    actor: User,
    slot: Slot,
    episodes: list[Episode],
    *,
    kind: str,
    minutes: int | None = None,
    reason: str = "",
) -> SessionNotice:
    """Validate a notice from the participant whose `episodes` these are, then send it."""
    errors: dict[str, str] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _('Choose "I\'ll be late" or "I can\'t come".')
    elif kind == NoticeKind.LATE:
        if minutes is None or not LATE_MINUTES_MIN <= minutes <= LATE_MINUTES_MAX:
            errors["minutes"] = _(
                "Say how late you will be: between %(low)s and %(high)s minutes."
            ) % {"low": LATE_MINUTES_MIN, "high": LATE_MINUTES_MAX}
    else:
        reason = reason.strip()
        if not reason:
            errors["reason"] = _("Tell your team briefly why you can't come.")
        elif len(reason) > REASON_MAX:
            errors["reason"] = _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}
    if slot.cancelled:
        errors["occurrence"] = _("This session is cancelled: there is nothing to tell the team.")
    elif slot.ends_at <= timezone.now():
        errors["occurrence"] = _("This session has ended: a notice can only be sent before.")
    episode = notice_episode(slot, episodes)
    if episode is None:
        errors.setdefault("occurrence", _("You are not on this session's list for that day."))
    if errors or episode is None:
        raise ValidationError(errors)
    return do_send_notice(
        actor,
        slot,
        episode,
        kind=kind,
        minutes=minutes if kind == NoticeKind.LATE else None,
        reason=reason if kind == NoticeKind.ABSENT else "",
    )


@transaction.atomic
def do_send_notice(
    actor: User | None,
    slot: Slot,
    episode: Episode,
    *,
    kind: str,
    minutes: int | None,
    reason: str,
) -> SessionNotice:
    """Store the notice (replacing an earlier one for this person and occurrence); audited
    with its kind and minutes, never the reason's text."""
    existing = (
        SessionNotice.objects.select_for_update()
        .filter(series=slot.series, original_date=slot.original_date, episode=episode)
        .first()
    )
    previous = existing.kind if existing else ""
    notice = existing or SessionNotice(
        series=slot.series, original_date=slot.original_date, episode=episode
    )
    notice.kind = kind
    notice.minutes_late = minutes
    notice.reason = reason
    notice.created_at = timezone.now()
    notice.save()
    record(
        actor,
        Action.UPDATE if existing else Action.CREATE,
        participant=episode.participant,
        obj=notice,
        purpose=Purpose.PATRQT,
        detail={
            "occurrence": slot.key,
            "kind": kind,
            **({"minutes_late": minutes} if minutes is not None else {}),
            **({"replaced": previous} if previous else {}),
        },
    )
    return notice
