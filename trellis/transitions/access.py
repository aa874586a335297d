"""Who may discharge a participant and open a discharge summary (audited, deny by default).

Discharge is the care team's or the program director's act (docs/intake-and-discharge.md):
an intake coordinator who still sees an episode without a care team does not discharge it.
The care team ends on the discharge date, so the clinician who wrote the summary keeps it
open until they sign it (a back-dated discharge would otherwise lock them out of their own
unsigned document); after signing, the program's directors and addenda take over.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from trellis.accounts.models import User
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.participants.models import Episode
from trellis.privacy.access import (
    ParticipantAccess,
    Scope,
    access_participant,
    deny_object,
    staff_clinical_access,
)
from trellis.transitions.models import DischargeSummary
from trellis.transitions.queries import may_discharge


def access_discharge(
    user: User, public_id: uuid.UUID | str, *, action: Action | str = Action.VIEW
) -> tuple[ParticipantAccess, Episode]:
    """The participant's open episode that `user` may discharge, or the same 404 as a
    missing record (with a `deny` event)."""
    access = access_participant(
        user, public_id, purpose=Purpose.TREAT, minimum=Scope.CLINICAL, action=action
    )
    episode = next((e for e in access.episodes if e.is_open and access.is_clinical_for(e)), None)
    if episode is None or access.is_own_record or not may_discharge(user, episode):
        raise deny_object(
            user,
            object_type="participants.episode",
            object_id=str(episode.public_id if episode else public_id),
            participant=access.participant,
            purpose=Purpose.TREAT,
        )
    episode.participant = access.participant
    return access, episode


def access_episode_discharge(
    user: User, public_id: uuid.UUID | str, *, action: Action | str = Action.UPDATE
) -> Episode:
    """An episode, by its own id, that `user` may discharge (the API): the same people as
    `access_discharge` (its care team today or the program's director, seeing it clinically,
    never their own record), else the same 404 as a missing episode, with one `deny` event.

    Unlike the page, a closed episode is let through to those people, so that the action
    answers a second discharge with its message rather than a bare 404."""
    episode = (
        Episode.objects.filter(public_id=lookup_id(public_id))
        .select_related("participant", "program__organization", "track")
        .first()
    )
    if episode is None:
        raise deny_object(
            user, object_type="participants.episode", object_id=public_id, purpose=Purpose.TREAT
        )
    try:
        access = access_participant(
            user, episode.participant.public_id, purpose=Purpose.TREAT, audit=False
        )
    except Http404:
        access = None
    visible = next((e for e in access.episodes if e.pk == episode.pk), None) if access else None
    if (
        access is None
        or visible is None
        or not access.is_clinical_for(visible)
        or access.is_own_record
        or not may_discharge(user, episode)
    ):
        raise deny_object(
            user,
            object_type="participants.episode",
            object_id=episode.public_id,
            participant=episode.participant,
            purpose=Purpose.TREAT,
        )
    episode.participant = access.participant
    record(
        user,
        action,
        participant=access.participant,
        obj=episode,
        purpose=Purpose.TREAT,
        role=access.role,
    )
    return episode


def access_summary(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: Purpose | str = Purpose.TREAT,
    action: Action | str = Action.VIEW,
    signed_only: bool = False,
) -> DischargeSummary:
    """The summary, for its readers (see the module docstring). With `signed_only` (FHIR
    documents) a draft is refused like a missing summary: drafts are not documents."""
    summary = (
        DischargeSummary.objects.filter(public_id=lookup_id(public_id))
        .select_related("episode__participant", "episode__program__organization", "author")
        .first()
    )
    if summary is None or (signed_only and not summary.is_signed):
        raise deny_object(
            user, object_type="transitions.dischargesummary", object_id=public_id, purpose=purpose
        )
    episode = summary.episode
    access = staff_clinical_access(user, episode.participant, episode, purpose=purpose)
    own_draft = summary.author_id == user.pk and not summary.is_signed and user.is_active
    if access is None and not own_draft:
        raise deny_object(
            user,
            object_type="transitions.dischargesummary",
            object_id=public_id,
            participant=episode.participant,
            purpose=purpose,
        )
    record(
        user,
        action,
        participant=episode.participant,
        obj=summary,
        purpose=purpose,
        role=access.role if access else "author",
    )
    return summary
