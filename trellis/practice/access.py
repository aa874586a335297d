"""Opening a participant's practice data, audited (docs/practice.md, "Permissions").

The care team reads and writes a participant's practice; a facilitator assigns to the people
present in their own session and sees those assignments' completion, not the diary card or
safety plan of people outside their caseload; front desk sees none of it; a participant sees
and writes only their own. Every id that names nothing the user may see gets the same
audited 404. One section per part."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from django.db.models import QuerySet
from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record, record_list
from trellis.lib.ids import lookup_id
from trellis.practice.models.assignments import Assignment
from trellis.privacy.access import (
    EpisodeAccess,
    ParticipantAccess,
    Scope,
    access_episode,
    access_participant,
    deny_object,
    staff_clinical_access,
)
from trellis.scheduling.access import facilitates, sees_clinical_attendance

if TYPE_CHECKING:
    from django.db.models import Model

    from trellis.accounts.models import User
    from trellis.participants.models import Episode, Participant
    from trellis.practice.models import DiaryCardConfig
    from trellis.practice.models.safety import SafetyPlan
    from trellis.practice.queries.assignments import ReviewItem
    from trellis.scheduling.queries import Slot


# --- shared by the parts: the access shape of measures (privacy's deny_object and
# staff_clinical_access, then the view recorded), written once for practice's objects ---


class _OfAnEpisode(Protocol):
    participant: Participant
    episode: Episode


def _open_for_care_team[Obj: _OfAnEpisode](
    user: User,
    obj: Obj | None,
    *,
    object_type: str,
    object_id: object,
    purpose: str,
    action: str,
) -> Obj:
    """`obj` (looked up by the caller, participant and episode loaded) for staff who see its
    episode clinically, with the view recorded; anyone else, and a missing object, get the
    same audited 404."""
    if obj is None:
        raise deny_object(user, object_type=object_type, object_id=object_id, purpose=purpose)
    access = staff_clinical_access(user, obj.participant, obj.episode, purpose=purpose)
    if access is None:
        raise deny_object(
            user,
            object_type=object_type,
            object_id=object_id,
            purpose=purpose,
            participant=obj.participant,
        )
    record(
        user,
        action,
        participant=obj.participant,
        obj=cast("Model", obj),
        purpose=purpose,
        role=access.role,
    )
    return obj


def _clinical_participant(
    user: User, participant_id: object, *, object_type: str, object_id: object, purpose: str
) -> ParticipantAccess:
    """The participant opened at clinical scope without its own audit event (the caller
    records what it opens); the caller's audited 404 when that is refused."""
    try:
        return access_participant(
            user, str(participant_id), purpose=purpose, minimum=Scope.CLINICAL, audit=False
        )
    except Http404:
        raise deny_object(
            user, object_type=object_type, object_id=object_id, purpose=purpose
        ) from None


# --- practice-assign ---


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "participant", "episode__program__organization", "skill", "worksheet"
    )


def can_assign_at(user: User, slot: Slot) -> bool:
    """A facilitator of this session, or a director of its program."""
    if not user.is_authenticated or not user.is_active:
        return False
    return facilitates(user, slot) or sees_clinical_attendance(user, slot.series.track.program)


def access_assignment(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> Assignment:
    """An assignment of an episode the user sees clinically as staff; else an audited 404."""
    return _open_for_care_team(
        user,
        _assignments().filter(public_id=lookup_id(public_id)).first(),
        object_type="practice.assignment",
        object_id=public_id,
        purpose=purpose,
        action=action,
    )


def access_own_assignment(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.PATRQT,
    action: str = Action.VIEW,
) -> Assignment:
    """One of the signed-in participant's own assignments; else an audited 404."""
    participant: Participant | None = getattr(user, "participant", None)
    assignment = (
        _assignments().filter(public_id=lookup_id(public_id), participant=participant).first()
        if participant is not None
        else None
    )
    if assignment is None:
        raise deny_object(
            user,
            object_type="practice.assignment",
            object_id=public_id,
            purpose=purpose,
            participant=participant,
        )
    record(
        user, action, participant=participant, obj=assignment, purpose=purpose, role="participant"
    )
    return assignment


def access_own_assignments(user: User, participant: Participant) -> list[Assignment]:
    """The participant's own assignments, newest due first, recorded as one list view."""
    rows = list(_assignments().filter(participant=participant).order_by("-due_on", "-assigned_at"))
    record_list(
        user,
        object_type="practice.assignment",
        participants=[participant],
        purpose=Purpose.PATRQT,
        role="participant",
        detail={"results": len(rows)},
    )
    return rows


def access_session_assignments(user: User, slot: Slot) -> list[Assignment]:
    """The assignments given at this session, with their entries, for a user who may assign
    there (recorded as one list event per person shown); [] for anyone else."""
    if slot.row is None or not can_assign_at(user, slot):
        return []
    rows = list(
        _assignments()
        .filter(occurrence=slot.row)
        .prefetch_related("entries")
        .order_by("participant__family_name", "participant__given_name", "assigned_at")
    )
    if rows:
        record_list(
            user,
            object_type="practice.assignment",
            object_id=slot.key,
            participants=[a.participant for a in rows],
            purpose=Purpose.TREAT,
            detail={"results": len(rows)},
        )
    return rows


# --- practice-diary ---


@dataclass(frozen=True)
class DiaryAccess:
    """A participant's current episode's diary card, opened by its care team or by the
    participant; `config` is the program's card (None: the program does not use one)."""

    participant_access: ParticipantAccess
    episode: Episode
    config: DiaryCardConfig | None
    in_use: bool = True  # False: the program (or the episode's track) keeps no diary card

    @property
    def role(self) -> str:
        return self.participant_access.role


def access_diary(
    user: User,
    participant_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> DiaryAccess:
    """The diary cards of a participant's current episode, for staff who see that episode
    clinically (care team, program directors) or for the participant themself; anyone else
    (front desk, a facilitator outside their caseload, another participant) gets the same
    audited 404 as for an id that names nothing."""
    from trellis.practice.models import DiaryCardConfig

    access = _clinical_participant(
        user,
        participant_id,
        object_type="practice.diary",
        object_id=participant_id,
        purpose=purpose,
    )
    episode = access.current_episode
    if episode is None or not access.is_clinical_for(episode):
        raise deny_object(
            user,
            object_type="practice.diary",
            object_id=participant_id,
            purpose=purpose,
            participant=access.participant,
        )
    config = (
        DiaryCardConfig.objects.filter(program_id=episode.program_id)
        .prefetch_related("tracks")
        .first()
    )
    record(
        user,
        action,
        participant=access.participant,
        obj=episode,
        purpose=purpose,
        role=access.role,
        detail={"diary": True},
    )
    in_use = config is None or config.used_by(episode)
    return DiaryAccess(participant_access=access, episode=episode, config=config, in_use=in_use)


def access_own_diary(user: User, *, action: str = Action.VIEW) -> DiaryAccess:
    """The signed-in participant's own diary card; an audited 404 for anyone else."""
    participant = getattr(user, "participant", None)
    if participant is None:
        raise deny_object(
            user, object_type="practice.diary", object_id="me", purpose=Purpose.PATRQT
        )
    diary = access_diary(user, participant.public_id, purpose=Purpose.PATRQT, action=action)
    if not diary.participant_access.is_own_record:
        raise deny_object(
            user, object_type="practice.diary", object_id="me", purpose=Purpose.PATRQT
        )
    return diary


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

    return _open_for_care_team(
        user,
        SafetyPlan.objects.filter(public_id=lookup_id(plan_id))
        .select_related("participant", "episode", "episode__program", "signed_by")
        .first(),
        object_type="practice.safetyplan",
        object_id=plan_id,
        purpose=purpose,
        action=action,
    )


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
    access = _clinical_participant(
        user,
        participant.public_id,
        object_type="practice.safetyplan",
        object_id="own",
        purpose=purpose,
    )
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


# --- practice-review (progress and group notes) ---


def access_practice_to_review(
    user: User,
    episodes: Sequence[Episode],
    *,
    up_to: datetime,
    series_id: int | None = None,
) -> dict[int, list[ReviewItem]]:
    """The practice a note's author reviews with each of these people (notes' "Practice
    reviewed"). The care team (clinical access to the episode) sees all of it with the
    participant's words; anyone else only the completion of assignments given at a session
    of `series_id` (the group they facilitate): titles, days, ratings, "couldn't do it",
    never the words. One list event per person shown; a fixed number of queries."""
    from trellis.participants.models import Episode as EpisodeModel
    from trellis.practice.queries.assignments import practice_to_review
    from trellis.privacy.policy import episode_filter

    ids = [e.pk for e in episodes]
    if not ids or not user.is_authenticated or not user.is_active:
        return {i: [] for i in ids}
    full = set(
        EpisodeModel.objects.filter(pk__in=ids)
        .filter(episode_filter(user, Scope.CLINICAL))
        .exclude(participant__user_id=user.pk)
        .values_list("pk", flat=True)
    )
    found = practice_to_review(ids, up_to=up_to, full_ids=full, series_id=series_id)
    shown = [e.participant for e in episodes if found.get(e.pk)]
    if shown:
        record_list(
            user,
            object_type="practice.review",
            participants=shown,
            purpose=Purpose.TREAT,
            detail={"results": sum(len(v) for v in found.values())},
        )
    return found
