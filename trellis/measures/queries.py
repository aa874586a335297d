"""Reads of measures across models: the Measures tab, header panels, the program page."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from trellis.measures.change import Change, JointOutcome, Point, change, joint_outcome
from trellis.measures.charts import Trajectory, trajectory
from trellis.measures.models import (
    OPEN_ADMINISTRATION,
    Administration,
    AdministrationStatus,
    ImportedInstrument,
    Response,
    Schedule,
    ScheduleOverride,
    Score,
)
from trellis.measures.registry import DEFAULT_CODES, get_instrument
from trellis.measures.scoring import Band, Instrument
from trellis.participants.models import Episode, EpisodeStatus
from trellis.privacy.access import ParticipantAccess, Scope
from trellis.privacy.policy import episode_filter

if TYPE_CHECKING:
    from datetime import date, datetime

    from trellis.accounts.models import User
    from trellis.participants.models import Participant
    from trellis.programs.models import Program

ON_TRACK_WEEKS = 4  # "not on track": no reliable improvement by week 4 (docs/domain.md §4)


@dataclass
class InstrumentPanel:
    code: str
    title: str
    change: Change
    chart: Trajectory
    scores: list[Score]


def _points(scores: list[Score]) -> list[Point]:
    return [
        Point(on=s.observed_on, total=s.total, incomplete=s.incomplete)
        for s in scores
        if s.total is not None
    ]


def clinical_episodes(access: ParticipantAccess) -> list[Episode]:
    return [e for e in access.episodes if access.is_clinical_for(e)]


def measures_episode(access: ParticipantAccess) -> Episode | None:
    """The episode the Measures tab is about: the open one the user sees clinically, else
    the latest such (after discharge, its follow-up check-ins)."""
    episodes = clinical_episodes(access)
    return next((e for e in episodes if e.is_open), episodes[0] if episodes else None)


def measures_tab(access: ParticipantAccess) -> dict[str, Any]:
    """Everything the Measures tab shows, in a fixed number of queries."""
    episodes = clinical_episodes(access)
    episode = measures_episode(access)
    today = access.participant.organization.today()
    scores = list(
        Score.objects.current()
        .filter(episode__in=episodes)
        .select_related("response")
        .order_by("observed_at")
    )
    administrations = list(
        Administration.objects.filter(episode__in=episodes)
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("score", "submitted_by")
                .annotate(is_corrected=Exists(Response.objects.filter(corrects_id=OuterRef("pk"))))
                .order_by("submitted_at"),
            )
        )
        .order_by("-due_on", "instrument_code")
    )
    panels = []
    if episode is not None:
        by_code: dict[str, list[Score]] = defaultdict(list)
        for s in scores:
            if s.episode_id == episode.pk:
                by_code[s.instrument_code].append(s)
        codes = list(DEFAULT_CODES) + sorted(c for c in by_code if c not in DEFAULT_CODES)
        for code in codes:
            if code not in by_code and code not in DEFAULT_CODES:
                continue
            instrument = get_instrument(code)
            points = _points(by_code.get(code, []))
            panels.append(
                InstrumentPanel(
                    code=code,
                    title=instrument.short_title,
                    change=change(
                        instrument,
                        points,
                        admitted_on=episode.admitted_on,
                        today=today,
                        on_track_weeks=ON_TRACK_WEEKS,
                    ),
                    chart=trajectory(
                        instrument,
                        points,
                        admitted_on=episode.admitted_on,
                        discharged_on=episode.discharged_on,
                        today=today,
                    ),
                    scores=by_code.get(code, []),
                )
            )
    by_instrument = {p.code: p.change for p in panels}
    administrations = _one_row_per_date(administrations)
    return {
        "measures_episode": episode,
        "joint_outcome": joint_of(by_instrument) if episode is not None else None,
        "panels": panels,
        "administrations": administrations,
        "open_administrations": [a for a in administrations if a.is_open],
        "schedule_rows": episode_schedules(episode) if episode is not None else [],
    }


@dataclass(frozen=True)
class EpisodeSchedule:
    schedule: Schedule
    override: ScheduleOverride | None


def episode_schedules(episode: Episode) -> list[EpisodeSchedule]:
    """The program's active check-in schedules as they apply to one episode (its overrides
    applied), in two queries."""
    schedules = list(
        Schedule.objects.filter(program_id=episode.program_id, is_active=True).order_by(
            "instrument_code", "kind", "offset_days"
        )
    )
    overrides = {
        o.schedule_id: o
        for o in ScheduleOverride.objects.filter(
            episode=episode, schedule__in=schedules
        ).select_related("set_by")
    }
    return [EpisodeSchedule(s, overrides.get(s.pk)) for s in schedules]


def program_schedules(program: Program) -> list[Schedule]:
    """A program's check-in schedules for its set-up page: active first. One query."""
    return list(
        Schedule.objects.filter(program=program).order_by(
            "-is_active", "instrument_code", "kind", "weekday", "offset_days"
        )
    )


def _one_row_per_date(administrations: list[Administration]) -> list[Administration]:
    """Leave out a cancelled check-in when another of the same instrument and date stands
    (a duplicate closed when the other was answered): one row per instrument and date."""
    standing = {
        (a.episode_id, a.instrument_code, a.due_on)
        for a in administrations
        if a.status != AdministrationStatus.CANCELLED
    }
    return [
        a
        for a in administrations
        if a.status != AdministrationStatus.CANCELLED
        or (a.episode_id, a.instrument_code, a.due_on) not in standing
    ]


def current_scores(episodes: list[Episode]) -> list[Score]:
    """The current scores of episodes the caller opened (clinical_episodes), oldest first."""
    return list(
        Score.objects.current()
        .filter(episode__in=episodes)
        .select_related("response")
        .order_by("observed_at")
    )


def score_of(response: Response) -> Score:
    """The score of a response the caller opened (access_response)."""
    return Score.objects.select_related("response", "participant").get(response=response)


def open_administration(episode: Episode, instrument_code: str) -> Administration | None:
    """The episode's check-in of that instrument that is open now, earliest due first."""
    return (
        Administration.objects.filter(
            episode=episode,
            instrument_code=instrument_code,
            status__in=OPEN_ADMINISTRATION,
            available_from__lte=timezone.now(),
            expires_at__gt=timezone.now(),
        )
        .order_by("due_on")
        .first()
    )


def open_in_window(
    episode_id: int, instrument_code: str, starts: datetime, ends: datetime
) -> Administration | None:
    """The episode's open check-in of that instrument whose window overlaps [starts, ends):
    a check-in due then is already offered (one open per instrument and due window)."""
    return (
        Administration.objects.filter(
            episode_id=episode_id,
            instrument_code=instrument_code,
            status__in=OPEN_ADMINISTRATION,
            available_from__lt=ends,
            expires_at__gt=starts,
        )
        .order_by("due_on", "pk")
        .first()
    )


def own_open_checkins(participant: Participant) -> list[Administration]:
    """The check-ins the participant may fill in now (their own page, after access_participant)."""
    return list(Administration.objects.open_now().filter(participant=participant))


def joint_of(changes: dict[str, Change]) -> JointOutcome:
    """Recovery on PHQ-9 and GAD-7 together, from an episode's changes by instrument code."""
    return joint_outcome(changes.get("PHQ-9"), changes.get("GAD-7"))


def latest_scores_panel(access: ParticipantAccess) -> dict[str, Any]:
    """Header widget: the latest current score per instrument in the current episode."""
    episodes = clinical_episodes(access)
    episode = next((e for e in episodes if e.is_open), episodes[0] if episodes else None)
    if episode is None:
        return {"latest": []}
    latest: dict[str, Score] = {}
    for s in Score.objects.current().filter(episode=episode).order_by("observed_at"):
        latest[s.instrument_code] = s
    return {"latest": sorted(latest.values(), key=lambda s: s.instrument_code)}


def due_panel(access: ParticipantAccess) -> dict[str, Any]:
    """What front desk may see: how many check-ins are open now. No instrument, no answers."""
    now = timezone.now()
    count = Administration.objects.filter(
        episode__in=access.episodes,
        status__in=OPEN_ADMINISTRATION,
        available_from__lte=now,
        expires_at__gt=now,
    ).count()
    return {"due_count": count}


@dataclass
class ProgramRow:
    episode: Episode
    cells: dict[str, Score | None] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def phq9(self) -> Score | None:
        return self.cells.get("PHQ-9")

    @property
    def gad7(self) -> Score | None:
        return self.cells.get("GAD-7")

    def _delta(self, code: str) -> str:
        c = self.changes.get(code)
        if c is None or c.delta is None or c.latest == c.baseline:
            return "—"
        return f"{'−' if c.delta < 0 else '+'}{abs(c.delta)}" if c.delta else "±0"

    @property
    def phq9_change(self) -> str:
        return self._delta("PHQ-9")

    @property
    def gad7_change(self) -> str:
        return self._delta("GAD-7")

    def sort_value(self, key: str) -> Any:
        if key == "name":
            p = self.episode.participant
            return (p.family_name.lower(), p.given_name.lower())
        if key == "flags":
            return -len(self.flags)
        code, _, what = key.partition(":")
        if what == "change":
            c = self.changes.get(code)
            return c.delta if c and c.delta is not None else 999
        s = self.cells.get(code)
        return -(s.total if s and s.total is not None else -1)


SORTS = {"name", "flags", "PHQ-9", "GAD-7", "PHQ-9:change", "GAD-7:change"}


def program_episodes(user: User, program: Program) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(episode_filter(user, Scope.CLINICAL))
        .exclude(participant__user_id=user.pk)
        .filter(program=program, status=EpisodeStatus.ACTIVE)
        .select_related("participant")
    )


def program_scores(user: User, program: Program, sort: str = "name") -> list[ProgramRow]:
    """Active participants the user sees clinically × latest PHQ-9/GAD-7, change and flags.
    Three queries whatever the size (episodes, scores, open alerts)."""
    from trellis.worklist.models import Alert

    episodes = list(program_episodes(user, program))
    by_episode: dict[int, dict[str, list[Score]]] = defaultdict(lambda: defaultdict(list))
    scores = (
        Score.objects.current()
        .filter(episode__in=[e.pk for e in episodes], instrument_code__in=DEFAULT_CODES)
        .only(
            "episode_id",
            "instrument_code",
            "total",
            "observed_on",
            "observed_at",
            "missing_items",
            "prorated",
            "band_label",
        )
        .order_by("observed_at")
    )
    for s in scores:
        by_episode[s.episode_id][s.instrument_code].append(s)
    alerted = set(
        Alert.objects.unresolved()
        .filter(episode__in=[e.pk for e in episodes], kind="critical_item")
        .values_list("episode_id", flat=True)
    )
    today = program.organization.today()
    instruments = {code: get_instrument(code) for code in DEFAULT_CODES}
    rows = []
    for episode in episodes:
        row = ProgramRow(episode)
        for code, instrument in instruments.items():
            series = by_episode[episode.pk][code]
            row.cells[code] = series[-1] if series else None
            summary = change(
                instrument,
                _points(series),
                admitted_on=episode.admitted_on,
                today=today,
                on_track_weeks=ON_TRACK_WEEKS,
            )
            row.changes[code] = summary
            row.flags += [f"{code} {flag}" for flag in summary.flags]
        if joint_of(row.changes).reliable_recovery:
            row.flags.append("reliable recovery (PHQ-9 + GAD-7)")
        if episode.pk in alerted:
            row.flags.insert(0, "urgent alert open")
        rows.append(row)
    key = sort if sort in SORTS else "name"
    rows.sort(key=lambda r: r.sort_value(key))
    return rows


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def administration_for_link(token: str) -> Administration | None:
    """The check-in a one-time link opens (only the token's hash is stored)."""
    if not token or len(token) > 100:
        return None
    return (
        Administration.objects.filter(link_token_hash=hash_token(token))
        .select_related("participant", "episode__program__organization")
        .first()
    )


def tablet_administration(public_id: str) -> Administration | None:
    """The check-in a staff member handed over on the tablet (its id is kept in the session,
    which only the hand-over writes)."""
    return Administration.objects.filter(public_id=public_id).select_related("participant").first()


def episode_points(episode: Episode, instrument_code: str) -> list[Point]:
    scores = Score.objects.current().filter(
        episode=episode, instrument_code=instrument_code, total__isnull=False
    )
    return [
        Point(on=s.observed_on, total=s.total, incomplete=s.incomplete)
        for s in scores.order_by("observed_at")
        if s.total is not None
    ]


def episode_change(episode: Episode, instrument: Instrument, today: date | None = None) -> Change:
    return change(
        instrument,
        episode_points(episode, instrument.code),
        admitted_on=episode.admitted_on,
        today=today or episode.program.organization.today(),
        on_track_weeks=ON_TRACK_WEEKS,
    )


def imported_instruments() -> list[ImportedInstrument]:
    """Every imported instrument, newest first, with who imported it. One query."""
    return list(ImportedInstrument.objects.select_related("imported_by").order_by("-imported_at"))


@dataclass(frozen=True)
class AnsweredItem:
    number: int
    text: str
    answer: str


@dataclass(frozen=True)
class ResponseSummary:
    """What an alert's reader needs of the check-in that raised it: the score, its severity
    and the answers that crossed a critical threshold."""

    response: Response
    instrument_title: str
    score: Score | None
    critical: list[AnsweredItem]


def response_summary(response: Response) -> ResponseSummary:
    """The summary of a response the caller opened (access_alert_response)."""
    instrument = get_instrument(response.instrument_code, response.instrument_version)
    score = Score.objects.filter(response=response).first()
    critical_ids = set(score.critical_items if score is not None else [])
    critical = []
    for number, item in enumerate(instrument.items, start=1):
        if item.link_id not in critical_ids:
            continue
        code = response.answers.get(item.link_id)
        option = item.option(code) if code is not None else None
        critical.append(
            AnsweredItem(number, item.text, option.display if option else "not answered")
        )
    return ResponseSummary(response, instrument.title, score, critical)


# --- the participant's own progress page (portal) -----------------------------------------

OWN_CHART_WIDTH, OWN_CHART_HEIGHT = 360, 220  # a phone's width; the portal scales it


@dataclass
class OwnTrajectory:
    """One instrument's totals over the participant's current episode, for their own page:
    dated totals, the change since the first, the chart's geometry and the latest band. No
    answers are read (never item 9 or any other item), only stored totals."""

    instrument: Instrument
    points: list[Point]
    change: Change
    chart: Trajectory

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def latest_band(self) -> Band | None:
        latest = self.latest
        return self.instrument.band_for(latest.total) if latest is not None else None


def own_trajectories(
    access: ParticipantAccess, codes: tuple[str, ...] = DEFAULT_CODES
) -> list[OwnTrajectory]:
    """The participant's own PHQ-9 and GAD-7 totals in their current episode, after they
    opened their record (privacy.access.access_participant, audited). One query whatever the
    history; the rows are totals only (Score), never the response's answers."""
    if not access.is_own_record:
        raise PermissionDenied("A participant's own progress is theirs alone.")
    episode = access.current_episode
    if episode is None:
        return []
    today = access.participant.organization.today()
    by_code: dict[str, list[Point]] = defaultdict(list)
    rows = (
        Score.objects.current()
        .filter(episode=episode, instrument_code__in=codes, total__isnull=False)
        .order_by("observed_at")
        .values_list("instrument_code", "observed_on", "total", "missing_items")
    )
    for code, observed_on, total, missing in rows:
        if total is not None:
            by_code[code].append(Point(on=observed_on, total=total, incomplete=bool(missing)))
    result = []
    for code in codes:
        instrument = get_instrument(code)
        points = by_code.get(code, [])
        result.append(
            OwnTrajectory(
                instrument=instrument,
                points=points,
                change=change(
                    instrument,
                    points,
                    admitted_on=episode.admitted_on,
                    today=today,
                    on_track_weeks=ON_TRACK_WEEKS,
                ),
                chart=trajectory(
                    instrument,
                    points,
                    admitted_on=None,
                    discharged_on=None,
                    today=today,
                    width=OWN_CHART_WIDTH,
                    height=OWN_CHART_HEIGHT,
                ),
            )
        )
    return result
