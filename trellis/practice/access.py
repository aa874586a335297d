"""Opening practice data, audited (docs/practice.md): every view, API endpoint and query of
participant practice data goes through a function here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id
from trellis.privacy.access import (
    EpisodeAccess,
    Scope,
    access_episode,
    access_participant,
    deny_object,
    staff_clinical_access,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode, Participant
    from trellis.practice.models.safety import SafetyPlan

# --- practice-safety ---


def access_episode_safety_plans(
    user: User,
    episode_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
    purpose: str = Purpose.TREAT,
) -> tuple[EpisodeAccess, list[SafetyPlan]]:
    """An episode the user sees clinically as staff, with its safety plan versions (newest
    first); else an audited 404. Front desk and staff outside the care team are denied."""
    from trellis.practice.models.safety import SafetyPlan

    episode_access = access_episode(
        user, episode_id, purpose=purpose, action=action, minimum=Scope.CLINICAL
    )
    if episode_access.participant_access.is_own_record:
        raise deny_object(
            user, object_type="participants.episode", object_id=episode_id, purpose=purpose
        )
    plans = list(
        SafetyPlan.objects.filter(episode=episode_access.episode)
        .select_related("signed_by", "created_by")
        .order_by("-version")
    )
    return episode_access, plans


def access_safety_plan(
    user: User,
    plan_id: uuid.UUID | str,
    *,
    action: str = Action.VIEW,
    purpose: str = Purpose.TREAT,
) -> SafetyPlan:
    """One safety plan version of an episode the user sees clinically as staff; else an
    audited 404."""
    from trellis.practice.models.safety import SafetyPlan

    plan = (
        SafetyPlan.objects.filter(public_id=lookup_id(plan_id))
        .select_related("participant", "episode", "episode__program", "signed_by")
        .first()
    )
    if plan is None:
        raise deny_object(
            user, object_type="practice.safetyplan", object_id=plan_id, purpose=purpose
        )
    access = staff_clinical_access(user, plan.participant, plan.episode, purpose=purpose)
    if access is None:
        raise deny_object(
            user,
            object_type="practice.safetyplan",
            object_id=plan_id,
            purpose=purpose,
            participant=plan.participant,
        )
    record(user, action, participant=plan.participant, obj=plan, purpose=purpose, role=access.role)
    return plan


@dataclass(frozen=True)
class OwnSafetyPlan:
    participant: Participant
    episode: Episode | None
    plan: SafetyPlan | None  # the latest signed version, or None


def access_own_safety_plan(
    user: User, *, action: str = Action.VIEW, purpose: str = Purpose.PATRQT
) -> OwnSafetyPlan:
    """The signed-in participant's current episode and its latest signed safety plan; anyone
    who is not a participant gets an audited 404."""
    from trellis.practice.models.safety import SafetyPlan

    participant: Participant | None = getattr(user, "participant", None)
    if participant is None:
        raise deny_object(user, object_type="practice.safetyplan", object_id="own", purpose=purpose)
    try:
        access = access_participant(
            user, participant.public_id, purpose=purpose, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        raise deny_object(
            user, object_type="practice.safetyplan", object_id="own", purpose=purpose
        ) from None
    if not access.is_own_record:
        raise deny_object(user, object_type="practice.safetyplan", object_id="own", purpose=purpose)
    episode = access.current_episode
    plan = (
        SafetyPlan.objects.filter(episode=episode, signed_at__isnull=False)
        .select_related("episode__program")
        .order_by("-version")
        .first()
        if episode is not None
        else None
    )
    record(
        user,
        action,
        participant=participant,
        obj=plan,
        object_type="practice.safetyplan",
        object_id="own",
        purpose=purpose,
        role="participant",
    )
    return OwnSafetyPlan(participant=participant, episode=episode, plan=plan)
