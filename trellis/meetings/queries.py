"""Reads of team meetings: who may run them, the generated agenda, one meeting's page.

`agenda_for` is the rule engine. It reads alerts (worklist), attendance and the hours
ledger (scheduling) and plans, for every open episode of a program at once, so it runs the
same number of queries for 10 participants or 300 (tests/test_agenda_queries.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import EventSpec, record_many
from trellis.lib.clock import local_today
from trellis.meetings.models import (
    AgendaItem,
    AgendaRule,
    Decision,
    Discussion,
    Meeting,
    MeetingSeries,
)
from trellis.participants.models import Episode, EpisodeStatus, Participant
from trellis.plans.models import PlanVersion, VersionStatus
from trellis.plans.queries import reviews_due
from trellis.practice.queries.adherence import IDLE_DAYS, idle_episodes
from trellis.privacy.policy import Scope, episode_filter
from trellis.programs.models import Membership, Program, Role
from trellis.scheduling.hours import flags_for
from trellis.scheduling.models import Attendance, AttendanceStatus
from trellis.worklist.models import OPEN_ALERT_STATUSES, Alert, AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User

REVIEW_WITHIN_DAYS = 7
UNEXCUSED_NEEDED = 2  # "two or more unexcused absences" (docs/meetings.md)
UNEXCUSED_WINDOW_DAYS = 14
# A deterioration or not-on-track signal stays on the agenda while its alert is open, or
# for two weeks after it was raised even if someone already closed the alert: the team
# still reviews it once.
SIGNAL_DAYS = 14
RUNNING_ROLES = (Role.PROGRAM_DIRECTOR, Role.CLINICIAN)
RULE_ORDER = {rule: n for n, rule in enumerate(AgendaRule.values)}
DISCHARGE_WITHIN_DAYS = 7


# --- who may run meetings -------------------------------------------------------------


def runnable_programs(user: User) -> QuerySet[Program]:
    """Programs whose team meetings `user` runs: directors and clinicians of the program
    (or of the whole organization). Front desk, intake and compliance run none."""
    if not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    memberships = Membership.objects.active().filter(user=user, role__in=RUNNING_ROLES)
    return Program.objects.filter(
        Q(pk__in=memberships.filter(program__isnull=False).values("program_id"))
        | Q(organization_id__in=memberships.filter(program__isnull=True).values("organization_id"))
    ).select_related("organization")


def may_run(user: User, program: Program) -> bool:
    return runnable_programs(user).filter(pk=program.pk).exists()


def clinical_episode_ids(user: User, program: Program) -> set[int]:
    """Episodes of this program the user may see clinically (never their own)."""
    return set(
        Episode.objects.filter(program=program)
        .filter(episode_filter(user, Scope.CLINICAL))
        .exclude(participant__user_id=user.pk)
        .values_list("pk", flat=True)
    )


def meetings_for(user: User, *, now: datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) meetings of the programs the user runs."""
    now = now or timezone.now()
    mine = Meeting.objects.filter(program__in=runnable_programs(user)).select_related(
        "program", "series"
    )
    upcoming = list(mine.filter(starts_at__gte=now - timedelta(hours=3)).order_by("starts_at")[:20])
    past = list(mine.filter(starts_at__lt=now - timedelta(hours=3)).order_by("-starts_at")[:20])
    return upcoming, past


def series_for(user: User) -> list[MeetingSeries]:
    return list(
        MeetingSeries.objects.filter(program__in=runnable_programs(user), is_active=True)
        .select_related("program")
        .order_by("program__name", "weekday")
    )


# --- the agenda -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    episode: Episode
    rule: str
    reason: str
    evidence_url: str

    @property
    def participant(self) -> Participant:
        return self.episode.participant


def _day(day: date) -> str:
    return f"{day:%b} {day.day}"


def _chart(name: str, episode: Episode) -> str:
    return reverse(name, kwargs={"public_id": episode.participant.public_id})


def agenda_for(program: Program, *, today: date | None = None) -> list[AgendaEntry]:
    """Every generated agenda item for the program's open episodes, with its reason and a
    link to the evidence. A fixed number of queries whatever the program's size."""
    zone = program.organization.tz
    today = today or local_today(zone)
    episodes = list(
        Episode.objects.filter(
            program=program, status__in=[EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD]
        )
        .select_related("participant", "program", "program__organization")
        .prefetch_related("status_changes")
    )
    if not episodes:
        return []
    by_id = {e.pk: e for e in episodes}
    ids = list(by_id)
    entries: list[AgendaEntry] = []

    # Alerts: open urgent ones; deterioration and not on track (open, or recent).
    signal_since = timezone.now() - timedelta(days=SIGNAL_DAYS)
    alerts = Alert.objects.filter(episode_id__in=ids).filter(
        Q(priority=Priority.URGENT, status__in=OPEN_ALERT_STATUSES)
        | Q(
            Q(status__in=OPEN_ALERT_STATUSES) | Q(created_at__gte=signal_since),
            kind__in=[AlertKind.RELIABLE_DETERIORATION, AlertKind.NOT_ON_TRACK],
        )
    )
    seen: set[tuple[int, str]] = set()
    for alert in alerts.order_by("created_at").only(
        "episode_id", "kind", "priority", "status", "title", "public_id", "created_at"
    ):
        episode = by_id[alert.episode_id]  # type: ignore[index]  # filtered on episode_id
        urgent = alert.priority == Priority.URGENT and alert.status in OPEN_ALERT_STATUSES
        if not urgent and not episode.in_program_on(today):
            continue  # on hold today; an open urgent alert stays: a risk does not pause
        if urgent:
            rule, url = AgendaRule.URGENT_ALERT, reverse("worklist:detail", args=[alert.public_id])
        elif alert.kind == AlertKind.RELIABLE_DETERIORATION:
            rule, url = AgendaRule.DETERIORATION, _chart("measures:chart-tab", episode)
        elif alert.kind == AlertKind.NOT_ON_TRACK:
            rule, url = AgendaRule.NOT_ON_TRACK, _chart("measures:chart-tab", episode)
        else:
            continue
        if (episode.pk, rule) in seen:
            continue
        seen.add((episode.pk, rule))
        local = timezone.localtime(alert.created_at, zone)
        entries.append(AgendaEntry(episode, rule, f"{alert.title} ({_day(local)})", url))

    # Everything below is for people in the program today: someone on hold is off the
    # agenda for the hold (docs/intake-and-discharge.md, "Hold and resume").
    episodes = [e for e in episodes if e.in_program_on(today)]
    ids = [e.pk for e in episodes]

    # Hours below the minimum last week (scheduling's ledger and flags).
    for episode_id, flags in flags_for(episodes, today).items():
        for flag in flags:
            if flag.code == "below_minimum":
                episode = by_id[episode_id]
                entries.append(
                    AgendaEntry(
                        episode,
                        AgendaRule.BELOW_MINIMUM,
                        f"{flag.label}; minimum {episode.program.min_hours_per_week} h",
                        _chart("scheduling:chart-schedule", episode),
                    )
                )

    # Two or more unexcused absences in the last two weeks, for people in the program today
    # (attendance rules follow scheduling's: nobody on hold is chased for absences).
    since = today - timedelta(days=UNEXCUSED_WINDOW_DAYS - 1)
    for row in (
        Attendance.objects.filter(
            episode_id__in=[e.pk for e in episodes if e.in_program_on(today)],
            status=AttendanceStatus.ABSENT_UNEXCUSED,
            session_date__range=(since, today),
        )
        .values("episode_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=UNEXCUSED_NEEDED)
    ):
        episode = by_id[row["episode_id"]]
        entries.append(
            AgendaEntry(
                episode,
                AgendaRule.UNEXCUSED,
                f"{row['n']} unexcused absences in the last {UNEXCUSED_WINDOW_DAYS} days",
                _chart("scheduling:chart-schedule", episode),
            )
        )

    # Plan reviews due within 7 days (overdue ones included).
    episode_qs = Episode.objects.filter(pk__in=ids)
    for plan in reviews_due(episode_qs, within_days=REVIEW_WITHIN_DAYS, on=today).only(
        "episode_id", "review_due_on", "review_reason"
    ):
        episode = by_id[plan.episode_id]
        due = plan.review_due_on
        assert due is not None  # noqa: S101  # reviews_due filters on it
        when = f"overdue since {_day(due)}" if due < today else f"due {_day(due)}"
        why = f" ({plan.review_reason})" if plan.review_reason else ""
        entries.append(
            AgendaEntry(
                episode,
                AgendaRule.REVIEW_DUE,
                f"Plan review {when}{why}",
                _chart("plans:tab", episode),
            )
        )

    # No signed plan: a draft waiting for signature, or no plan at all.
    signed = set(
        PlanVersion.objects.filter(plan__episode_id__in=ids, status=VersionStatus.SIGNED)
        .values_list("plan__episode_id", flat=True)
        .distinct()
    )
    drafts = dict(
        PlanVersion.objects.filter(
            plan__episode_id__in=ids, status=VersionStatus.DRAFT
        ).values_list("plan__episode_id", "updated_at")
    )
    for episode in episodes:
        if episode.pk in signed:
            continue
        if episode.pk in drafts:
            local = timezone.localtime(drafts[episode.pk], zone)
            reason = f"Plan drafted, not signed (last saved {_day(local)})"
        else:
            days = (today - episode.admitted_on).days if episode.admitted_on else 0
            reason = f"No treatment plan yet ({days} days since admission)"
        entries.append(
            AgendaEntry(episode, AgendaRule.UNSIGNED_PLAN, reason, _chart("plans:tab", episode))
        )

    # Discharge planned within 7 days (transition and aftercare planning).
    for episode in episodes:
        planned = episode.planned_discharge_on
        if planned is not None and today <= planned <= today + timedelta(
            days=DISCHARGE_WITHIN_DAYS
        ):
            entries.append(
                AgendaEntry(
                    episode,
                    AgendaRule.DISCHARGE_PLANNED,
                    f"Discharge planned {_day(planned)}: review aftercare and transition",
                    _chart("participants:chart", episode),
                )
            )

    # Practice assigned for the last 7 days and nothing logged in them (practice adherence).
    for episode_id, last in idle_episodes(ids, today).items():
        episode = by_id[episode_id]
        logged = f"last practice {_day(last)}" if last else "nothing logged yet"
        entries.append(
            AgendaEntry(
                episode,
                AgendaRule.NO_PRACTICE,
                f"No practice logged in {IDLE_DAYS} days while assigned ({logged})",
                _chart("practice:chart-tab", episode),
            )
        )

    entries.sort(
        key=lambda e: (
            e.participant.family_name,
            e.participant.given_name,
            e.episode.pk,
            RULE_ORDER[e.rule],
        )
    )
    return entries


# --- one meeting's page ---------------------------------------------------------------


@dataclass
class ParticipantBlock:
    episode: Episode
    items: list[AgendaItem] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def participant(self) -> Participant:
        return self.episode.participant


@dataclass
class MeetingView:
    meeting: Meeting
    blocks: list[ParticipantBlock]
    hidden: int  # participants on the agenda this user may not see clinically


def meeting_view(user: User, meeting: Meeting) -> MeetingView:
    """The meeting's agenda, discussion and decisions grouped by participant, only for the
    participants the user may see clinically; each one shown is a recorded view."""
    visible = clinical_episode_ids(user, meeting.program)
    blocks: dict[int, ParticipantBlock] = {}
    all_episodes: set[int] = set()

    def block(row: AgendaItem | Discussion | Decision) -> ParticipantBlock | None:
        all_episodes.add(row.episode_id)
        if row.episode_id not in visible:
            return None
        if row.episode_id not in blocks:
            blocks[row.episode_id] = ParticipantBlock(row.episode)
        return blocks[row.episode_id]

    for item in meeting.items.select_related("episode", "episode__participant", "added_by"):
        if (b := block(item)) is not None:
            b.items.append(item)
    for discussion in meeting.discussions.select_related(
        "episode", "episode__participant", "author"
    ):
        if (b := block(discussion)) is not None:
            b.discussions.append(discussion)
    for decision in meeting.decisions.select_related(
        "episode", "episode__participant", "owner", "task"
    ):
        if (b := block(decision)) is not None:
            b.decisions.append(decision)
    ordered = sorted(
        blocks.values(), key=lambda b: (b.participant.family_name, b.participant.given_name)
    )
    # Reading the team's discussion of a person is reading their record: one event each,
    # appended in one batch so the page's queries do not grow with the agenda.
    record_many(
        user,
        [
            EventSpec(
                Action.VIEW,
                participant=b.participant,
                obj=meeting,
                purpose=Purpose.TREAT,
                detail={"items": len(b.items), "decisions": len(b.decisions)},
            )
            for b in ordered
        ],
    )
    for item_list in (b.items for b in ordered):
        item_list.sort(key=lambda i: RULE_ORDER.get(i.rule, 99))
    return MeetingView(meeting, ordered, hidden=len(all_episodes - visible))


def discussable_episodes(user: User, meeting: Meeting) -> list[Episode]:
    """Open episodes of the meeting's program the user may see clinically (for adding an
    item by hand or recording a decision about someone not on the generated agenda)."""
    return list(
        Episode.objects.filter(pk__in=clinical_episode_ids(user, meeting.program))
        .exclude(status=EpisodeStatus.DISCHARGED)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_name")[:500]
    )


def program_staff(program: Program) -> list[User]:
    """Directors and clinicians of the program: who may attend and own decisions."""
    members = (
        Membership.objects.active()
        .filter(role__in=RUNNING_ROLES)
        .filter(
            Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
        )
        .select_related("user")
    )
    found = {m.user.pk: m.user for m in members if m.user.is_active}
    return sorted(found.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


def agenda_counts(meeting: Meeting) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for rule in meeting.items.values_list("rule", flat=True):
        counts[rule] += 1
    return dict(counts)
