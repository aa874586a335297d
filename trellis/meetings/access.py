"""Opening one team meeting, and an episode a meeting writes about, audited.

Meetings are run by the program's directors and clinicians (`queries.may_run`). Anyone else,
and every id that names no meeting, gets the same audited 404.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.meetings.models import Meeting
from trellis.meetings.queries import may_run
from trellis.participants.models import Episode
from trellis.privacy.access import Scope, access_episode, deny_object

if TYPE_CHECKING:
    from trellis.accounts.models import User


def access_meeting(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Meeting:
    """One meeting for someone who runs its program, audited; otherwise Http404 (audited)."""
    meeting = (
        Meeting.objects.filter(public_id=lookup_id(public_id))
        .select_related("series", "program", "program__organization", "signed_by")
        .first()
    )
    if meeting is None:
        raise _deny(user, public_id, purpose)
    if not may_run(user, meeting.program):
        raise _deny(user, public_id, purpose)
    record(user, action, obj=meeting, purpose=purpose)
    return meeting


def access_meeting_episode(
    user: User,
    meeting: Meeting,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.UPDATE,
) -> Episode:
    """The episode a meeting writes about, through the access gate (audited): the user must
    see it clinically and it must belong to the meeting's program; otherwise Http404."""
    opened = access_episode(
        user,
        public_id,
        purpose=purpose,
        action=action,
        minimum=Scope.CLINICAL,
        program_id=meeting.program_id,
    )
    return opened.episode


def _deny(user: User, public_id: object, purpose: str) -> Http404:
    return deny_object(user, object_type="meetings.meeting", object_id=public_id, purpose=purpose)
