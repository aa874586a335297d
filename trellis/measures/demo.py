"""Demo histories: weekly PHQ-9 and GAD-7 for every active participant (synthetic).

Most improve, some stay flat, a few worsen; one or two answer PHQ-9 item 9 above 0 and have
a documented follow-up. People discharged recently (`participants.demo.recently_discharged`)
have weekly check-ins across their whole stay, from admission to discharge; those who
completed the program improve reliably (e.g. PHQ-9 17 to 7), as their discharge summaries
say. Called by `seed_demo`; deterministic for a given `rng`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trellis.measures.actions import do_record_past_response
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import Instrument
from trellis.participants.demo import recently_discharged
from trellis.participants.models import CareTeamMember, DischargeReason, Episode, EpisodeStatus
from trellis.programs.models import Organization
from trellis.worklist.actions import do_document_follow_up
from trellis.worklist.models import Alert, AlertKind


def _answers(instrument: Instrument, total: int, rng: random.Random, item9: int) -> dict[str, str]:
    """Answers adding up to `total` (clipped to the range), spread at random over the items."""
    items = [i for i in instrument.scored if i != "phq9-9"]
    values = dict.fromkeys(instrument.scored, 0)
    if "phq9-9" in values:
        values["phq9-9"] = item9
    left = max(0, min(total, instrument.high) - item9)
    while left > 0:
        candidates = [i for i in items if values[i] < 3]
        if not candidates:
            break
        values[rng.choice(candidates)] += 1
        left -= 1
    answers = {}
    for link_id, value in values.items():
        item = instrument.item(link_id)
        assert item is not None  # noqa: S101  # scored items exist
        answers[link_id] = next(o.code for o in item.options if o.value == value)
    return answers


def _trajectory(rng: random.Random, baseline: int, weeks: int, kind: str) -> list[int]:
    scores = []
    for week in range(weeks):
        if kind == "improve":
            target = baseline - week * rng.uniform(0.8, 1.6)
        elif kind == "worsen":
            target = baseline + week * rng.uniform(0.5, 1.0)
        else:
            target = baseline
        scores.append(round(target + rng.gauss(0, 1.5)))
    return scores


def _completed_course(rng: random.Random, baseline: int, end: int, weeks: int) -> list[int]:
    """Weekly scores from `baseline` down to `end`, a little noise on the way, first and last
    exact: a course of treatment that worked."""
    if weeks == 1:
        return [end]
    steps = weeks - 1
    middle = [
        round(baseline + (end - baseline) * week / steps + rng.gauss(0, 1.0))
        for week in range(1, steps)
    ]
    return [baseline, *middle, end]


def _record_week(
    episode: Episode, day: date, scores: list[tuple[Instrument, int, int]], rng: random.Random
) -> None:
    """One weekly check-in: each (instrument, total, item 9) answered at mid-morning."""
    at = datetime.combine(day, time(10, rng.randint(0, 59)), episode.program.organization.tz)
    at = min(at, timezone.now() - timedelta(minutes=5))  # today's, if not yet 10 am
    for instrument, total, mark in scores:
        clipped = max(0, min(instrument.high, total))
        answers = _answers(instrument, clipped, rng, mark)
        do_record_past_response(None, episode, instrument.code, answers, submitted_at=at)


def _discharged_history(organization: Organization, rng: random.Random, today: date) -> None:
    """Weekly check-ins over the stays of people discharged recently, the last on their
    discharge day: reliable improvement for those who completed the program."""
    phq9, gad7 = get_instrument("PHQ-9"), get_instrument("GAD-7")
    for episode in recently_discharged(organization, today).select_related(
        "participant", "program__organization"
    ):
        assert episode.admitted_on is not None  # noqa: S101  # recently_discharged filters
        assert episode.discharged_on is not None  # noqa: S101
        days = [
            episode.admitted_on + timedelta(weeks=week)
            for week in range((episode.discharged_on - episode.admitted_on).days // 7 + 1)
        ]
        if days[-1] < episode.discharged_on:
            days.append(episode.discharged_on)  # the discharge check-in
        if episode.discharge_reason == DischargeReason.COMPLETED:
            phq = _completed_course(rng, rng.randint(15, 19), rng.randint(5, 8), len(days))
            gad = _completed_course(rng, rng.randint(12, 16), rng.randint(4, 6), len(days))
        else:
            kind = rng.choice(["improve", "flat"])
            phq = _trajectory(rng, rng.randint(11, 19), len(days), kind)
            gad = _trajectory(rng, rng.randint(8, 15), len(days), kind)
        for week, day in enumerate(days):
            _record_week(episode, day, [(phq9, phq[week], 0), (gad7, gad[week], 0)], rng)


def seed_measure_history(
    organization: Organization, *, rng: random.Random, weeks: int = 12, today: date | None = None
) -> None:
    today = today or organization.today()
    phq9, gad7 = get_instrument("PHQ-9"), get_instrument("GAD-7")
    episodes = list(
        Episode.objects.filter(
            program__organization=organization,
            status=EpisodeStatus.ACTIVE,
            admitted_on__isnull=False,
        )
        .select_related("participant", "program__organization")
        .order_by("pk")
    )
    # One or two positive item-9 answers in the whole program, each on a last check-in.
    positive = set(rng.sample(range(len(episodes)), min(2, len(episodes))))
    for n, episode in enumerate(episodes):
        assert episode.admitted_on is not None  # noqa: S101  # filtered above
        first = episode.admitted_on
        span = min(weeks, (today - first).days // 7 + 1)
        if span <= 0:
            continue
        kind = rng.choices(["improve", "flat", "worsen"], weights=[65, 25, 10])[0]
        phq = _trajectory(rng, rng.randint(11, 22), span, kind)
        gad = _trajectory(rng, rng.randint(8, 17), span, kind)
        for week in range(span):
            item9 = 1 if n in positive and week == span - 1 else 0  # followed up below
            scores = [(phq9, phq[week], item9), (gad7, gad[week], 0)]
            _record_week(episode, first + timedelta(weeks=week), scores, rng)
    # After the active people, from the same stream, so their histories stay as they were.
    if weeks:
        _discharged_history(organization, rng, today)
    clinician_of = {
        m.episode_id: m.user
        for m in CareTeamMember.objects.filter(
            episode__in=episodes, is_primary=True, end_date__isnull=True
        ).select_related("user")
    }
    for alert in Alert.objects.filter(
        participant__organization=organization, kind=AlertKind.CRITICAL_ITEM, status="open"
    ):
        user = clinician_of.get(alert.episode_id or 0)
        if user is not None:
            do_document_follow_up(
                user,
                alert,
                risk_assessment_done=True,
                safety_plan_reviewed=True,
                referred_higher_level=False,
                note="Risk assessment done the same day; safety plan reviewed together.",
            )
