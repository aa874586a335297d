"""The discharge summary's figures, assembled from the record (no writes).

Every figure comes from the function the chart uses for it, so the summary and the chart
cannot disagree: hours from `scheduling.hours.week_hours`, measure change from
`measures.change.change` over the same scores as the Measures tab (up to the discharge date),
goals from the plan's latest signed version with `plans.progress`, urgent alerts from the
worklist. The figures are plain JSON so they can be frozen at signing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from trellis.measures.change import Point, change, joint_outcome
from trellis.measures.models import Administration, Score
from trellis.measures.queries import ON_TRACK_WEEKS
from trellis.measures.registry import DEFAULT_CODES, get_instrument
from trellis.participants.models import CareTeamMember, Episode
from trellis.plans import content as plan_content
from trellis.plans import diagnoses
from trellis.plans.progress import progress_for
from trellis.plans.queries import latest_signed
from trellis.scheduling import hours, recurrence
from trellis.scheduling.models import ATTENDED, Attendance
from trellis.scheduling.queries import occurrences_between, series_for_episodes
from trellis.transitions.fhir import SignedDocument
from trellis.transitions.models import (
    AftercareAppointment,
    AftercarePlan,
    DischargeSummary,
    SummaryAddendum,
)
from trellis.worklist.models import OPEN_ALERT_STATUSES, Alert, AlertKind, Priority

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.privacy.access import ParticipantAccess

Figures = dict[str, Any]


def may_discharge(user: User, episode: Episode) -> bool:
    """The program's director, or a member of the episode's care team today."""
    from trellis.privacy.policy import grants_for

    if grants_for(user).directs(episode.program):
        return True
    today = episode.program.organization.today()
    return CareTeamMember.objects.active_on(today).filter(episode=episode, user=user).exists()


def chart_panel(access: ParticipantAccess) -> dict[str, Any]:
    """The chart's Discharge panel: the button for staff who see the open episode clinically
    (the page itself admits only its care team and the director: an intake coordinator who
    still sees an episode without a care team is refused there), and the summaries of the
    episodes the user sees clinically, in one query."""
    clinical = [e for e in access.episodes if access.is_clinical_for(e)]
    open_episode = next((e for e in clinical if e.is_open), None)
    can_discharge = (
        open_episode is not None
        and not access.is_own_record
        and open_episode.admitted_on is not None
    )
    summaries = list(
        DischargeSummary.objects.filter(episode__in=clinical)
        .select_related("episode__program")
        .order_by("-episode__discharged_on")
    )
    return {
        "show": bool(can_discharge or summaries),
        "participant": access.participant,
        "can_discharge": can_discharge,
        "summaries": summaries,
    }


def last_attended_on(episode: Episode) -> date | None:
    """The date of the last session the person attended: the proposed discharge date for
    "dropped out" (domain.md §3)."""
    return (
        Attendance.objects.filter(episode=episode, status__in=ATTENDED)
        .order_by("-session_date")
        .values_list("session_date", flat=True)
        .first()
    )


def open_items(episode: Episode) -> list[Alert]:
    """The episode's open worklist items: each must be closed or handed on at discharge."""
    return list(
        Alert.objects.filter(episode=episode, status__in=OPEN_ALERT_STATUSES)
        .select_related("owner", "program__organization")
        .order_by("created_at", "pk")
    )


def hours_figures(episode: Episode, first: date, last: date) -> dict[str, Any]:
    """Hours attended over the stay, week by week, against the weekly minimum."""
    monday = recurrence.iso_week_start(first)
    last_monday = recurrence.iso_week_start(last)
    week_end = last_monday + timedelta(days=6)
    slots = occurrences_between(
        series_for_episodes([episode.pk], monday, week_end), monday, week_end
    )
    now = timezone.now()
    weeks = []
    while monday <= last_monday:
        week_slots = [s for s in slots if monday <= s.date <= monday + timedelta(days=6)]
        entry = hours.week_hours([episode], monday, now=now, slots=week_slots)[episode.pk]
        weeks.append(
            {
                "week": recurrence.iso_week_label(monday),
                "attended": str(entry.attended),
                "scheduled": str(entry.scheduled),
                "minimum": str(entry.min_hours),
                "met_minimum": entry.attended >= entry.min_hours,
            }
        )
        monday += timedelta(weeks=1)
    attended = sum((Decimal(str(w["attended"])) for w in weeks), Decimal(0))
    minimum = Decimal(str(weeks[-1]["minimum"])) if weeks else Decimal(0)
    average = (attended / len(weeks)).quantize(Decimal("0.1")) if weeks else Decimal(0)
    return {
        "attended": str(attended),
        "weeks": len(weeks),
        "weeks_at_minimum": sum(1 for w in weeks if w["met_minimum"]),
        "minimum_per_week": str(minimum),
        "average_per_week": str(average),
        "by_week": weeks,
    }


def measures_figures(episode: Episode, last: date) -> tuple[list[dict[str, Any]], str]:
    """Each instrument's baseline → last score up to `last`, with reliable change; and the
    joint PHQ-9/GAD-7 outcome in words."""
    by_code: dict[str, list[Point]] = defaultdict(list)
    for s in (
        Score.objects.current().filter(episode=episode, total__isnull=False).order_by("observed_at")
    ):
        if s.total is not None and s.observed_on <= last:
            by_code[s.instrument_code].append(Point(s.observed_on, s.total, s.incomplete))
    rows = []
    changes = {}
    codes = [c for c in DEFAULT_CODES if c in by_code] + sorted(
        c for c in by_code if c not in DEFAULT_CODES
    )
    for code in codes:
        instrument = get_instrument(code)
        found = change(
            instrument,
            by_code[code],
            admitted_on=episode.admitted_on,
            today=last,
            on_track_weeks=ON_TRACK_WEEKS,
        )
        changes[code] = found
        if found.baseline is None or found.latest is None:
            continue  # no scored points (cannot happen: codes come from the points)
        rows.append(
            {
                "code": code,
                "title": instrument.short_title,
                "baseline": found.baseline.total,
                "baseline_on": found.baseline.on.isoformat(),
                "latest": found.latest.total,
                "latest_on": found.latest.on.isoformat(),
                "delta": found.delta,
                "scores": len(by_code[code]),
                "reliable_improvement": found.reliable_improvement,
                "reliable_deterioration": found.reliable_deterioration,
                "reliable_threshold": found.reliable_threshold,
            }
        )
    joint = joint_outcome(changes.get("PHQ-9"), changes.get("GAD-7"))
    return rows, joint.label if (changes.get("PHQ-9") or changes.get("GAD-7")) else ""


def plan_figures(episode: Episode) -> tuple[list[dict[str, Any]], list[dict[str, str]], int]:
    """Goals with their objectives' status, and the diagnoses, from the latest signed plan
    version (its number too; 0 when no plan was signed)."""
    version = latest_signed(episode)
    if version is None:
        return [], [], 0
    document = plan_content.load(version.content)
    progress = progress_for(episode, document.objectives)
    goals = []
    found_diagnoses: dict[str, str] = {}
    for problem in document.problems:
        if problem.diagnosis:
            known = diagnoses.find(problem.diagnosis)
            found_diagnoses[problem.diagnosis] = known.label if known else ""
        for goal in document.goals_of(problem.key):
            objectives = []
            for objective in document.objectives_of(goal.key):
                reading = progress.get(objective.key)
                if reading is None or reading.met is None:
                    status = "no data" if reading is None or not reading.has_data else "in progress"
                else:
                    status = "met" if reading.met else "not met"
                objectives.append({"description": objective.description, "status": status})
            goals.append({"words": goal.words, "objectives": objectives})
    diagnosis_rows = [{"code": c, "label": label} for c, label in found_diagnoses.items()]
    return goals, diagnosis_rows, version.number


def risk_figures(episode: Episode) -> list[dict[str, str]]:
    """Urgent alerts raised during the episode: the date and the kind, nothing more."""
    return [
        {
            "on": created.astimezone(episode.program.organization.tz).date().isoformat(),
            "kind": AlertKind(k).label,
        }
        for created, k in Alert.objects.filter(episode=episode, priority=Priority.URGENT)
        .order_by("created_at")
        .values_list("created_at", "kind")
    ]


def assemble(episode: Episode) -> Figures:
    """The summary's figures for a discharged episode (or, for a preview, as of today)."""
    today = episode.program.organization.today()
    admitted = episode.admitted_on or today
    last = episode.discharged_on or today
    goals, diagnosis_rows, plan_version = plan_figures(episode)
    measure_rows, joint = measures_figures(episode, last)
    return {
        "program": episode.program.name,
        "track": episode.track.name if episode.track is not None else "",
        "admitted_on": admitted.isoformat(),
        "discharged_on": last.isoformat(),
        "length_of_stay_days": (last - admitted).days + 1,
        "reason": episode.discharge_reason,
        "reason_label": episode.get_discharge_reason_display(),
        "hours": hours_figures(episode, admitted, last),
        "measures": measure_rows,
        "joint_outcome": joint,
        "plan_version": plan_version,
        "goals": goals,
        "diagnoses": diagnosis_rows,
        "risk": risk_figures(episode),
    }


# Measures in the participant's words (their copy avoids instrument codes and scores' jargon).
PLAIN_NAMES = {
    "PHQ-9": "mood (depression) questionnaire",
    "GAD-7": "worry (anxiety) questionnaire",
    "AUDIT-C": "alcohol questionnaire",
    "PCL-5": "stress after trauma questionnaire",
}


def plain_measures(figures: Figures) -> list[dict[str, Any]]:
    """Each measure as a participant reads it: lower is better on every bundled one."""
    rows = []
    for m in figures.get("measures", []):
        if m["scores"] < 2:
            words = "You filled it in once, so there is no change to show."
        elif m["reliable_improvement"]:
            words = "Your score went down clearly: a real improvement."
        elif m["reliable_deterioration"]:
            words = "Your score went up. Please talk about this with your next provider."
        else:
            words = "Your score stayed about the same."
        name = PLAIN_NAMES.get(m["code"], m["title"])
        rows.append({"name": name, "start": m["baseline"], "end": m["latest"], "words": words})
    return rows


def figures_of(summary: DischargeSummary) -> Figures:
    """Frozen figures once signed; assembled live while the summary is a draft."""
    if summary.is_signed and summary.figures:
        return dict(summary.figures)
    return assemble(summary.episode)


def follow_ups(plan: AftercarePlan) -> QuerySet[Administration]:
    return Administration.objects.filter(public_id__in=plan.follow_up_ids).order_by(
        "due_on", "instrument_code"
    )


def summaries_of(episodes: list[Episode]) -> list[DischargeSummary]:
    """Signed summaries of these episodes (a participant's own page), with their plans."""
    return list(
        DischargeSummary.objects.filter(episode__in=episodes, status="signed")
        .select_related("episode__program__organization", "aftercare")
        .prefetch_related("aftercare__appointments", "addenda")
        .order_by("-episode__discharged_on")
    )


def discharge_owners(episode: Episode, items: list[Alert]) -> list[User]:
    """Who may take over the episode's open items at discharge: its program's directors only
    (the care team's access ends with the discharge). Every item is of this episode and
    program, so one list serves all."""
    from trellis.privacy.policy import grants_for
    from trellis.worklist.queries import assignable_owners

    if not items:
        return []
    return [u for u in assignable_owners(items[0]) if grants_for(u).directs(episode.program)]


def signed_summaries_for_documents(episodes: list[Episode]) -> list[DischargeSummary]:
    """Signed summaries of these episodes (already opened through the gate), newest
    discharge first, loaded as `signed_documents` needs them."""
    return list(
        DischargeSummary.objects.filter(episode__in=episodes, status="signed")
        .select_related("episode__participant", "episode__program__organization", "author")
        .order_by("-episode__discharged_on", "pk")
    )


def signed_documents(summaries: list[DischargeSummary]) -> list[SignedDocument]:
    """What the FHIR documents of these signed summaries show, in a fixed number of queries
    (summaries loaded with `episode__participant`, `episode__program__organization`,
    `author`)."""
    # Read-only copies built from rows: a plan loaded as a model reads its summary's status
    # as it loads (SignedOnce.from_db), one query per plan; these are never saved.
    by_summary = {s.pk: s for s in summaries}
    plans: dict[int, AftercarePlan] = {}
    for row in AftercarePlan.objects.filter(summary__in=summaries).values():
        plan = AftercarePlan(**row)
        plan.summary = by_summary[plan.summary_id]
        plans[plan.summary_id] = plan
    appointments: dict[int, list[AftercareAppointment]] = defaultdict(list)
    for appointment in AftercareAppointment.objects.filter(
        plan_id__in=[p.pk for p in plans.values()]
    ).order_by("starts_at", "pk"):
        appointments[appointment.plan_id].append(appointment)
    addenda: dict[int, list[SummaryAddendum]] = defaultdict(list)
    for addendum in SummaryAddendum.objects.filter(summary__in=summaries).order_by(
        "created_at", "pk"
    ):
        addenda[addendum.summary_id].append(addendum)
    wanted = [i for p in plans.values() for i in p.follow_up_ids]
    administrations = {
        str(a.public_id): a for a in Administration.objects.filter(public_id__in=wanted)
    }
    documents = []
    for summary in summaries:
        plan = plans[summary.pk]
        summary.aftercare = plan
        documents.append(
            SignedDocument(
                summary=summary,
                figures=figures_of(summary),
                appointments=appointments[plan.pk],
                follow_ups=sorted(
                    (administrations[i] for i in plan.follow_up_ids if i in administrations),
                    key=lambda a: (a.due_on, a.instrument_code),
                ),
                addenda=addenda[summary.pk],
            )
        )
    return documents
