"""The access gate: every view of a participant's data comes through here and is audited.

Views and API endpoints never fetch participants or episodes by id themselves. They call
`access_participant(...)`, which answers with what the user may see or raises Http404 (no access
looks exactly like "does not exist"), and records the view or the denial in the audit trail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record
from trellis.participants.models import Episode, Participant
from trellis.privacy.policy import Scope, episode_filter, grants_for, participant_filter
from trellis.programs.models import Role

if TYPE_CHECKING:
    from trellis.accounts.models import User

__all__ = [
    "EpisodeAccess",
    "ParticipantAccess",
    "Scope",
    "access_episode",
    "access_participant",
    "deny",
    "is_staff_member",
]


@dataclass(frozen=True)
class ParticipantAccess:
    participant: Participant
    scope: Scope
    role: str
    episodes: list[Episode]  # the episodes this user may see, clinical ones first
    clinical_episode_ids: frozenset[int] = frozenset()

    def is_clinical_for(self, episode: Episode) -> bool:
        """True when the user may see this episode's clinical content."""
        return self.clinical and (
            self.role == "participant" or episode.pk in self.clinical_episode_ids
        )

    @property
    def clinical(self) -> bool:
        return self.scope >= Scope.CLINICAL

    @property
    def current_episode(self) -> Episode | None:
        open_episodes = [e for e in self.episodes if e.is_open]
        candidates = open_episodes or self.episodes
        return candidates[0] if candidates else None


def is_staff_member(user: User) -> bool:
    return user.is_authenticated and grants_for(user).is_staff_member


def _parse(public_id: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(public_id, uuid.UUID):
        return public_id
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def deny(user: User, *, participant: Participant | None, object_id: str, purpose: str) -> Http404:
    """Record a denial and return the 404 to raise."""
    record(
        user,
        Action.DENY,
        participant=participant,
        object_type="participants.participant",
        object_id=object_id,
        outcome=Outcome.DENIED,
        purpose=purpose,
    )
    return Http404("No such participant.")


def _granting_role(
    user: User, scope: Scope, episodes: list[Episode], clinical_ids: set[int]
) -> str:
    grants = grants_for(user)
    if scope == Scope.DEMOGRAPHIC:
        return Role.FRONT_DESK
    clinical = [e for e in episodes if e.pk in clinical_ids]
    for episode in clinical:
        if (
            episode.program_id in grants.clinical_programs
            or episode.program.organization_id in grants.clinical_orgs
        ):
            return Role.PROGRAM_DIRECTOR
    if grants.is_clinician and clinical:
        return Role.CLINICIAN
    if grants.intake_programs or grants.intake_orgs:
        return Role.INTAKE_COORDINATOR
    return Role.PROGRAM_DIRECTOR


def access_participant(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: Purpose | str,
    minimum: Scope = Scope.DEMOGRAPHIC,
    action: Action | str = Action.VIEW,
    audit: bool = True,
) -> ParticipantAccess:
    """Open one participant's record for `user`, or raise Http404 (audited either way).

    `minimum` is the scope the caller needs: a clinical page asks for Scope.CLINICAL and a
    front-desk user then gets the same 404 as for a stranger's record. With audit=False the
    caller records the view or denial itself (access_episode does, against the episode).
    """
    parsed = _parse(public_id)
    participant = (
        Participant.objects.filter(public_id=parsed).select_related("organization").first()
        if parsed
        else None
    )
    if participant is None:
        if not audit:
            raise Http404("No such participant.")
        raise deny(user, participant=None, object_id=str(public_id)[:64], purpose=purpose)

    episodes = list(
        Episode.objects.filter(participant=participant)
        .filter(episode_filter(user, Scope.DEMOGRAPHIC))
        .select_related("program", "program__organization", "track")
        .order_by("-admitted_on", "-created_at")
    )
    clinical_ids = set(
        Episode.objects.filter(participant=participant)
        .filter(episode_filter(user, Scope.CLINICAL))
        .values_list("pk", flat=True)
    )
    if participant.user_id is not None and participant.user_id == user.pk:
        scope, role = Scope.CLINICAL, "participant"
    elif clinical_ids:
        scope = Scope.CLINICAL
        role = _granting_role(user, scope, episodes, clinical_ids)
        episodes = [e for e in episodes if e.pk in clinical_ids] + [
            e for e in episodes if e.pk not in clinical_ids
        ]
    elif episodes:
        scope, role = Scope.DEMOGRAPHIC, Role.FRONT_DESK
    elif (
        not Episode.objects.filter(participant=participant).exists()
        and Participant.objects.filter(pk=participant.pk).filter(participant_filter(user)).exists()
    ):
        scope = Scope.CLINICAL
        role = _granting_role(user, scope, [], set())
    else:
        scope, role = Scope.NONE, ""

    if scope < minimum or scope == Scope.NONE:
        if not audit:  # the caller records its own event (e.g. against an episode)
            raise Http404("No such participant.")
        raise deny(
            user, participant=participant, object_id=str(participant.public_id), purpose=purpose
        )

    if audit:
        record(
            user,
            action,
            participant=participant,
            obj=participant,
            purpose=purpose,
            role=role,
            detail={"scope": scope.name.lower()},
        )
    return ParticipantAccess(
        participant=participant,
        scope=scope,
        role=role,
        episodes=episodes,
        clinical_episode_ids=frozenset(clinical_ids),
    )


@dataclass(frozen=True)
class EpisodeAccess:
    episode: Episode
    participant_access: ParticipantAccess

    @property
    def clinical(self) -> bool:
        return self.participant_access.is_clinical_for(self.episode)


def access_episode(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: Purpose | str,
    action: Action | str = Action.VIEW,
) -> EpisodeAccess:
    """Open one episode, or raise Http404; the view or the denial is audited against the
    episode and, when it exists, its participant."""
    parsed = _parse(public_id)
    episode = (
        Episode.objects.filter(public_id=parsed).select_related("participant").first()
        if parsed
        else None
    )
    denied = Http404("No such episode.")
    if episode is None:
        record(
            user,
            Action.DENY,
            object_type="participants.episode",
            object_id=str(public_id)[:64],
            outcome=Outcome.DENIED,
            purpose=purpose,
        )
        raise denied
    try:
        access = access_participant(
            user, episode.participant.public_id, purpose=purpose, audit=False
        )
    except Http404:
        access = None
    visible = next((e for e in access.episodes if e.pk == episode.pk), None) if access else None
    if access is None or visible is None:
        record(
            user,
            Action.DENY,
            participant=episode.participant,
            obj=episode,
            outcome=Outcome.DENIED,
            purpose=purpose,
        )
        raise denied
    visible.participant = access.participant
    record(
        user,
        action,
        participant=access.participant,
        obj=visible,
        purpose=purpose,
        role=access.role,
        detail={"scope": "clinical" if access.is_clinical_for(visible) else "demographic"},
    )
    return EpisodeAccess(episode=visible, participant_access=access)
