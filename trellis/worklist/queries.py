"""Reads of the worklist: what a user should work on (one alert: worklist.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from trellis.lib.panels import Count
from trellis.participants.models import CareTeamMember, Episode, EpisodeStatus
from trellis.privacy.policy import Scope, episode_filter, grants_for
from trellis.programs.models import Membership, Program, Role
from trellis.worklist.models import (
    OPEN_ALERT_STATUSES,
    TASK_KINDS,
    Alert,
    AlertKind,
    AlertRecipient,
    AlertStatus,
    Priority,
    ProgramOnCall,
    RecipientReason,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User

PRIORITY_ORDER = Case(
    When(priority=Priority.URGENT, then=Value(0)),
    When(priority=Priority.HIGH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def visible_alerts(user: User) -> QuerySet[Alert]:
    """Alerts a staff member may see: those sent to them, and those about episodes they see
    clinically (a director sees their program's). Never a participant's own view."""
    if not grants_for(user).is_staff_member:
        return Alert.objects.none()
    clinical = Episode.objects.filter(episode_filter(user, Scope.CLINICAL)).exclude(
        participant__user_id=user.pk
    )
    return Alert.objects.filter(
        Q(pk__in=Alert.objects.filter(recipients__user_id=user.pk).values("pk"))
        | Q(episode_id__in=clinical.values("pk"))
    )


def my_open_alerts(user: User) -> QuerySet[Alert]:
    return (
        Alert.objects.for_recipient(user.pk)
        .unresolved()
        .select_related("participant")
        .annotate(priority_rank=PRIORITY_ORDER)
        .order_by("priority_rank", "created_at")
    )


def open_work_count(user: User) -> int:
    return Alert.objects.for_recipient(user.pk).unresolved().count()


def alert_list(
    user: User,
    *,
    resolved: bool = False,
    kind: str = "",
    priority: str = "",
    mine: bool = False,
    overdue: bool = False,
    now: datetime | None = None,
) -> QuerySet[Alert]:
    """The My work list. Filters: `kind` is "tasks", "alerts" or one AlertKind; `mine` keeps
    what the user owns or was sent; `overdue` keeps open items past their due time."""
    alerts = visible_alerts(user).select_related("participant", "owner")
    if kind == "tasks":
        alerts = alerts.filter(kind__in=TASK_KINDS)
    elif kind == "alerts":
        alerts = alerts.exclude(kind__in=TASK_KINDS)
    elif kind in AlertKind.values:
        alerts = alerts.filter(kind=kind)
    if priority in Priority.values:
        alerts = alerts.filter(priority=priority)
    if mine:
        alerts = alerts.filter(
            Q(owner_id=user.pk)
            | Q(pk__in=AlertRecipient.objects.filter(user_id=user.pk).values("alert_id"))
        )
    if resolved:
        return alerts.filter(status=AlertStatus.RESOLVED).order_by("-resolved_at")[:200]
    if overdue:
        alerts = alerts.filter(due_at__lt=now or timezone.now())
    return (
        alerts.filter(status__in=OPEN_ALERT_STATUSES)
        .annotate(priority_rank=PRIORITY_ORDER)
        .order_by("priority_rank", "due_at", "created_at")
    )[:500]


def assignable_owners(alert: Alert) -> list[User]:
    """Staff who may own this item: the program's directors and the clinicians on the
    participant's care team today (the action checks again)."""
    if alert.program is None or alert.episode_id is None:
        return []
    memberships = (
        Membership.objects.active()
        .filter(role__in=[Role.CLINICIAN, Role.PROGRAM_DIRECTOR])
        .filter(
            Q(program_id=alert.program_id)
            | Q(program__isnull=True, organization_id=alert.program.organization_id)
        )
        .select_related("user")
    )
    team = set(
        CareTeamMember.objects.active_on(alert.program.organization.today())
        .filter(episode_id=alert.episode_id)
        .values_list("user_id", flat=True)
    )
    owners: dict[int, User] = {}
    for membership in memberships:
        user = membership.user
        if user.is_active and (membership.role == Role.PROGRAM_DIRECTOR or user.pk in team):
            owners[user.pk] = user
    return sorted(owners.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


TODAY_ALERTS_SHOWN = 20


def today_alerts(user: User) -> dict[str, Any] | None:
    """Today panel: the user's unresolved urgent and high alerts (fixed query count)."""
    if not grants_for(user).is_staff_member:
        return None
    alerts = list(my_open_alerts(user)[:TODAY_ALERTS_SHOWN])
    if not alerts:
        return None
    total = open_work_count(user)
    urgent = any(a.priority == Priority.URGENT for a in alerts)
    return {
        "alerts": alerts,
        "total": total,
        # The count at the top of Today: the list may sit below a facilitator's sessions.
        "counts": [
            Count(
                "alert for you" if total == 1 else "alerts for you",
                total,
                "#urgent-alerts",
                urgent=urgent,
            )
        ],
        "participants_shown": [a.participant for a in alerts],
    }


# --- who receives and may own an item (read by the actions) ---------------------------


TASK_EPISODE_CHOICES = 300


def task_episode_choices(user: User) -> dict[str, Episode]:
    """Open episodes a new task may be about, by public id: those the user sees clinically,
    never their own, by participant name (at most TASK_EPISODE_CHOICES)."""
    episodes = (
        Episode.objects.filter(episode_filter(user, Scope.CLINICAL))
        .exclude(participant__user_id=user.pk)
        .exclude(status=EpisodeStatus.DISCHARGED)
        .select_related("participant", "program")
        .order_by("participant__family_name", "participant__given_name")[:TASK_EPISODE_CHOICES]
    )
    return {str(e.public_id): e for e in episodes}


def primary_clinicians(episode: Episode, on: datetime) -> list[User]:
    members = (
        CareTeamMember.objects.active_on(on.astimezone(episode.program.organization.tz).date())
        .filter(episode=episode, is_primary=True)
        .select_related("user")
    )
    return [m.user for m in members if m.user.is_active]


def on_call_clinicians(program: Program, on: datetime) -> list[User]:
    shifts = ProgramOnCall.objects.filter(
        program=program, starts_at__lte=on, ends_at__gt=on
    ).select_related("user")
    return [s.user for s in shifts if s.user.is_active]


@dataclass(frozen=True)
class Receiver:
    user: User
    reason: str  # a RecipientReason

    @property
    def reason_label(self) -> str:
        return RecipientReason(self.reason).label


def urgent_alert_receivers(program: Program, at: datetime) -> list[Receiver]:
    """Who receives the program's urgent alerts at `at`, besides the primary clinician: the
    clinicians on call then; when nobody is on call, the program's directors, from the start
    rather than only on escalation (an urgent alert must reach someone who can act now).

    The one answer to "who gets an urgent alert now": raising alerts, the on-call setup page
    and the on-call shifts page all ask it."""
    on_call = [Receiver(u, RecipientReason.ON_CALL) for u in on_call_clinicians(program, at)]
    if on_call:
        return on_call
    return [Receiver(u, RecipientReason.NO_ON_CALL) for u in program_directors(program)]


def escalation_delay() -> timedelta:
    """TRELLIS_ALERT_ESCALATION_MINUTES (default 120): unacknowledged urgent alerts go to the
    program director after this long."""
    return timedelta(minutes=int(getattr(settings, "TRELLIS_ALERT_ESCALATION_MINUTES", 120)))


def escalates_at(alert: Alert) -> datetime | None:
    """When the escalation sweep will send this alert to the program director, or None when
    it will not (not urgent, already acknowledged or escalated, resolved). The sweep runs
    every few minutes, so the director hears within minutes after this moment."""
    if (
        alert.priority != Priority.URGENT
        or alert.status != AlertStatus.OPEN
        or alert.acknowledged_at is not None
        or alert.escalated_at is not None
    ):
        return None
    return alert.created_at + escalation_delay()


def program_directors(program: Program) -> list[User]:
    memberships = (
        Membership.objects.active()
        .filter(role=Role.PROGRAM_DIRECTOR)
        .filter(
            Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
        )
        .select_related("user")
    )
    return [m.user for m in memberships if m.user.is_active]


def may_own(user: User, episode: Episode | None) -> bool:
    """An owner must be able to open what they own: active staff who see the episode
    clinically (a task nobody can open is a lost task)."""
    if not user.is_active or not grants_for(user).is_staff_member:
        return False
    if episode is None:
        return True
    return (
        Episode.objects.filter(pk=episode.pk).filter(episode_filter(user, Scope.CLINICAL)).exists()
    )


# Who may take a program's on-call shift: its clinical staff (clinicians and directors of the
# program or of the whole organization). Front desk and intake do not answer critical items.
ON_CALL_ROLES = (Role.CLINICIAN, Role.PROGRAM_DIRECTOR)
ON_CALL_HISTORY = timedelta(days=14)  # how far back the on-call page lists ended shifts


def on_call_candidates(program: Program) -> list[User]:
    """Active clinicians and directors of `program` (or of its organization), by name."""
    from trellis.accounts.models import User

    return list(
        User.objects.filter(is_active=True)
        .filter(
            pk__in=Membership.objects.active()
            .filter(role__in=ON_CALL_ROLES)
            .filter(
                Q(program=program)
                | Q(program__isnull=True, organization_id=program.organization_id)
            )
            .values("user_id")
        )
        .order_by("last_name", "first_name", "username")
    )


def on_call_shifts(program: Program, now: datetime) -> dict[str, list[ProgramOnCall]]:
    """A program's shifts as its on-call page shows them: on call now, upcoming, and those
    that ended in the last 14 days (the record of who was on call). Three queries."""
    shifts = ProgramOnCall.objects.filter(program=program).select_related("user")
    return {
        "current": list(shifts.filter(starts_at__lte=now, ends_at__gt=now).order_by("starts_at")),
        "upcoming": list(shifts.filter(starts_at__gt=now).order_by("starts_at")),
        "recent": list(
            shifts.filter(ends_at__lte=now, ends_at__gt=now - ON_CALL_HISTORY).order_by("-ends_at")
        ),
    }


def overlapping_shifts(
    program: Program, starts_at: datetime, ends_at: datetime
) -> list[ProgramOnCall]:
    """Shifts of `program` that share any moment with [starts_at, ends_at)."""
    return list(
        ProgramOnCall.objects.filter(program=program, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("user")
        .order_by("starts_at")
    )
