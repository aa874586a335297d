"""Reads of intake for pages and the API, each in a fixed number of queries (no writes).

Views and the API never touch `Inquiry.objects` (tests/architecture): they come here, after
the access gate (`intake.access`) has said which programs the user works."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from trellis.intake.access import inquiry_program_filter
from trellis.intake.models import (
    CloseReason,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquirySource,
    InquiryStatus,
)
from trellis.participants.models import EpisodeStatus, EpisodeStatusChange, status_on
from trellis.privacy.policy import grants_for
from trellis.programs.models import Program
from trellis.scheduling.models import ATTENDED, Attendance

if TYPE_CHECKING:
    from uuid import UUID

    from trellis.accounts.models import User


# --- inquiry lists (the API) ------------------------------------------------------------------


def inquiry_list(
    user: User, *, program: UUID | None = None, status: str | None = None
) -> QuerySet[Inquiry]:
    """Inquiries of the programs whose inquiries `user` works, newest first."""
    inquiries = Inquiry.objects.filter(
        program__in=Program.objects.filter(inquiry_program_filter(user))
    )
    if program is not None:
        inquiries = inquiries.filter(program__public_id=program)
    if status is not None:
        inquiries = inquiries.filter(status=status)
    return inquiries.select_related("program__organization", "owner", "participant").order_by(
        "-received_at", "-pk"
    )


def clinical_inquiry_program_ids(user: User) -> set[int]:
    """Programs where `user` also reads an inquiry's reason and history (directors, intake)."""
    return set(
        Program.objects.filter(inquiry_program_filter(user, clinical=True)).values_list(
            "pk", flat=True
        )
    )


# --- the funnel (program directors) -----------------------------------------------------------

# Default period: the last 90 days, today included. At most a year and a day at once.
FUNNEL_DEFAULT_DAYS = 90
FUNNEL_MAX_DAYS = 366
# Below these numbers of people a median or a 90th percentile says more about the few
# people than about the program: the page says "not enough data" instead.
MEDIAN_MIN_N = 5
P90_MIN_N = 10

# "Screened": the inquiry reached screening or a later step of the way in.
SCREENED = frozenset(
    {
        InquiryStatus.SCREENING,
        InquiryStatus.DECISION,
        InquiryStatus.ADMITTED,
        InquiryStatus.WAITLISTED,
    }
)
# "Decided": a level-of-care decision was made after screening: admitted, waitlisted, or
# referred elsewhere (a referral straight from the first call is not a decision).
DECIDED = frozenset({InquiryStatus.ADMITTED, InquiryStatus.WAITLISTED})


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    of_received: int | None  # whole percent of the inquiries received
    of_previous: int | None  # whole percent of the stage before


@dataclass(frozen=True)
class SourceRow:
    source: str
    label: str
    received: int
    screened: int
    decided: int
    admitted: int

    @property
    def admitted_percent(self) -> int | None:
        return percent(self.admitted, self.received)


@dataclass(frozen=True)
class DaysToFirstSession:
    """Days from the inquiry (its date in the organization's zone) to the first attended
    session of its episode, for the inquiries of the period that have one (`n`)."""

    n: int
    median: float | None  # None: fewer than MEDIAN_MIN_N
    p90: int | None  # None: fewer than P90_MIN_N
    waiting: int  # inquiries of the period without an attended session yet
    median_min_n: int = MEDIAN_MIN_N
    p90_min_n: int = P90_MIN_N


@dataclass(frozen=True)
class ReasonCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class WaitlistPoint:
    on: date
    count: int


@dataclass(frozen=True)
class Funnel:
    program: Program
    start: date
    end: date
    stages: list[Stage]
    sources: list[SourceRow]
    days: DaysToFirstSession
    closed_reasons: list[ReasonCount]
    closed: int
    referred: int
    waitlist: list[WaitlistPoint]

    @property
    def received(self) -> int:
        return self.stages[0].count


def percent(part: int, whole: int) -> int | None:
    return None if whole == 0 else round(100 * part / whole)


def nearest_rank(values: list[int], fraction: float) -> int:
    """The nearest-rank percentile of sorted `values`: an actual value, the ceil(fraction·n)th
    smallest (so the 90th percentile of 10 values is the 9th smallest)."""
    return values[max(0, math.ceil(fraction * len(values)) - 1)]


def days_summary(days: list[int], waiting: int) -> DaysToFirstSession:
    ordered = sorted(days)
    n = len(ordered)
    return DaysToFirstSession(
        n=n,
        median=float(statistics.median(ordered)) if n >= MEDIAN_MIN_N else None,
        p90=nearest_rank(ordered, 0.9) if n >= P90_MIN_N else None,
        waiting=waiting,
    )


def default_funnel_period(program: Program) -> tuple[date, date]:
    end = program.today()
    return end - timedelta(days=FUNNEL_DEFAULT_DAYS - 1), end


def funnel_period_errors(program: Program, start: date, end: date) -> dict[str, str]:
    """Why a period cannot be reported on, by field (empty when it can)."""
    errors: dict[str, str] = {}
    if end > program.today():
        errors["end"] = "The period cannot end after today."
    if start > end:
        errors["start"] = "The period must start on or before its last day."
    elif (end - start).days + 1 > FUNNEL_MAX_DAYS and not errors:
        errors["start"] = f"Choose at most {FUNNEL_MAX_DAYS} days at once."
    return errors


def funnel_programs(user: User) -> list[Program]:
    """The active programs whose funnel `user` reads: the programs they direct."""
    grants = grants_for(user)
    return list(
        Program.objects.filter(
            Q(pk__in=grants.clinical_programs) | Q(organization_id__in=grants.clinical_orgs),
            is_active=True,
        )
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def weekly_points(start: date, end: date) -> list[date]:
    """The period's last day and every seventh day before it, back to its first day."""
    points = []
    day = end
    while day >= start:
        points.append(day)
        day -= timedelta(days=7)
    return points[::-1]


def _waitlist_over_time(program: Program, points: list[date]) -> list[WaitlistPoint]:
    """Episodes of the program in WAITLIST status on each day of `points`, by the status
    history (one query: the history of every episode that was ever waitlisted by then)."""
    last = points[-1]
    waitlisted = EpisodeStatusChange.objects.filter(
        episode__program=program, status=EpisodeStatus.WAITLIST, effective_on__lte=last
    ).values("episode_id")
    rows = (
        EpisodeStatusChange.objects.filter(episode_id__in=Subquery(waitlisted))
        .filter(effective_on__lte=last)
        .order_by("episode_id", "effective_on", "recorded_at", "pk")
        .values_list("episode_id", "effective_on", "status")
    )
    histories: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for episode_id, effective_on, status in rows:
        histories[episode_id].append((effective_on, status))
    return [
        WaitlistPoint(
            day,
            sum(1 for h in histories.values() if status_on(h, day) == EpisodeStatus.WAITLIST),
        )
        for day in points
    ]


def funnel(program: Program, start: date, end: date) -> Funnel:
    """The program's funnel for the inquiries received from `start` to `end` (inclusive, in
    the organization's zone), as things stand today. Two queries, whatever the volume.

    Duplicates merged into another inquiry are left out (the person is counted once, on the
    inquiry that was kept)."""
    zone = program.organization.tz
    begins = datetime.combine(start, time.min, tzinfo=zone)
    ends = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    moves = InquiryEvent.objects.filter(inquiry=OuterRef("pk"), kind=EventKind.STATUS)
    first_session = (
        Attendance.objects.filter(episode=OuterRef("episode"), status__in=ATTENDED)
        .order_by("session_date")
        .values("session_date")[:1]
    )
    rows = (
        Inquiry.objects.filter(
            program=program,
            received_at__gte=begins,
            received_at__lt=ends,
            merged_into__isnull=True,
        )
        .annotate(
            was_screened=Exists(moves.filter(to_status__in=SCREENED)),
            was_decided=Exists(moves.filter(to_status__in=DECIDED)),
            was_admitted=Exists(moves.filter(to_status=InquiryStatus.ADMITTED)),
            was_referred=Exists(moves.filter(to_status=InquiryStatus.REFERRED)),
            first_session=Subquery(first_session),
        )
        .values_list(
            "source",
            "status",
            "close_reason",
            "received_at",
            "was_screened",
            "was_decided",
            "was_admitted",
            "was_referred",
            "first_session",
        )
    )
    stage_counts: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    referred = 0
    days: list[int] = []
    for source, status, close_reason, received_at, *reached, first in rows:
        screened_flag, decided_flag, admitted_flag, referred_flag = reached
        screened = screened_flag or status in SCREENED
        admitted = admitted_flag or status == InquiryStatus.ADMITTED
        decided = (
            decided_flag
            or status in DECIDED
            or (screened and (referred_flag or status == InquiryStatus.REFERRED))
        )
        reached_stages = {"received": True, "screened": screened}
        reached_stages |= {"decided": decided, "admitted": admitted}
        for key, yes in reached_stages.items():
            if yes:
                stage_counts[key] += 1
                by_source[source][key] += 1
        if status == InquiryStatus.CLOSED:
            reasons[close_reason or CloseReason.OTHER] += 1
        elif status == InquiryStatus.REFERRED:
            referred += 1
        if first is not None:
            days.append((first - received_at.astimezone(zone).date()).days)
    labels = {
        "received": "Inquiries received",
        "screened": "Screened",
        "decided": "Decided",
        "admitted": "Admitted",
    }
    stages: list[Stage] = []
    for key, label in labels.items():
        count = stage_counts[key]
        previous = stages[-1].count if stages else count
        stages.append(
            Stage(
                key,
                label,
                count,
                percent(count, stage_counts["received"]) if stages else None,
                percent(count, previous) if stages else None,
            )
        )
    sources = [
        SourceRow(
            source=code,
            label=str(label),
            received=by_source[code]["received"],
            screened=by_source[code]["screened"],
            decided=by_source[code]["decided"],
            admitted=by_source[code]["admitted"],
        )
        for code, label in InquirySource.choices
        if by_source[code]["received"]
    ]
    closed_reasons = [
        ReasonCount(code, str(label), reasons[code])
        for code, label in CloseReason.choices
        if reasons[code]
    ]
    return Funnel(
        program=program,
        start=start,
        end=end,
        stages=stages,
        sources=sources,
        days=days_summary(days, waiting=stage_counts["received"] - len(days)),
        closed_reasons=closed_reasons,
        closed=sum(reasons.values()),
        referred=referred,
        waitlist=_waitlist_over_time(program, weekly_points(start, end)),
    )
