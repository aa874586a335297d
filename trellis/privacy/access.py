"""The access gate: every view of a participant's data comes through here and is audited.

Views and API endpoints never fetch participants or episodes by id themselves. They call
`access_participant(...)`, which answers with what the user may see or raises Http404 (no access
looks exactly like "does not exist"), and records the view or the denial in the audit trail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Value, When
from django.http import Http404

from trellis.audit.models import Action, Outcome, Purpose
from trellis.audit.trail import record
from trellis.lib.ids import lookup_id, parse_public_id
from trellis.participants.models import Episode, Participant
from trellis.privacy.policy import (
    Scope,
    episode_filter,
    grants_for,
    participant_filter,
    status_filter,
)
from trellis.programs.models import Program, Role

if TYPE_CHECKING:
    from trellis.accounts.models import User

__all__ = [
    "EpisodeAccess",
    "ParticipantAccess",
    "Scope",
    "access_directed_program",
    "access_episode",
    "access_participant",
    "deny_object",
    "is_staff_member",
    "staff_clinical_access",
]

# The participant's own sign-in, as the role of a ParticipantAccess.
SELF = "participant"


@dataclass(frozen=True)
class ParticipantAccess:
    participant: Participant
    scope: Scope
    role: str
    episodes: list[Episode]  # the episodes this user may see: open ones first, then clinical
    clinical_episode_ids: frozenset[int] = frozenset()
    # The person's current episode as far as this user may know its status (policy.status_filter):
    # an episode of the user's programs that they may not open (a care team they are not on)
    # still tells them the person is in treatment. Status, program, track and dates only.
    status_episode: Episode | None = None

    def is_clinical_for(self, episode: Episode) -> bool:
        """True when the user may see this episode's clinical content."""
        return self.clinical and (self.is_own_record or episode.pk in self.clinical_episode_ids)

    @property
    def is_own_record(self) -> bool:
        """The participant opening their own record (not staff)."""
        return self.role == SELF

    @property
    def clinical(self) -> bool:
        return self.scope >= Scope.CLINICAL

    @property
    def current_episode(self) -> Episode | None:
        """The open episode this user sees, else their latest."""
        return _current(self.episodes)

    @property
    def status_is_visible(self) -> bool:
        """The current status comes from an episode the user may open (else: status only)."""
        return self.status_episode is None or self.status_episode in self.episodes


def _current(episodes: list[Episode]) -> Episode | None:
    """The open episode if any, else the latest one."""
    open_episodes = [e for e in episodes if e.is_open]
    candidates = open_episodes or episodes
    return candidates[0] if candidates else None


def is_staff_member(user: User) -> bool:
    return user.is_authenticated and grants_for(user).is_staff_member


def deny_object(
    user: User,
    *,
    object_type: str,
    object_id: object,
    participant: Participant | None = None,
    purpose: str,
) -> Http404:
    """Record a denial (action deny, outcome denied) and return the 404 to raise.

    Every access function answers forbidden and missing alike with this one 404, so a user
    cannot tell another person's record from no record. `object_id` is the id as asked for,
    cut to the audit column's length (it may be malformed input)."""
    record(
        user,
        Action.DENY,
        participant=participant,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=Outcome.DENIED,
        purpose=purpose,
    )
    return Http404("Not found.")


def _deny_participant(
    user: User, participant: Participant | None, object_id: object, purpose: str
) -> Http404:
    return deny_object(
        user,
        object_type="participants.participant",
        object_id=object_id,
        participant=participant,
        purpose=purpose,
    )


def _granting_role(
    user: User, scope: Scope, episodes: list[Episode], clinical_ids: set[int]
) -> str:
    grants = grants_for(user)
    if scope == Scope.DEMOGRAPHIC:
        return Role.FRONT_DESK
    clinical = [e for e in episodes if e.pk in clinical_ids]
    for episode in clinical:
        if grants.directs(episode.program):
            return Role.PROGRAM_DIRECTOR
    if grants.is_clinician and clinical:
        return Role.CLINICIAN
    if grants.does_intake_anywhere:
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
    parsed = parse_public_id(public_id)
    participant = (
        Participant.objects.filter(public_id=parsed).select_related("organization").first()
        if parsed
        else None
    )
    if participant is None:
        if not audit:
            raise Http404("Not found.")
        raise _deny_participant(user, None, public_id, purpose)

    known = list(
        Episode.objects.filter(participant=participant)
        .filter(status_filter(user))
        .annotate(
            visible=Case(
                When(episode_filter(user, Scope.DEMOGRAPHIC), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("program", "program__organization", "track")
        .order_by("-admitted_on", "-created_at")
    )
    episodes = [e for e in known if e.visible]  # type: ignore[attr-defined]  # annotated
    clinical_ids = set(
        Episode.objects.filter(participant=participant)
        .filter(episode_filter(user, Scope.CLINICAL))
        .values_list("pk", flat=True)
    )
    # The current episode first for every role, then the ones the user sees clinically.
    episodes.sort(key=lambda e: (not e.is_open, e.pk not in clinical_ids))
    if participant.user_id is not None and participant.user_id == user.pk:
        scope, role = Scope.CLINICAL, SELF
    elif clinical_ids:
        scope = Scope.CLINICAL
        role = _granting_role(user, scope, episodes, clinical_ids)
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
            raise Http404("Not found.")
        raise _deny_participant(user, participant, participant.public_id, purpose)

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
        status_episode=_current(known),
    )


def staff_clinical_access(
    user: User, participant: Participant, episode: Episode | None, *, purpose: Purpose | str
) -> ParticipantAccess | None:
    """The user's access to `participant` when they see it clinically as staff (and see
    `episode` clinically, when given); None otherwise, including the participant's own record.

    Records nothing: per-object gates (an alert, a check-in) call it, then record the view of
    their own object or the denial."""
    try:
        access = access_participant(
            user, participant.public_id, purpose=purpose, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        return None
    if access.is_own_record:
        return None
    if episode is not None and not access.is_clinical_for(episode):
        return None
    return access


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
    minimum: Scope = Scope.DEMOGRAPHIC,
    program_id: int | None = None,
) -> EpisodeAccess:
    """Open one episode, or raise Http404; the view or the denial is audited against the
    episode and, when it exists, its participant. With minimum=Scope.CLINICAL an episode the
    user sees only at demographic scope is denied like a missing one; with `program_id`, an
    episode of another program is too (a page about one program opens only its episodes)."""
    parsed = parse_public_id(public_id)
    episode = (
        Episode.objects.filter(public_id=parsed).select_related("participant").first()
        if parsed
        else None
    )
    if episode is None:
        raise deny_object(
            user, object_type="participants.episode", object_id=public_id, purpose=purpose
        )
    try:
        access = access_participant(
            user, episode.participant.public_id, purpose=purpose, audit=False
        )
    except Http404:
        access = None
    visible = next((e for e in access.episodes if e.pk == episode.pk), None) if access else None
    if (
        access is None
        or visible is None
        or (minimum >= Scope.CLINICAL and not access.is_clinical_for(visible))
        or (program_id is not None and visible.program_id != program_id)
    ):
        raise deny_object(
            user,
            object_type="participants.episode",
            object_id=episode.public_id,
            participant=episode.participant,
            purpose=purpose,
        )
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


def access_directed_program(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.VIEW,
) -> Program:
    """A program the user directs (as its director or the organization's), for its set-up
    pages (check-in schedules, on-call shifts, plan templates); else the audited 404.

    Another program's director, and everyone who does not direct it, get the same 404 as
    for a program that does not exist."""
    program = (
        Program.objects.filter(public_id=lookup_id(public_id))
        .select_related("organization")
        .first()
    )
    if program is None or not user.is_active or not grants_for(user).directs(program):
        raise deny_object(
            user, object_type="programs.program", object_id=public_id, purpose=purpose
        )
    record(user, action, obj=program, purpose=purpose, role=Role.PROGRAM_DIRECTOR)
    return program


def access_own_record(
    user: User,
    *,
    purpose: str = Purpose.PATRQT,
    minimum: Scope = Scope.CLINICAL,
    action: str = Action.VIEW,
) -> ParticipantAccess:
    """The signed-in participant's own record, opened and audited as their pages open it
    (`access_participant`); anyone who is not a participant (staff, a user with no role):
    the audited 404 of every own-data read. For the participant's API endpoints."""
    participant: Participant | None = getattr(user, "participant", None)
    if participant is None:
        raise _deny_participant(user, None, "own", purpose)
    return access_participant(
        user, participant.public_id, purpose=purpose, minimum=minimum, action=action
    )
